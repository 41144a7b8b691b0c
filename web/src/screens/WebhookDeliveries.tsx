import { Alert, Button, Modal, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Webhook, WebhookAttempt } from '../../../src/client/index.js';
import { useI18n, type Translate } from '../i18n';
import { client } from '../session';
import { Pager } from './Pager';

const PAGE_SIZE = 25;
const COLUMNS = ['id', 'eventType', 'attempts', 'lastStatus', 'lastError', 'lastAttempt', 'delivered', 'action'] as const;

/** What one attempt made now (a ping, a redelivery) came to, in words: delivered with its status, or why not. */
export function AttemptOutcome({ attempt, error }: { attempt?: WebhookAttempt | undefined; error?: Error | null }) {
  const { t } = useI18n();
  if (error) return <Text size="sm" c="red" data-testid="attempt-outcome">{t('error.generic', { message: error.message })}</Text>;
  if (!attempt) return null;
  return <Text size="sm" c={attempt.delivered ? 'teal' : 'red'} data-testid="attempt-outcome">{attemptText(t, attempt)}</Text>;
}

export function attemptText(t: Translate, attempt: WebhookAttempt): string {
  if (attempt.delivered) return t('webhooks.delivered', { status: attempt.status ?? '—' });
  return t('webhooks.notDelivered', { error: attempt.error ?? (attempt.status === null ? '—' : `HTTP ${attempt.status}`) });
}

/**
 * An endpoint's delivery log, newest first, a server page at a time: each change sent (and each ping), its attempts and
 * how the last went. A change can be sent again now, with its webhook-id; a ping cannot (the server sends a new one).
 */
export function WebhookDeliveries({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [page, setPage] = useState(1);
  const deliveries = useQuery({
    queryKey: ['webhookDeliveries', webhook.id, page],
    queryFn: () => client.webhooks.deliveries(webhook.id, { start: String((page - 1) * PAGE_SIZE), limit: String(PAGE_SIZE) }),
    placeholderData: keepPreviousData,
    // The log grows in the background (the deliverers): read afresh whenever it is opened.
    staleTime: 0,
  });
  const again = useMutation({
    mutationFn: (deliveryId: string) => client.webhooks.redeliver(webhook.id, deliveryId),
    onSettled: () => queries.invalidateQueries({ queryKey: ['webhookDeliveries', webhook.id] }),
  });
  const rows = deliveries.data?.deliveries ?? [];
  const pages = Math.max(1, Math.ceil((deliveries.data?.count ?? 0) / PAGE_SIZE));

  return (
    <Modal opened onClose={onClose} title={t('webhooks.deliveriesOf', { url: webhook.url })} size="100%" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        {deliveries.error && <Alert color="red" role="alert">{t('error.generic', { message: deliveries.error.message })}</Alert>}
        <Text size="sm" data-testid="deliveries-count">{deliveries.data ? t('deliveries.count', { count: deliveries.data.count }) : t('common.loading')}</Text>
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label={t('webhooks.deliveries')}>
            <Table.Thead>
              <Table.Tr>{COLUMNS.map((column) => <Table.Th key={column}>{t(`deliveries.col.${column}`)}</Table.Th>)}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((delivery) => (
                <Table.Tr key={delivery.id} data-testid="delivery-row">
                  <Table.Td ff="monospace" fz="xs">{delivery.id}</Table.Td>
                  <Table.Td>{delivery.eventType}</Table.Td>
                  <Table.Td>{delivery.attempts}</Table.Td>
                  <Table.Td>{delivery.lastStatus ?? '—'}</Table.Td>
                  <Table.Td maw={280} style={{ overflowWrap: 'anywhere' }}>{delivery.lastError ?? '—'}</Table.Td>
                  <Table.Td>{delivery.lastAttemptDate}</Table.Td>
                  <Table.Td>{delivery.deliveredDate ?? '—'}</Table.Td>
                  <Table.Td>
                    {/* A ping's seq is 0: it is no change of the feed, and is not sent again. */}
                    {delivery.seq === '0' ? '—' : (
                      <Stack gap={4} align="start">
                        <Button size="xs" variant="default" loading={again.isPending && again.variables === delivery.id} onClick={() => again.mutate(delivery.id)}>
                          {t('deliveries.again')}
                        </Button>
                        {again.variables === delivery.id && !again.isPending && <AttemptOutcome attempt={again.data} error={again.error} />}
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {deliveries.data && rows.length === 0 && <Text>{t('deliveries.empty')}</Text>}
        <Pager page={page} pages={pages} onPage={setPage} />
      </Stack>
    </Modal>
  );
}
