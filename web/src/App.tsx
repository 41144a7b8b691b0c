import { AppShell, Button, Group, Loader, NativeSelect, Text, Title } from '@mantine/core';
import { Link, Route, Router, Switch } from 'wouter';
import { LANGUAGES, useI18n, type Language } from './i18n';
import { CasePage } from './screens/CasePage';
import { Queue } from './screens/Queue';
import { SignIn } from './screens/SignIn';
import { useSession } from './session';

function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <NativeSelect
      aria-label={t('app.language')}
      value={language}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      data={Object.entries(LANGUAGES).map(([value, label]) => ({ value, label }))}
      size="xs"
    />
  );
}

export function App() {
  const { me, signOut } = useSession();
  const { t } = useI18n();
  if (me === undefined) return <Group justify="center" mt="xl"><Loader aria-label={t('common.loading')} /></Group>;
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={3}>{t('app.title')}</Title>
            {me && <Link href="/" className="nav-link">{t('nav.queue')}</Link>}
          </Group>
          <Group>
            {me && <Text size="sm" data-testid="signed-in-as">{t('app.signedInAs', { name: me.name, role: t(`role.${me.role}`) })}</Text>}
            <LanguageSwitch />
            {me && <Button variant="default" size="xs" onClick={() => void signOut()}>{t('app.signOut')}</Button>}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {me ? (
          <Router base="/console">
            <Switch>
              <Route path="/cases/:id">{(params) => <CasePage caseId={params.id} />}</Route>
              <Route><Queue /></Route>
            </Switch>
          </Router>
        ) : <SignIn />}
      </AppShell.Main>
    </AppShell>
  );
}
