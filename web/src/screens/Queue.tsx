import { Alert, Badge, Checkbox, Group, NativeSelect, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useShortcuts } from '../shortcuts';
import { Pager } from './Pager';
import { useQueryClient } from '@tanstack/react-query';
import { BulkBar } from './BulkBar';
import { useCaseTypes, useOwnerName, useQueues, useTemplate, useUsers } from '../directory';
import { CASE_ORIGINS, CASE_STATE_FILTERS, CASE_VIEWS, PRIORITIES, type CaseSort, type CaseView, type SortOrder } from '../../../src/wire/enums.js';
import { useLocation } from 'wouter';
import type { SearchCasesRequest } from '../../../src/client/index.js';
import { useI18n } from '../i18n';
import { client, useMe } from '../session';

const PAGE_SIZE = 25;
/** The views an agent has; a supervisor and an admin also have `all`. */
const AGENT_VIEWS: readonly CaseView[] = CASE_VIEWS.filter((view) => view !== 'all');
/** The sorts offered, each a sort and its direction (cases/search's `sort` and `order`). */
const SORTS = ['created.desc', 'created.asc', 'updated.desc', 'due.asc', 'priority.desc'] as const;
type SortChoice = (typeof SORTS)[number];
/** The state filter's choices: `open` unless the URL says otherwise, `any` for none. */
const STATES = ['open', ...CASE_STATE_FILTERS.filter((state) => state !== 'open'), 'any'] as const;
type StateChoice = (typeof STATES)[number];

/** The filters that are a text each, by their names in the URL (case/list and cases/search take them by the same names). */
const TEXT_FILTERS = ['title', 'status', 'priority', 'origin', 'type', 'queueId', 'ownerId', 'from', 'to'] as const;
type TextFilter = (typeof TEXT_FILTERS)[number];

/**
 * Filters a person can combine; kept in the URL's query, so that a view can be reloaded, bookmarked and shared.
 * `fields` are the custom fields of the type's template (`AICC__serial__CST`…), each filtered by equality.
 */
type Filters = { view: CaseView; state: StateChoice; sort: SortChoice; page: number; fields: Record<string, string> } & Record<TextFilter, string>;
/** How a template field's filter is named in the URL. */
const FIELD_PREFIX = 'f.';

function oneOf<T extends string>(value: string | null, choices: readonly T[], otherwise: T): T {
  return choices.find((choice) => choice === value) ?? otherwise;
}

function filtersFrom(search: string): Filters {
  const query = new URLSearchParams(search);
  return {
    view: oneOf(query.get('view'), CASE_VIEWS, 'mine'),
    state: oneOf(query.get('state'), STATES, 'open'),
    sort: oneOf(query.get('sort'), SORTS, 'created.desc'),
    page: Math.max(1, Number(query.get('page') ?? '1') || 1),
    fields: Object.fromEntries([...query].filter(([name]) => name.startsWith(FIELD_PREFIX)).map(([name, value]) => [name.slice(FIELD_PREFIX.length), value])),
    ...Object.fromEntries(TEXT_FILTERS.map((name) => [name, query.get(name) ?? ''])) as Record<TextFilter, string>,
  };
}

function searchOf(filters: Filters): string {
  const query = new URLSearchParams({ view: filters.view, ...(filters.page > 1 && { page: String(filters.page) }) });
  if (filters.state !== 'open') query.set('state', filters.state);
  if (filters.sort !== 'created.desc') query.set('sort', filters.sort);
  for (const name of TEXT_FILTERS) if (filters[name]) query.set(name, filters[name]);
  for (const [name, value] of Object.entries(filters.fields)) if (value) query.set(`${FIELD_PREFIX}${name}`, value);
  return `?${query.toString()}`;
}

export function Queue() {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const { role } = useMe();
  const views: readonly CaseView[] = role === 'agent' ? AGENT_VIEWS : CASE_VIEWS;
  const [filters, setFilters] = useState<Filters>(() => {
    const fromUrl = filtersFrom(window.location.search);
    return views.includes(fromUrl.view) ? fromUrl : { ...fromUrl, view: 'mine' };
  });
  const [titleDraft, setTitleDraft] = useState(filters.title);
  const [cursor, setCursor] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const queries = useQueryClient();

  const change = (next: Partial<Filters>) => {
    const merged = { ...filters, page: 1, ...next };
    setFilters(merged);
    setCursor(0);
    setSelected(new Set());
    window.history.replaceState(null, '', `${window.location.pathname}${searchOf(merged)}`);
  };

  const types = useCaseTypes();
  const queues = useQueues();
  const users = useUsers();
  // With a type chosen, its template's fields are filters too (a select's options, yes/no, or a value typed in).
  const templateId = types.data?.caseTypes.find((type) => type.id === filters.type)?.templateId ?? null;
  const template = useTemplate(templateId);
  const templateFields = templateId === null ? [] : template.data?.fields ?? [];
  const setField = (name: string, value: string) => change({ fields: { ...filters.fields, [name]: value } });
  const [sort, order] = filters.sort.split('.') as [CaseSort, SortOrder];
  const request: SearchCasesRequest = {
    start: (filters.page - 1) * PAGE_SIZE, limit: PAGE_SIZE, view: filters.view, sort, order,
    ...(filters.state !== 'any' && { state: filters.state }),
    ...(filters.title && { title: filters.title }),
    ...(filters.status && { status: filters.status }),
    ...(filters.priority && { priority: filters.priority as SearchCasesRequest['priority'] }),
    ...(filters.origin && { origin: filters.origin as SearchCasesRequest['origin'] }),
    ...(filters.type && { type: filters.type }),
    ...(filters.queueId && { queueId: filters.queueId }),
    ...(filters.ownerId && { ownerId: filters.ownerId }),
    // A day's range in AICC's date form.
    ...(filters.from && { startTime: `${filters.from} 00:00:00` }),
    ...(filters.to && { endTime: `${filters.to} 23:59:59` }),
    // Each value as its field's type takes it: a yes/no field by true or false, a number field by a number.
    ...Object.fromEntries(Object.entries(filters.fields).filter(([, value]) => value !== '').map(([name, value]) => {
      const type = templateFields.find((field) => field.name === name)?.type;
      return [name, type === 'boolean' ? value === 'true' : type === 'number' ? Number(value) : value];
    })),
  };
  // A list names an owner by id only.
  const ownerName = useOwnerName();
  const cases = useQuery({ queryKey: ['cases', request], queryFn: () => client.cases.search(request), placeholderData: keepPreviousData });
  const rows = cases.data?.caseList ?? [];
  const pages = Math.max(1, Math.ceil((cases.data?.count ?? 0) / PAGE_SIZE));

  // j / k move through the rows, Enter opens one, x selects it for a bulk change, / goes to the search box.
  const atCursor = rows[cursor];
  useShortcuts(useMemo(() => ({
    j: () => setCursor((at) => Math.min(at + 1, Math.max(0, rows.length - 1))),
    k: () => setCursor((at) => Math.max(at - 1, 0)),
    '/': () => search.current?.focus(),
    ...(atCursor && {
      Enter: () => navigate(`/cases/${atCursor.id}`),
      x: () => setSelected((current) => {
        const next = new Set(current);
        if (next.has(atCursor.id)) next.delete(atCursor.id);
        else next.add(atCursor.id);
        return next;
      }),
    }),
  }), [rows.length, atCursor, navigate]));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('queue.title')}</Title>
        <Text size="sm" c="dimmed">{t('queue.keys')}</Text>
      </Group>
      <Group align="end">
        <SegmentedControl
          aria-label={t('queue.view')}
          value={filters.view}
          onChange={(view) => change({ view: oneOf(view, CASE_VIEWS, 'mine') })}
          data={views.map((view) => ({ value: view, label: t(`queue.view.${view}`) }))}
        />
        <NativeSelect
          label={t('queue.state')} size="xs" value={filters.state} onChange={(event) => change({ state: oneOf(event.currentTarget.value, STATES, 'open') })}
          data={STATES.map((state) => ({ value: state, label: t(`queue.state.${state}`) }))}
        />
        <NativeSelect
          label={t('queue.sort')} size="xs" value={filters.sort} onChange={(event) => change({ sort: oneOf(event.currentTarget.value, SORTS, 'created.desc') })}
          data={SORTS.map((choice) => ({ value: choice, label: t(`queue.sort.${choice}`) }))}
        />
        <NativeSelect label={t('queue.priority')} size="xs" value={filters.priority} data={[{ value: '', label: t('queue.any') }, ...PRIORITIES]} onChange={(event) => change({ priority: event.currentTarget.value })} />
        <NativeSelect label={t('queue.origin')} size="xs" value={filters.origin} data={[{ value: '', label: t('queue.any') }, ...CASE_ORIGINS]} onChange={(event) => change({ origin: event.currentTarget.value })} />
        <NativeSelect
          label={t('queue.type')} size="xs" value={filters.type} onChange={(event) => change({ type: event.currentTarget.value, fields: {} })}
          data={[{ value: '', label: t('queue.any') }, ...(types.data?.caseTypes ?? []).map((type) => ({ value: type.id, label: type.typeName }))]}
        />
        <NativeSelect
          label={t('queue.queue')} size="xs" value={filters.queueId} onChange={(event) => change({ queueId: event.currentTarget.value })}
          data={[{ value: '', label: t('queue.any') }, ...(queues.data?.queues ?? []).map((queue) => ({ value: queue.id, label: queue.name }))]}
        />
        <NativeSelect
          label={t('queue.owner')} size="xs" value={filters.ownerId} onChange={(event) => change({ ownerId: event.currentTarget.value })}
          data={[{ value: '', label: t('queue.any') }, ...(users.data?.users ?? []).map((user) => ({ value: user.id, label: user.name }))]}
        />
        {templateFields.map((field) => (field.type === 'select' || field.type === 'boolean'
          ? (
            <NativeSelect
              key={field.name} label={field.label ?? field.name} size="xs" value={filters.fields[field.name] ?? ''}
              onChange={(event) => setField(field.name, event.currentTarget.value)}
              data={[{ value: '', label: t('queue.any') }, ...(field.type === 'boolean' ? ['true', 'false'] : field.options ?? [])]}
            />
          )
          : <TextInput key={field.name} label={field.label ?? field.name} size="xs" w={140} defaultValue={filters.fields[field.name] ?? ''} onBlur={(event) => setField(field.name, event.currentTarget.value.trim())} />))}
        <TextInput label={t('queue.status')} size="xs" w={120} defaultValue={filters.status} onBlur={(event) => change({ status: event.currentTarget.value.trim() })} />
        <TextInput type="date" label={t('queue.from')} size="xs" value={filters.from} onChange={(event) => change({ from: event.currentTarget.value })} />
        <TextInput type="date" label={t('queue.to')} size="xs" value={filters.to} onChange={(event) => change({ to: event.currentTarget.value })} />
        <form onSubmit={(event) => { event.preventDefault(); change({ title: titleDraft.trim() }); }}>
          <TextInput
            ref={search} aria-label={t('queue.search')} placeholder={t('queue.search')} value={titleDraft}
            onChange={(event) => setTitleDraft(event.currentTarget.value)}
            // Escape leaves the box, so that j, k and Enter move through the rows again.
            onKeyDown={(event) => { if (event.key === 'Escape') event.currentTarget.blur(); }}
          />
        </form>
      </Group>
      {cases.error && <Alert color="red" role="alert">{t('error.generic', { message: cases.error.message })}</Alert>}
      <Text size="sm" data-testid="queue-count">{cases.data ? t('queue.count', { count: cases.data.count }) : t('common.loading')}</Text>
      {selected.size > 0 && <BulkBar ids={[...selected]} onDone={() => queries.invalidateQueries({ queryKey: ['cases'] })} />}
      <Table highlightOnHover aria-label={t('queue.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <Checkbox
                aria-label={t('queue.selectPage')} checked={rows.length > 0 && rows.every((row) => selected.has(row.id))}
                onChange={(event) => setSelected(event.currentTarget.checked ? new Set(rows.map((row) => row.id)) : new Set())}
              />
            </Table.Th>
            {(['no', 'title', 'status', 'priority', 'owner', 'due', 'created'] as const).map((column) => <Table.Th key={column}>{t(`queue.col.${column}`)}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, index) => (
            <Table.Tr
              key={row.id}
              data-testid="queue-row"
              aria-selected={index === cursor}
              bg={index === cursor ? 'var(--mantine-color-blue-light)' : undefined}
              onClick={() => navigate(`/cases/${row.id}`)}
              style={{ cursor: 'pointer' }}
            >
              <Table.Td onClick={(event) => event.stopPropagation()}>
                <Checkbox
                  aria-label={t('queue.select', { title: row.title ?? row.id })} checked={selected.has(row.id)}
                  onChange={(event) => {
                    const next = new Set(selected);
                    if (event.currentTarget.checked) next.add(row.id);
                    else next.delete(row.id);
                    setSelected(next);
                  }}
                />
              </Table.Td>
              <Table.Td>{row.caseNo}</Table.Td>
              <Table.Td><a href={`/console/cases/${row.id}`} onClick={(event) => { event.preventDefault(); navigate(`/cases/${row.id}`); }}>{row.title}</a></Table.Td>
              <Table.Td><Badge variant="light">{row.status}</Badge></Table.Td>
              <Table.Td>{row.priority ?? '—'}</Table.Td>
              <Table.Td>{row.ownerId === null ? '—' : ownerName(row.ownerId)}</Table.Td>
              <Table.Td>{row.dueDate ?? '—'}</Table.Td>
              <Table.Td>{row.createdDate}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {cases.data && rows.length === 0 && <Text>{t('queue.empty')}</Text>}
      <Pager page={filters.page} pages={pages} onPage={(page) => change({ page })} />
    </Stack>
  );
}
