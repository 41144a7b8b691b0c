import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Webhook } from '../../../src/client/index.js';
import { useI18n } from '../i18n';
import { client } from '../session';
import { Pager } from './Pager';
import { AttemptOutcome, WebhookDeliveries } from './WebhookDeliveries';
import { WebhookForm } from './WebhookForm';
import { WebhookSecret } from './WebhookSecret';

const PAGE_SIZE = 25;
const COLUMNS = ['url', 'events', 'description', 'state', 'failures', 'nextAttempt', 'actions'] as const;
/** Failures and retries happen in the background (the deliverers): the list looks again this often while it is shown. */
const REFRESH_MS = 15_000;

/** A secret the server has just sent, shown until the admin says it is kept: of a new endpoint, or a rotation's. */
interface ShownSecret {
  title: string;
  secret: string;
  note?: string;
}

/** One endpoint, its state, and what can be done to it; what fails is reported to the screen's alert. */
function WebhookRow({ webhook, onSecret, onError }: { webhook: Webhook; onSecret: (shown: ShownSecret) => void; onError: (error: Error) => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const changed = () => queries.invalidateQueries({ queryKey: ['webhooks'] });
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const setActive = useMutation({ mutationFn: (active: boolean) => client.webhooks.update(webhook.id, { active }), onSuccess: changed, onError });
  const ping = useMutation({
    mutationFn: () => client.webhooks.ping(webhook.id),
    // A ping is in the log, and a failed one may be why the endpoint's state is worth reading again.
    onSettled: () => Promise.all([changed(), queries.invalidateQueries({ queryKey: ['webhookDeliveries', webhook.id] })]),
  });
  const rotate = useMutation({
    mutationFn: () => client.webhooks.rotateSecret(webhook.id),
    onSuccess: ({ secret, previousSecretValidUntil }) => {
      onSecret({ title: t('webhooks.secret.rotated', { url: webhook.url }), secret, note: t('webhooks.secret.previous', { date: previousSecretValidUntil }) });
      return changed();
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: () => client.webhooks.delete(webhook.id),
    onSuccess: () => { setConfirmDelete(false); return changed(); },
    onError: (error) => { setConfirmDelete(false); onError(error); },
  });

  return (
    <Table.Tr data-testid="webhook-row">
      <Table.Td style={{ overflowWrap: 'anywhere' }} miw={200} maw={300}>{webhook.url}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {webhook.eventTypes.map((type) => <Badge key={type} variant="light" tt="none">{type === '*' ? t('webhooks.everything') : type}</Badge>)}
        </Group>
      </Table.Td>
      <Table.Td>{webhook.description ?? '—'}</Table.Td>
      <Table.Td data-testid="webhook-state" miw={110} maw={320}>
        {webhook.active ? <Badge color="teal">{t('webhooks.active')}</Badge> : <Badge color="gray">{t('webhooks.disabled')}</Badge>}
        {/* Why the server stopped it (a 410, a run of failures), in full: the admin decides from it whether to start again. */}
        {webhook.disabledReason && <Text size="sm" mt={4} data-testid="webhook-disabled-reason">{webhook.disabledReason}</Text>}
      </Table.Td>
      <Table.Td data-testid="webhook-failures">{webhook.failures}</Table.Td>
      <Table.Td>{webhook.nextAttemptDate ?? '—'}</Table.Td>
      <Table.Td>
        <Group gap="xs">
          <Button size="xs" variant="default" loading={setActive.isPending} onClick={() => setActive.mutate(!webhook.active)}>
            {webhook.active ? t('webhooks.disable') : t('webhooks.enable')}
          </Button>
          <Button size="xs" variant="default" loading={ping.isPending} onClick={() => ping.mutate()}>{t('webhooks.ping')}</Button>
          <Button size="xs" variant="default" onClick={() => setShowDeliveries(true)}>{t('webhooks.deliveries')}</Button>
          <Button size="xs" variant="default" loading={rotate.isPending} onClick={() => rotate.mutate()}>{t('webhooks.rotate')}</Button>
          <Button size="xs" variant="default" color="red" onClick={() => setConfirmDelete(true)}>{t('webhooks.delete')}</Button>
        </Group>
        {!ping.isPending && <AttemptOutcome attempt={ping.data} error={ping.error} />}
        {showDeliveries && <WebhookDeliveries webhook={webhook} onClose={() => setShowDeliveries(false)} />}
        <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t('webhooks.delete')} closeButtonProps={{ 'aria-label': t('common.close') }}>
          <Stack>
            <Text style={{ overflowWrap: 'anywhere' }}>{t('webhooks.deleteConfirm', { url: webhook.url })}</Text>
            <Group justify="end">
              <Button variant="default" onClick={() => setConfirmDelete(false)}>{t('webhooks.keep')}</Button>
              <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>{t('webhooks.deleteYes')}</Button>
            </Group>
          </Stack>
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The admin's webhooks: the tenant's endpoints with their state (and why one was stopped), a form for a new one, and
 * each one's actions: stop and start, a ping, its delivery log, a new secret, delete. The server allows all of it to
 * admins only, and says so to anyone else.
 */
export function Webhooks() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['webhooks', page],
    queryFn: () => client.webhooks.list({ start: String((page - 1) * PAGE_SIZE), limit: String(PAGE_SIZE) }),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const rows = list.data?.webhooks ?? [];
  const pages = Math.max(1, Math.ceil((list.data?.count ?? 0) / PAGE_SIZE));
  const problem = list.error ?? actionError;
  // The last endpoint of the last page deleted: the page before.
  useEffect(() => { if (list.data && page > pages) setPage(pages); }, [list.data, page, pages]);

  return (
    <Stack>
      <Title order={2}>{t('webhooks.title')}</Title>
      <Text size="sm" maw={760}>{t('webhooks.intro')}</Text>
      {secret && <WebhookSecret {...secret} onDone={() => setSecret(null)} />}
      <WebhookForm onCreated={(created, url) => {
        setSecret({ title: t('webhooks.secret.created', { url }), secret: created.secret });
        void queries.invalidateQueries({ queryKey: ['webhooks'] });
      }} />
      {problem && <Alert color="red" role="alert" withCloseButton={problem === actionError} closeButtonLabel={t('common.close')} onClose={() => setActionError(null)}>
        {t('error.generic', { message: problem.message })}
      </Alert>}
      <Text size="sm" data-testid="webhooks-count">{list.data ? t('webhooks.count', { count: list.data.count }) : t('common.loading')}</Text>
      <Table.ScrollContainer minWidth={1000}>
        <Table aria-label={t('webhooks.title')}>
          <Table.Thead>
            <Table.Tr>{COLUMNS.map((column) => <Table.Th key={column}>{t(`webhooks.col.${column}`)}</Table.Th>)}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((webhook) => (
              <WebhookRow key={webhook.id} webhook={webhook} onSecret={setSecret} onError={(error) => setActionError(error)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.data && rows.length === 0 && <Text>{t('webhooks.empty')}</Text>}
      <Pager page={page} pages={pages} onPage={setPage} />
    </Stack>
  );
}
