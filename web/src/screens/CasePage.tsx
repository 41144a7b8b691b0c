import { Alert, Anchor, Badge, Button, Card, Grid, Group, Stack, Stepper, Table, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { useByteLimit } from '../bytes';
import { useOwnerName } from '../directory';
import { CaseActions } from './CaseActions';
import { NewTask } from './NewTask';
import { useShortcuts } from '../shortcuts';
import { Link } from 'wouter';
import { useI18n } from '../i18n';
import { client } from '../session';

/** Trace entries read at a time for the timeline. */
const HISTORY_PAGE = 100;

/** The statuses a case may move to from `current`: the next one in a strict flow, any other one in a free flow. */
export function allowedNext(flow: string[], current: string, strict: boolean): string[] {
  if (!strict) return flow.filter((status) => status !== current);
  const at = flow.indexOf(current);
  const next = at >= 0 ? flow[at + 1] : undefined;
  return next === undefined ? [] : [next];
}

export function CasePage({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const detail = useQuery({ queryKey: ['case', caseId], queryFn: () => client.cases.get(caseId) });
  // The case's history with when, who, through what and each field's from and to (the feed's entries for this case).
  const history = useInfiniteQuery({
    queryKey: ['traces', caseId],
    queryFn: ({ pageParam }) => client.traces.list({ objectId: caseId, after: pageParam, limit: String(HISTORY_PAGE) }),
    initialPageParam: '0',
    // A full page may have more after it: the timeline offers them, never cuts them off unsaid.
    getNextPageParam: (last) => (last.traces.length === HISTORY_PAGE ? last.nextCursor : undefined),
  });
  const ownerName = useOwnerName();
  const shown = (field: string, value: string | null) => (value === null ? '—' : field === 'ownerId' ? ownerName(value) : value);
  const typeId = detail.data?.caseInfo.type;
  const caseType = useQuery({ queryKey: ['caseType', typeId], queryFn: () => client.caseTypes.get(typeId ?? ''), enabled: typeId !== undefined });
  const changed = () => Promise.all(['case', 'traces', 'cases'].map((key) => queries.invalidateQueries({ queryKey: key === 'cases' ? [key] : [key, caseId] })));
  const moveTo = useMutation({ mutationFn: (status: string) => client.cases.updateStatus({ id: caseId, status }), onSuccess: changed });
  const close = useMutation({ mutationFn: () => client.cases.close({ caseId }), onSuccess: changed });
  const [actionError, setActionError] = useState<Error | null>(null);
  const transferRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const flowRef = useRef<HTMLDivElement>(null);
  const [, navigate] = useLocation();
  // s: the status buttons, a: transfer, e: write a note, Backspace: back to the queue (not while typing in a field).
  useShortcuts(useMemo(() => ({
    s: () => flowRef.current?.querySelector<HTMLButtonElement>('button')?.focus(),
    a: () => transferRef.current?.focus(),
    e: () => noteRef.current?.focus(),
    Backspace: () => navigate('/'),
  }), [navigate]));
  const [noteTitle, setNoteTitle] = useState('');
  const [noteText, setNoteText] = useState('');
  const noteTitleTooLong = useByteLimit(noteTitle, 128);
  const noteTextTooLong = useByteLimit(noteText, 20000);
  const note = useMutation({
    mutationFn: () => client.cases.process({ caseId, processInfo: { type: 'Iternal', title: noteTitle, description: noteText } }),
    onSuccess: async () => {
      setNoteTitle('');
      setNoteText('');
      await changed();
    },
  });

  if (detail.error) return <Alert color="red" role="alert">{t('error.generic', { message: detail.error.message })}</Alert>;
  // The flow comes with the case's type: until then no status could be offered rightly.
  if (!detail.data || (!caseType.data && !caseType.error)) return <Text>{t('common.loading')}</Text>;
  const { caseInfo, tasks, customerInfo } = detail.data;
  const info = caseType.data?.caseTypeInfo;
  const flow = info ? info.caseStatus.split(',') : [caseInfo.status];
  const strict = info?.isStrictOrder === true;
  const atLast = flow.at(-1) === caseInfo.status;
  const failure = moveTo.error ?? close.error ?? note.error ?? actionError;

  const submitNote = (event: FormEvent) => {
    event.preventDefault();
    note.mutate();
  };

  return (
    <Stack>
      <Anchor component={Link} href="/">{t('case.back')}</Anchor>
      <Group>
        <Title order={2}>{caseInfo.title}</Title>
        <Badge size="lg" data-testid="case-status">{caseInfo.status}</Badge>
        <Text c="dimmed">#{caseInfo.caseNo}</Text>
        {caseInfo.AICC__IsCanced__CST && <Badge color="red" data-testid="case-cancelled">{t('case.isCancelled')}</Badge>}
        {caseInfo.AICC__IsSuspend__CST && <Badge color="yellow" data-testid="case-suspended">{t('case.isSuspended')}</Badge>}
      </Group>
      {failure && <Alert color="red" role="alert">{t('error.generic', { message: failure.message })}</Alert>}
      <Card withBorder>
        <Title order={4} mb="sm">{t('case.flow')}</Title>
        <Stepper active={Math.max(0, flow.indexOf(caseInfo.status))} size="sm" aria-label={t('case.flow')}>
          {flow.map((status) => <Stepper.Step key={status} label={status} />)}
        </Stepper>
        <Group mt="md" ref={flowRef}>
          {/* A cancelled case takes no status change (its restore is among the actions). */}
          {!caseInfo.AICC__IsCanced__CST && allowedNext(flow, caseInfo.status, strict).map((status) => (
            <Button key={status} variant="light" loading={moveTo.isPending && moveTo.variables === status} onClick={() => moveTo.mutate(status)}>
              {t('case.moveTo', { status })}
            </Button>
          ))}
          {atLast && !caseInfo.AICC__IsCanced__CST && <Button color="green" loading={close.isPending} onClick={() => close.mutate()}>{t('case.close')}</Button>}
        </Group>
      </Card>
      <CaseActions detail={detail.data} transferRef={transferRef} onError={setActionError} onChanged={async () => { setActionError(null); await changed(); }} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            <Title order={4} mb="sm">{t('case.fields')}</Title>
            <Table>
              <Table.Tbody>
                {([
                  ['case.description', caseInfo.description],
                  ['case.owner', caseInfo.ownerName ?? caseInfo.ownerId],
                  ['case.priority', caseInfo.priority],
                  ['case.created', caseInfo.createdDate],
                  ['case.due', caseInfo.dueDate],
                  ['case.contact', customerInfo?.customerInfo.customerName ?? customerInfo?.customerInfo.name ?? caseInfo.contactId],
                ] as const).map(([label, value]) => (
                  <Table.Tr key={label}><Table.Th>{t(label)}</Table.Th><Table.Td>{value ?? '—'}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Card withBorder mt="md">
            <Title order={4} mb="sm">{t('case.tasks')}</Title>
            {tasks.length === 0 ? <Text>{t('case.noTasks')}</Text> : tasks.map((task) => (
              <Group key={task.id} data-testid="case-task"><Badge variant="outline">{task.status}</Badge><Text>{task.title}</Text><Text size="sm" c="dimmed">{task.dueDate}</Text></Group>
            ))}
            <NewTask caseId={caseId} onError={setActionError} onCreated={async () => { setActionError(null); await changed(); }} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder>
            <form onSubmit={submitNote}>
              <Stack>
                <Title order={4}>{t('case.note')}</Title>
                <TextInput ref={noteRef} label={t('case.noteTitle')} value={noteTitle} onChange={(event) => setNoteTitle(event.currentTarget.value)} required error={noteTitleTooLong} />
                <Textarea label={t('case.note')} value={noteText} onChange={(event) => setNoteText(event.currentTarget.value)} required autosize minRows={3} error={noteTextTooLong} />
                <Button type="submit" loading={note.isPending} disabled={noteTitleTooLong !== undefined || noteTextTooLong !== undefined}>{t('case.addNote')}</Button>
              </Stack>
            </form>
          </Card>
          <Card withBorder mt="md">
            <Title order={4} mb="sm">{t('case.timeline')}</Title>
            <Timeline bulletSize={14} data-testid="case-timeline">
              {(history.data?.pages.flatMap((page) => page.traces) ?? []).map((trace) => (
                <Timeline.Item key={trace.id} title={`${trace.type} · ${trace.creatorName}`}>
                  <Text size="xs" c="dimmed">{trace.createdDate}</Text>
                  {trace.title && <Text size="sm" fw={500}>{trace.title}</Text>}
                  {trace.changes.length > 0 ? trace.changes.map((change) => (
                    <Text key={change.field} size="sm" c="dimmed">{change.field}: {shown(change.field, change.from)} → {shown(change.field, change.to)}</Text>
                  )) : trace.description && <Text size="sm" c="dimmed">{trace.description}</Text>}
                </Timeline.Item>
              ))}
            </Timeline>
            {history.hasNextPage && <Button variant="subtle" mt="sm" loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>{t('case.moreHistory')}</Button>}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
