import { Button, Card, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type RefObject } from 'react';
import { useByteLimit } from '../bytes';
import type { CaseDetail } from '../../../src/client/index.js';
import { useQueues, useUsers } from '../directory';
import { useI18n } from '../i18n';
import { client, useMe } from '../session';

/** Who a case can be given to: the tenant's users and its queues, in one searchable list ("user:<id>" / "queue:<id>"). */
function useOwners() {
  const users = useUsers();
  const queues = useQueues();
  return [
    { group: 'users', items: (users.data?.users ?? []).filter((user) => user.status === 'active').map((user) => ({ value: `user:${user.id}`, label: user.name })) },
    { group: 'queues', items: (queues.data?.queues ?? []).map((queue) => ({ value: `queue:${queue.id}`, label: queue.name })) },
  ];
}

/**
 * A case's actions beside its flow: transfer (to a user or a queue, with a remark, as AICC's case/transfer takes),
 * suspend and resume its clock, cancel and restore it (supervisors: the server refuses an agent, and says so), follow.
 */
export function CaseActions({ detail, onChanged, onError, transferRef }: {
  detail: CaseDetail;
  onChanged: () => Promise<unknown>;
  onError: (error: Error) => void;
  transferRef: RefObject<HTMLInputElement | null>;
}) {
  const { t } = useI18n();
  const me = useMe();
  const owners = useOwners();
  const [owner, setOwner] = useState<string | null>(null);
  const [remark, setRemark] = useState('');
  const remarkTooLong = useByteLimit(remark, 2000);
  const { caseInfo, isFollower } = detail;
  const id = caseInfo.id;
  const cancelled = caseInfo.AICC__IsCanced__CST;
  const suspended = caseInfo.AICC__IsSuspend__CST;
  const act = useMutation({
    mutationFn: (action: () => Promise<unknown>) => action(),
    onSuccess: async () => {
      setRemark('');
      setOwner(null);
      await onChanged();
    },
    onError,
  });
  const transfer = () => {
    if (!owner) return;
    const [ownerType, ownerId] = owner.split(':') as ['user' | 'queue', string];
    act.mutate(() => client.cases.transfer({ id, ownerId, ownerType, remark: remark || t('case.transferred') }));
  };

  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>{t('case.actions')}</Title>
        <Group align="end">
          <Select
            ref={transferRef} label={t('case.transferTo')} data={owners} value={owner} onChange={setOwner} searchable
            placeholder={t('case.pickOwner')} disabled={cancelled} w={260}
          />
          <TextInput label={t('case.remark')} value={remark} onChange={(event) => setRemark(event.currentTarget.value)} error={remarkTooLong} />
          <Button onClick={transfer} disabled={!owner || cancelled || remarkTooLong !== undefined} loading={act.isPending}>{t('case.transfer')}</Button>
        </Group>
        <Group>
          {!cancelled && (suspended
            ? <Button variant="default" onClick={() => act.mutate(() => client.cases.resume(id))}>{t('case.resumeClock')}</Button>
            : <Button variant="default" onClick={() => act.mutate(() => client.cases.suspend(id))}>{t('case.suspend')}</Button>)}
          {me.role !== 'agent' && (cancelled
            ? <Button variant="default" onClick={() => act.mutate(() => client.cases.resume(id))}>{t('case.restore')}</Button>
            : <Button variant="default" color="red" disabled={remarkTooLong !== undefined} onClick={() => act.mutate(() => client.cases.cancel({ id, remark: remark || t('case.cancelled') }))}>{t('case.cancel')}</Button>)}
          <Button variant="subtle" aria-pressed={isFollower} onClick={() => act.mutate(() => (isFollower ? client.cases.unfollow(id) : client.cases.follow(id)))}>
            {isFollower ? t('case.unfollow') : t('case.follow')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
