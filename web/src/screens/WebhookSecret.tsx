import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useI18n } from '../i18n';

/**
 * A webhook's signing secret, the one time the server sends it (on create and on rotation): marked as such, selectable
 * (a page served over plain HTTP has no clipboard API) and copyable, until the admin says it is kept.
 */
export function WebhookSecret({ title, secret, note, onDone }: { title: string; secret: string; note?: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <Alert color="orange" variant="outline" title={title} data-testid="webhook-secret">
      <Stack gap="xs">
        <Text size="sm" fw={700}>{t('webhooks.secret.once')}</Text>
        {note && <Text size="sm">{note}</Text>}
        <Group align="end">
          <TextInput
            label={t('webhooks.secret.label')} value={secret} readOnly w={440} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            onFocus={(event) => event.currentTarget.select()} data-testid="webhook-secret-value"
          />
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button variant={copied ? 'filled' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? t('webhooks.secret.copied') : t('webhooks.secret.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="subtle" onClick={onDone}>{t('webhooks.secret.done')}</Button>
        </Group>
      </Stack>
    </Alert>
  );
}
