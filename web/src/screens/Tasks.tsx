import { Alert, Badge, NativeSelect, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ListTasksRequest, TaskListItem } from '../../../src/client/index.js';
import { TASK_STATUSES as STATUSES } from '../../../src/wire/enums.js';
import { wireDate } from '../dates';
import { useI18n, type MessageKey } from '../i18n';
import { Pager } from './Pager';
import { useUsers } from '../directory';
import { client } from '../session';

/** AICC's task classifications, relative to the signed-in user: its open tasks, those it created, those it completed. */
const VIEWS = ['Todo', 'Created', 'Processed'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 25;

/** `YYYY-MM-DD HH:mm:ss` in the tenant's zone, compared as text with now in the same form (the browser's zone). */
function isOverdue(task: TaskListItem, now: Date): boolean {
  return task.dueDate !== null && task.status !== 'Completed' && task.dueDate < wireDate(now);
}

export function Tasks() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [view, setView] = useState<View>('Todo');
  const [page, setPage] = useState(1);
  const request: ListTasksRequest = { start: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, classification: view };
  const tasks = useQuery({ queryKey: ['tasks', request], queryFn: () => client.tasks.list(request), placeholderData: keepPreviousData });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: string }) => client.tasks.updateStatus({ id, status: status as (typeof STATUSES)[number] }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['tasks'] }),
  });
  // A task is transferred to a user (task/transfer): its owner column is the picker.
  const transfer = useMutation({
    mutationFn: ({ id, ownerId }: { id: string; ownerId: string }) => client.tasks.transfer({ id, ownerId }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['tasks'] }),
  });
  const users = useUsers();
  const rows = tasks.data?.taskList ?? [];
  const problem = tasks.error ?? setStatus.error ?? transfer.error;
  const pages = Math.max(1, Math.ceil((tasks.data?.count ?? 0) / PAGE_SIZE));
  const now = new Date();

  return (
    <Stack>
      <Title order={2}>{t('tasks.title')}</Title>
      <SegmentedControl
        aria-label={t('queue.view')} value={view} onChange={(next) => { setView(next as View); setPage(1); }}
        data={VIEWS.map((value) => ({ value, label: t(`tasks.view.${value}` as MessageKey) }))} w="fit-content"
      />
      {problem && <Alert color="red" role="alert">{t('error.generic', { message: problem.message })}</Alert>}
      <Text size="sm" data-testid="tasks-count">{tasks.data ? t('tasks.count', { count: tasks.data.count }) : t('common.loading')}</Text>
      <Table aria-label={t('tasks.title')}>
        <Table.Thead>
          <Table.Tr>
            {(['title', 'status', 'priority', 'owner', 'due'] as const).map((column) => <Table.Th key={column}>{t(`tasks.col.${column}`)}</Table.Th>)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((task) => (
            <Table.Tr key={task.taskId} data-testid="task-row">
              <Table.Td>{task.title}</Table.Td>
              <Table.Td>
                <NativeSelect
                  aria-label={t('tasks.statusOf', { title: task.title })} value={task.status} size="xs"
                  data={STATUSES.map((status) => ({ value: status, label: t(`tasks.status.${status}` as MessageKey) }))}
                  onChange={(event) => setStatus.mutate({ id: task.taskId, status: event.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>{task.priority ?? '—'}</Table.Td>
              <Table.Td>
                <NativeSelect
                  aria-label={t('tasks.ownerOf', { title: task.title })} value={task.ownerId} size="xs"
                  // The owner first, named as the list names it, even when it is beyond the users the picker reads.
                  data={[{ value: task.ownerId, label: task.ownerName ?? task.ownerId },
                    ...(users.data?.users ?? []).filter((user) => user.id !== task.ownerId).map((user) => ({ value: user.id, label: user.name }))]}
                  onChange={(event) => transfer.mutate({ id: task.taskId, ownerId: event.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>
                {task.dueDate ?? '—'} {isOverdue(task, now) && <Badge color="red" size="sm" data-testid="overdue">{t('tasks.overdue')}</Badge>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {tasks.data && rows.length === 0 && <Text>{t('tasks.empty')}</Text>}
      <Pager page={page} pages={pages} onPage={setPage} />
    </Stack>
  );
}
