import { AppShell, Button, Group, List, Loader, Modal, NativeSelect, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link, Route, Router, Switch } from 'wouter';
import { LANGUAGES, useI18n, type Language } from './i18n';
import { useShortcuts } from './shortcuts';
import { CasePage } from './screens/CasePage';
import { Queue } from './screens/Queue';
import { Tasks } from './screens/Tasks';
import { Dashboard } from './screens/Dashboard';
import { NewCase } from './screens/NewCase';
import { SignIn } from './screens/SignIn';
import { Webhooks } from './screens/Webhooks';
import { useSession } from './session';
import { useLiveChanges } from './live';

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

/** `?` lists the keyboard shortcuts, wherever one is not typing. */
function ShortcutHelp() {
  const { t } = useI18n();
  const [opened, setOpened] = useState(false);
  useShortcuts(useMemo(() => ({ '?': () => setOpened(true) }), []));
  return (
    <Modal opened={opened} onClose={() => setOpened(false)} title={t('keys.title')}>
      <List>
        <List.Item>{t('keys.queue')}</List.Item>
        <List.Item>{t('keys.case')}</List.Item>
        <List.Item>{t('keys.help')}</List.Item>
      </List>
    </Modal>
  );
}

export function App() {
  const { me, signOut } = useSession();
  const { t } = useI18n();
  useLiveChanges(Boolean(me));
  if (me === undefined) return <Group justify="center" mt="xl"><Loader aria-label={t('common.loading')} /></Group>;
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={3}>{t('app.title')}</Title>
            {me && <Link href="/console/">{t('nav.queue')}</Link>}
            {me && <Link href="/console/tasks">{t('nav.tasks')}</Link>}
            {me && <Link href="/console/new">{t('nav.newCase')}</Link>}
            {me && me.role !== 'agent' && <Link href="/console/dashboard">{t('nav.dashboard')}</Link>}
            {me && me.role === 'admin' && <Link href="/console/webhooks">{t('nav.webhooks')}</Link>}
          </Group>
          <Group>
            {me && <Text size="sm" data-testid="signed-in-as">{t('app.signedInAs', { name: me.name, role: t(`role.${me.role}`) })}</Text>}
            <LanguageSwitch />
            {me && <Button variant="default" size="xs" onClick={() => void signOut()}>{t('app.signOut')}</Button>}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {me && <ShortcutHelp />}
        {me ? (
          <Router base="/console">
            <Switch>
              <Route path="/cases/:id">{(params) => <CasePage caseId={params.id} />}</Route>
              <Route path="/tasks"><Tasks /></Route>
              <Route path="/dashboard"><Dashboard /></Route>
              <Route path="/new"><NewCase /></Route>
              <Route path="/webhooks"><Webhooks /></Route>
              <Route><Queue /></Route>
            </Switch>
          </Router>
        ) : <SignIn />}
      </AppShell.Main>
    </AppShell>
  );
}
