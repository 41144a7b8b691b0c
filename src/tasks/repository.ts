import type { Insertable, SelectQueryBuilder, Updateable } from 'kysely';
import { changeNotificationCall } from '../changes/index.js';
import { advanceCounters, CHANGE_SEQUENCE, nextSerial } from '../db/counters.js';
import { insertTrace, NEW_TRACE_COLUMNS, type NewTaskTrace, type NewTraceColumns } from '../traces/insert.js';
import { containsPattern, likeIgnoringCase } from '../db/like.js';
import { lockedForChange } from '../db/database.js';
import { repository, type Db, type Queryable, type Tx } from '../db/store.js';
import { preparedQuery } from '../db/prepared.js';
import { RELATE_TYPE_CASE } from '../wire/enums.js';
import type { Database, TasksTable } from '../db/tables.js';

/** What a task list may be narrowed by, in database terms; every field given must hold. */
export interface TaskFilters {
  /** Matched case-insensitively, `%` and `_` literally. */
  titleContains?: string;
  status?: string;
  excludeStatus?: string;
  priority?: string;
  ownerId?: string;
  creatorId?: string;
  relateType?: string;
  relateId?: string;
  contactId?: string;
  createdFrom?: number;
  createdTo?: number;
}

/** Every task column and the owner's current name (a left join: an owner removed later leaves the task readable). */
function withOwnerName<O>(query: SelectQueryBuilder<Database, 'tasks', O>) {
  return query
    .leftJoin('users as owner', (join) => join.onRef('owner.tenant_id', '=', 'tasks.tenant_id').onRef('owner.id', '=', 'tasks.owner_id'))
    .selectAll('tasks')
    .select('owner.name as owner_name');
}

// Task detail's queries, prepared once (see db/prepared.ts): they run on every detail request.
const taskWithOwnerName = preparedQuery('tasks.withOwnerName', (db: Db, tenantId: string, taskId: string) =>
  withOwnerName(db.selectFrom('tasks')).where('tasks.tenant_id', '=', tenantId).where('tasks.id', '=', taskId));

const tracesOfTask = preparedQuery('tasks.traces', (db: Db, tenantId: string, taskId: string) => db.selectFrom('task_traces')
  .select(['creator_id', 'creator_name', 'description', 'related_id', 'title', 'type'])
  .where('tenant_id', '=', tenantId)
  .where('task_id', '=', taskId)
  .orderBy('position'));

/**
 * What a task-detail response is made of, as version stamps: the task (its trace count grows with every trace),
 * its case, its contact (whose version grows with every change of it, its address or organization), and its
 * owner's name. Equal stamps, equal responses.
 */
const detailStamp = preparedQuery('tasks.detailStamp', (db: Db, tenantId: string, taskId: string) => db.selectFrom('tasks')
  .leftJoin('users as owner', (join) => join.onRef('owner.tenant_id', '=', 'tasks.tenant_id').onRef('owner.id', '=', 'tasks.owner_id'))
  .leftJoin('cases', (join) => join.onRef('cases.tenant_id', '=', 'tasks.tenant_id').onRef('cases.id', '=', 'tasks.relate_id'))
  .leftJoin('contacts', (join) => join.onRef('contacts.tenant_id', '=', 'tasks.tenant_id').onRef('contacts.id', '=', 'tasks.contact_id'))
  .select(['tasks.last_modified_at as task_modified', 'tasks.trace_count as task_traces', 'owner.name as owner_name',
    'cases.last_modified_at as case_modified', 'cases.trace_count as case_traces', 'contacts.version as contact_version'])
  .where('tasks.tenant_id', '=', tenantId)
  .where('tasks.id', '=', taskId));

/** What the stamp query reads, which a detail response's build also holds: one row type for both. */
export type DetailStampParts = Awaited<ReturnType<typeof detailStamp>>[number];

/**
 * The stamp as one string, from the stamp query's row or from the rows a response was built from (the same columns
 * through the same driver, so the same values): equal strings, equal responses.
 */
export function detailStampOf(parts: DetailStampParts): string {
  return JSON.stringify([parts.task_modified, parts.task_traces, parts.owner_name, parts.case_modified, parts.case_traces, parts.contact_version]);
}

/** The filters as the values bound into a list's SQL: the title filter as its LIKE pattern. */
type BoundFilters = Omit<TaskFilters, 'titleContains'> & { titlePattern?: string };

function applyFilters<O>(query: SelectQueryBuilder<Database, 'tasks', O>, f: BoundFilters): SelectQueryBuilder<Database, 'tasks', O> {
  if (f.titlePattern !== undefined) query = query.where(likeIgnoringCase('tasks.title', f.titlePattern));
  if (f.status !== undefined) query = query.where('tasks.status', '=', f.status);
  if (f.excludeStatus !== undefined) query = query.where('tasks.status', '!=', f.excludeStatus);
  if (f.priority !== undefined) query = query.where('tasks.priority', '=', f.priority);
  if (f.ownerId !== undefined) query = query.where('tasks.owner_id', '=', f.ownerId);
  if (f.creatorId !== undefined) query = query.where('tasks.creator_id', '=', f.creatorId);
  if (f.relateType !== undefined) query = query.where('tasks.relate_type', '=', f.relateType);
  if (f.relateId !== undefined) query = query.where('tasks.relate_id', '=', f.relateId);
  if (f.contactId !== undefined) query = query.where('tasks.contact_id', '=', f.contactId);
  if (f.createdFrom !== undefined) query = query.where('tasks.created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) query = query.where('tasks.created_at', '<=', f.createdTo);
  return query;
}

/**
 * A list's count and page queries, prepared once for each combination of filters (see db/prepared.ts): which filters
 * are present decides the SQL, their values are bound. Profiled on task/list: building the two queries cost more
 * than running them on a warm database.
 */
function preparedListQueries(names: ReadonlyArray<keyof BoundFilters>) {
  const bound = (values: unknown[]) => Object.fromEntries(names.map((name, i) => [name, values[i]])) as BoundFilters;
  const shape = names.join(',');
  return {
    count: preparedQuery(`tasks.count:${shape}`, (db: Db, tenantId: string, ...values: unknown[]) =>
      applyFilters(db.selectFrom('tasks').where('tasks.tenant_id', '=', tenantId), bound(values))
        .select((eb) => eb.fn.countAll<number | string>().as('count'))),
    // Newest first; the id breaks ties so that pages never overlap or skip.
    page: preparedQuery(`tasks.page:${shape}`, (db: Db, tenantId: string, start: number, limit: number, ...values: unknown[]) =>
      withOwnerName(applyFilters(db.selectFrom('tasks').where('tasks.tenant_id', '=', tenantId), bound(values)))
        .orderBy('tasks.created_at', 'desc')
        .orderBy('tasks.id', 'desc')
        .limit(limit)
        .offset(start)),
  };
}

const listQueriesByShape = new Map<string, ReturnType<typeof preparedListQueries>>();

/** The prepared queries for these filters, and the values to bind, in the same order. */
function listQueriesFor(filters: TaskFilters) {
  const { titleContains, ...rest } = filters;
  const boundFilters: BoundFilters = { ...rest, ...(titleContains !== undefined && { titlePattern: containsPattern(titleContains) }) };
  const names = (Object.keys(boundFilters) as Array<keyof BoundFilters>).filter((name) => boundFilters[name] !== undefined).sort();
  const shape = names.join(',');
  let queries = listQueriesByShape.get(shape);
  if (!queries) listQueriesByShape.set(shape, (queries = preparedListQueries(names)));
  return { queries, values: names.map((name) => boundFilters[name]) };
}

function tasksQueries(q: Queryable) {
  const db = q.db;
  return {
    async insertTask(task: Insertable<TasksTable>): Promise<void> {
      await db.insertInto('tasks').values(task).execute();
    },

    async findTaskWithOwnerName(tenantId: string, taskId: string) {
      return (await taskWithOwnerName(q, tenantId, taskId))[0];
    },

    /** The version stamp of a task's detail response as one string, or undefined when there is no such task. */
    async findDetailStamp(tenantId: string, taskId: string): Promise<string | undefined> {
      const row = (await detailStamp(q, tenantId, taskId))[0];
      return row && detailStampOf(row);
    },

    /** A task's history, oldest first. */
    findTraces(tenantId: string, taskId: string) {
      return tracesOfTask(q, tenantId, taskId);
    },

    /** The tasks related to a case, oldest first, with their owners' names. */
    listTasksOfCase(tenantId: string, caseId: string) {
      return withOwnerName(db.selectFrom('tasks'))
        .where('tasks.tenant_id', '=', tenantId)
        .where('tasks.relate_id', '=', caseId)
        .where('tasks.relate_type', '=', RELATE_TYPE_CASE)
        .orderBy('tasks.created_at')
        .orderBy('tasks.id')
        .execute();
    },

    async countTasks(tenantId: string, filters: TaskFilters): Promise<number> {
      const { queries, values } = listQueriesFor(filters);
      const [row] = await queries.count(q, tenantId, ...values);
      return Number(row?.count ?? 0);
    },

    /** One page, newest first; the id breaks ties so that pages never overlap or skip. */
    listTasks(tenantId: string, filters: TaskFilters, start: number, limit: number) {
      const { queries, values } = listQueriesFor(filters);
      return queries.page(q, tenantId, start, limit, ...values);
    },
  };
}

/** The columns a new task is written with; its number comes from the tenant's counter as it is inserted. */
const NEW_TASK_COLUMNS = [
  'tenant_id', 'id', 'title', 'description', 'relate_type', 'relate_id', 'owner_id', 'contact_id', 'priority', 'status',
  'attachment', 'creator_id', 'creator_name', 'due_at', 'created_at', 'last_modified_at', 'trace_count',
] as const satisfies ReadonlyArray<keyof TasksTable>;

export type NewTask = { [C in (typeof NEW_TASK_COLUMNS)[number]]: Insertable<TasksTable>[C] };

/**
 * PostgreSQL: a new task and its first trace in one statement that takes both of the tenant's numbers (task_no, then
 * trace_seq, the lock order) and sends the change's notification, so that the counter rows, which every change of the
 * tenant waits for, are held from this statement to COMMIT: 2 round trips, where taking each number in a statement of
 * its own held them across 5 (the profile in docs/scaling.md). SQLite has no data-modifying CTEs, and needs none: its
 * writes take turns on the database anyway.
 */
const insertNewTaskTakingNumbers = preparedQuery('tasks.insertNewTakingNumbers', (db: Db, tenantId: string, taskId: string, ...values: unknown[]) => {
  // The builder sees each parameter as a marker (db/prepared.ts): the rows are put together from them in column order.
  const task = Object.fromEntries(NEW_TASK_COLUMNS.map((column, i) => [column, values[i]])) as NewTask;
  const trace = Object.fromEntries(NEW_TRACE_COLUMNS.map((column, i) => [column, values[NEW_TASK_COLUMNS.length + i]])) as NewTraceColumns;
  return db
    .with('numbers', (qc) => advanceCounters(qc, tenantId, ['task_no', CHANGE_SEQUENCE]))
    .with('task', (qc) => qc.insertInto('tasks')
      .values({ ...task, task_no: (eb) => eb.selectFrom('numbers').select('value').where('name', '=', 'task_no') })
      .returning('id'))
    .with('trace', (qc) => qc.insertInto('task_traces')
      .values({ ...trace, task_id: taskId, seq: (eb) => eb.selectFrom('numbers').select('value').where('name', '=', CHANGE_SEQUENCE) })
      .returning('seq'))
    .selectFrom('trace')
    .select((eb) => ['trace.seq', changeNotificationCall(tenantId, eb.ref('trace.seq')).as('notified')]);
});

/** What only a change may do: locked reads, and the writes a trace goes with. */
function tasksChanges(tx: Tx) {
  const db = tx.db;
  return {
    /** A new task and its first trace, each with the tenant's next number (task_no, trace_seq). */
    async insertNewTask(task: NewTask, trace: NewTaskTrace): Promise<void> {
      const tenantId = task.tenant_id;
      if (tx.store.dialect === 'postgres') {
        const [row] = await insertNewTaskTakingNumbers(tx, tenantId, task.id, ...NEW_TASK_COLUMNS.map((c) => task[c]), ...NEW_TRACE_COLUMNS.map((c) => trace[c]));
        if (!row) throw new Error(`task ${task.id} was not inserted`);
        tx.announced(tenantId, Number(row.seq));
        return;
      }
      await tasksQueries(tx).insertTask({ ...task, task_no: await nextSerial(tx, tenantId, 'task_no') });
      await insertTrace(tx, trace);
    },

    /** The task a change is about to be based on, locked against concurrent changes until the transaction ends. */
    findTaskForChange(tenantId: string, taskId: string) {
      return lockedForChange(tx, db.selectFrom('tasks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', taskId)).executeTakeFirst();
    },

    /**
     * Applies a change and counts the trace it will write, in one UPDATE: the returned count is the new
     * trace's position, and the row stays locked until the transaction ends.
     */
    async applyChange(tenantId: string, taskId: string, patch: Updateable<TasksTable>): Promise<number> {
      const row = await db.updateTable('tasks')
        .set((eb) => ({ ...patch, trace_count: eb('trace_count', '+', 1) }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', taskId)
        .returning('trace_count')
        .executeTakeFirstOrThrow();
      return Number(row.trace_count);
    },
  };
}

export const createTasksRepository = repository(tasksQueries, tasksChanges);

export type TasksRepository = ReturnType<typeof createTasksRepository>;
