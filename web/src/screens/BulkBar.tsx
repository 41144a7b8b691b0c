import { Alert, Button, Group, List, NativeSelect, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { BulkCaseRequest, BulkCaseResult } from '../../../src/client/index.js';
import { PRIORITIES } from '../../../src/wire/enums.js';
import { useCaseTypes, useQueues, useUsers } from '../directory';
import { useI18n } from '../i18n';
import { client } from '../session';

type Action = BulkCaseRequest['action'];

/**
 * What the queue does to its selected rows at once: assign them (to a user or a queue), move them to a status, or set
 * their priority, in one request and one transaction (POST /opencase/v1/cases/bulk), with the server's answer for
 * each case: those it refused (another's case for an agent, a status outside a case's flow) are listed with why.
 */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => Promise<unknown> }) {
  const { t } = useI18n();
  const [action, setAction] = useState<Action>('assign');
  const [value, setValue] = useState('');
  const users = useUsers();
  const queues = useQueues();
  const types = useCaseTypes();
  const statuses = [...new Set((types.data?.caseTypes ?? []).flatMap((type) => type.caseStatus.split(',')))];
  const [outcome, setOutcome] = useState<BulkCaseResult | undefined>();
  const apply = useMutation({
    mutationFn: () => {
      if (action === 'assign') {
        const [ownerType, ownerId] = value.split(':') as ['user' | 'queue', string];
        return client.cases.bulk({ ids, action, ownerId, ownerType });
      }
      if (action === 'status') return client.cases.bulk({ ids, action, status: value });
      return client.cases.bulk({ ids, action, priority: value as (typeof PRIORITIES)[number] });
    },
    onSuccess: async (result) => {
      setOutcome(result);
      await onDone();
    },
  });
  const choices = action === 'assign'
    ? [
      ...(users.data?.users ?? []).filter((user) => user.status === 'active').map((user) => ({ value: `user:${user.id}`, label: user.name })),
      ...(queues.data?.queues ?? []).map((queue) => ({ value: `queue:${queue.id}`, label: `${t('queue.queue')}: ${queue.name}` })),
    ]
    : action === 'status' ? statuses.map((status) => ({ value: status, label: status })) : PRIORITIES.map((priority) => ({ value: priority, label: priority }));

  return (
    <Alert color="blue" title={t('bulk.selected', { count: ids.length })}>
      <Group align="end">
        <NativeSelect
          label={t('bulk.action')} value={action} onChange={(event) => { setAction(event.currentTarget.value as Action); setValue(''); }}
          data={(['assign', 'status', 'priority'] as const).map((name) => ({ value: name, label: t(`bulk.${name}`) }))}
        />
        <NativeSelect label={t('bulk.value')} value={value} onChange={(event) => setValue(event.currentTarget.value)} data={[{ value: '', label: '—' }, ...choices]} />
        <Button onClick={() => apply.mutate()} disabled={!value} loading={apply.isPending}>{t('bulk.apply')}</Button>
      </Group>
      {apply.error && <Text c="red" role="alert">{t('error.generic', { message: apply.error.message })}</Text>}
      {outcome && (
        <div data-testid="bulk-outcome">
          <Text size="sm">{t('bulk.outcome', { succeeded: outcome.succeeded, failed: outcome.failed })}</Text>
          <List size="sm">
            {outcome.results.filter((item) => item.resCode !== '0').map((item) => <List.Item key={item.id}>{item.id}: {item.resMsg}</List.Item>)}
          </List>
        </div>
      )}
    </Alert>
  );
}
