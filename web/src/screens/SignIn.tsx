import { Alert, Button, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { OpencaseError } from '../../../src/client/index.js';
import { useI18n } from '../i18n';
import { useSession } from '../session';

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn({ login, password, ...(tenantId && { tenantId }) });
    } catch (failure) {
      // The server's own words for anything but a wrong login or password (a 429 says when to try again).
      setError(failure instanceof OpencaseError && failure.resCode === '401003' ? t('signIn.failed') : failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form onSubmit={(event) => void submit(event)}>
        <Stack>
          <Title order={2}>{t('signIn.title')}</Title>
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <TextInput label={t('signIn.login')} value={login} onChange={(event) => setLogin(event.currentTarget.value)} required autoComplete="username" autoFocus />
          <PasswordInput label={t('signIn.password')} value={password} onChange={(event) => setPassword(event.currentTarget.value)} required autoComplete="current-password" />
          <TextInput label={t('signIn.tenant')} value={tenantId} onChange={(event) => setTenantId(event.currentTarget.value)} />
          <Button type="submit" loading={busy}>{t('signIn.submit')}</Button>
        </Stack>
      </form>
    </Paper>
  );
}
