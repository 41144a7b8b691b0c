import { Alert, Button, Card, MultiSelect, Pill, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CreatedWebhook } from '../../../src/client/index.js';
import { EVENT_TYPES } from '../../../src/webhooks/events.js';
import { useI18n } from '../i18n';
import { client } from '../session';

/** The server's own list (it refuses any other), and its wildcards. */
const WILDCARDS = ['*', 'task.*', 'case.*'];

/**
 * A new endpoint: its URL, the event types it wants (none chosen: all of them), a description. The server checks the
 * URL (http or https, no credentials, not a private address unless allowed) and the types, and its refusal is shown
 * in its words; what it answers is handed to `onCreated`, the secret with it.
 */
export function WebhookForm({ onCreated }: { onCreated: (created: CreatedWebhook, url: string) => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => client.webhooks.create({
      url: url.trim(), ...(eventTypes.length > 0 && { eventTypes }), ...(description.trim() && { description: description.trim() }),
    }),
    onSuccess: (created) => {
      onCreated(created, url.trim());
      setUrl('');
      setEventTypes([]);
      setDescription('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const data = [
    { group: t('webhooks.group.wildcards'), items: WILDCARDS.map((value) => ({ value, label: value === '*' ? t('webhooks.everything') : value })) },
    { group: t('webhooks.group.task'), items: EVENT_TYPES.filter((type) => type.startsWith('task.')) },
    { group: t('webhooks.group.case'), items: EVENT_TYPES.filter((type) => type.startsWith('case.')) },
  ];

  return (
    <Card withBorder maw={760}>
      <form onSubmit={submit}>
        <Stack>
          <Title order={3}>{t('webhooks.new')}</Title>
          {create.error && <Alert color="red" role="alert">{create.error.message}</Alert>}
          <TextInput
            label={t('webhooks.url')} required type="url" placeholder="https://example.com/opencase-events" maxLength={2000}
            value={url} onChange={(event) => setUrl(event.currentTarget.value)}
          />
          <MultiSelect
            label={t('webhooks.eventTypes')} description={t('webhooks.eventTypesHint')} data={data} value={eventTypes} onChange={setEventTypes}
            searchable clearable clearButtonProps={{ 'aria-label': t('webhooks.clearEvents') }} maxValues={50}
            // Each chosen type's remove button named, for whoever reaches it (the keyboard removes with Backspace).
            renderPill={({ value, onRemove, disabled }) => (
              <Pill withRemoveButton={!disabled} onRemove={onRemove} removeButtonProps={{ 'aria-label': t('webhooks.removeEvent', { event: String(value) }) }}>
                {value === '*' ? t('webhooks.everything') : value}
              </Pill>
            )}
          />
          <TextInput label={t('webhooks.description')} maxLength={2000} value={description} onChange={(event) => setDescription(event.currentTarget.value)} />
          <Button type="submit" loading={create.isPending} disabled={!url.trim()} w="fit-content">{t('webhooks.create')}</Button>
        </Stack>
      </form>
    </Card>
  );
}
