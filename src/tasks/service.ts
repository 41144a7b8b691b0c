import fastJson from 'fast-json-stringify';
import type { Updateable } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import { recordCaseChange } from '../cases/changes.js';
import { requireCase } from '../cases/references.js';
import { createCasesRepository } from '../cases/repository.js';
import type { CaseInfo } from '../cases/schemas.js';
import { toCaseInfo } from '../cases/mapping.js';
import { requireContact } from '../contacts/references.js';
import { loadCustomer } from '../contacts/service.js';
import type { Store, Tx } from '../db/store.js';
import type { TasksTable } from '../db/tables.js';
import { requireUser } from '../users/references.js';
import { actingUser, authorize, operatorIdOf, requireActive, type OwnedRecord } from '../permissions/checks.js';
import type { Action } from '../permissions/table.js';
import { callerLabel } from '../permissions/caller.js';
import { formatWireDate } from '../wire/dates.js';
import { success } from '../wire/envelope.js';
import { RELATE_TYPE_CASE } from '../wire/enums.js';
import { ApiError } from '../wire/errors.js';
import { newId } from '../wire/ids.js';
import { diffFields, traceRow } from '../traces/record.js';
import { toTraceItem } from '../traces/schemas.js';
import { recordTaskChange } from './changes.js';
import { serializeTaskDetail, type CachedDetail } from './detail-cache.js';
import { toTaskInfo, toTaskListItem } from './mapping.js';
import { both, createdRange, instantOf } from '../lists/filters.js';
import { ListResponseCache } from '../lists/response-cache.js';
import { detailPartial, fitNewest, fitRows, nextStart } from '../lists/reply-bound.js';
import { createTasksRepository, detailStampOf, type TaskFilters } from './repository.js';
import type { TaskDetail } from './detail-schema.js';
import { ListTasksArrayResponse, ListTasksResponse } from './schemas.js';
import { replyShapeKey } from '../wire/profile.js';
import type {
  CreateTaskInput, ListTasksInput, ModifyTaskInput, ProcessTaskInput, TaskListItem, TransferTaskInput, UpdateTaskStatusInput,
} from './schemas.js';

/** The columns task/modify may change (owner and status have calls of their own). */
type ModifiableColumn = 'title' | 'description' | 'relate_type' | 'relate_id' | 'contact_id' | 'priority' | 'due_at' | 'attachment';

function notFound(taskId: string): ApiError {
  return new ApiError('recordNotFound', `task ${taskId} does not exist`);
}

/** AICC: "if the association type has a value, relateId must have one too"; and a relateId names nothing without a type. */
function checkRelation(type: string | null, relateId: string | null, prefix: string): void {
  if (type !== null && relateId === null) throw new ApiError('invalidRequest', `${prefix}relateId is required when ${prefix}type is set`);
  if (type === null && relateId !== null) throw new ApiError('invalidRequest', `${prefix}type is required when ${prefix}relateId is set`);
}

/** A task as the permission checks see it: owned by its owner, a user (permissions/checks.ts). */
function ownedTask(task: { id: string; owner_id: string }): OwnedRecord {
  return { what: `task ${task.id}`, ownerId: task.owner_id, ownerType: 'user' };
}

/**
 * The operator of a change of `task`, allowed to make it: the user the call acts as (permissions/checks.ts
 * actingUser), holding `action` on this task.
 */
async function operatorFor(tx: Tx, tenant: TenantContext, action: Action, task: { id: string; owner_id: string }, creatorId: string | undefined, field: string, required: boolean) {
  const operator = await actingUser(tx, tenant, creatorId, field, { required });
  await authorize(tx, tenant, action, { operator, record: ownedTask(task) });
  return operator;
}

/**
 * 查询任务详情: the task, its history, the case it belongs to and its contact, all within the caller's tenant. A history
 * too long for a reply of `replyLimitBytes` keeps its newest traces, and `partial` says so (lists/reply-bound.ts).
 */
export async function getTaskDetail(
  store: Store, tenant: TenantContext, taskId: string, replyLimitBytes: number,
): Promise<{ detail: TaskDetail; partial: string | undefined; stamp: string }> {
  const tasks = createTasksRepository(store);
  // The history needs only the id: read beside the task (on PostgreSQL each step is a round trip), and dropped if there is no task.
  const [task, traces] = await Promise.all([tasks.findTaskWithOwnerName(tenant.tenantId, taskId), tasks.findTraces(tenant.tenantId, taskId)]);
  if (!task) throw notFound(taskId);

  const [relatedCase, customer] = await Promise.all([
    task.relate_type === RELATE_TYPE_CASE && task.relate_id
      ? createCasesRepository(store).findCase(tenant.tenantId, task.relate_id)
      : undefined,
    loadCustomer(store, tenant.tenantId, task.contact_id, tenant.timeZone),
  ]);

  const caseInfos: CaseInfo[] = relatedCase ? [toCaseInfo(relatedCase, tenant.timeZone)] : [];
  const detail = { caseInfos, customerInfo: customer.info, taskInfo: toTaskInfo(task, tenant.timeZone), taskTrace: traces.map(toTraceItem) };
  const { items: taskTrace, note } = fitNewest(detail, 'taskTrace', replyLimitBytes);
  // The stamp of exactly the rows this response shows (the stamp query's columns, read here with them).
  const stamp = detailStampOf({
    task_modified: task.last_modified_at, task_traces: task.trace_count, owner_name: task.owner_name,
    case_modified: relatedCase?.last_modified_at ?? null, case_traces: relatedCase?.trace_count ?? null, contact_version: customer.version,
  });
  return { detail: { ...detail, taskTrace }, partial: detailPartial([note], replyLimitBytes), stamp };
}

/**
 * 查询任务详情 as the bytes of the whole reply: from the cache while nothing changed in the tenant, or while the task's
 * stamp is unchanged; else built, serialized and kept. The change sequence (read with the token) comes before the
 * stamp, and the stamp before the build, so a response built after a concurrent change is kept under older marks and
 * never served for the newer ones.
 */
export async function getTaskDetailBody(
  store: Store, tenant: TenantContext, taskId: string, replyLimitBytes: number,
): Promise<CachedDetail> {
  await authorize(store, tenant, 'task.read');
  const cache = store.taskDetails;
  const key = `${tenant.tenantId}/${tenant.timeZone}/${tenant.wire.successMessage}/${taskId}`;
  const current = cache.current(key, tenant.changeSeq);
  if (current !== undefined) return current;
  // The stamp query pays only where a response is kept to compare with; else it would be one more round trip (of
  // four, on PostgreSQL) before the build, which yields the stamp of what it read.
  if (cache.holds(key)) {
    const stamp = await createTasksRepository(store).findDetailStamp(tenant.tenantId, taskId);
    if (stamp === undefined) throw notFound(taskId);
    const unchanged = cache.unchanged(key, stamp, tenant.changeSeq);
    if (unchanged !== undefined) return unchanged;
  }
  const { detail, partial, stamp } = await getTaskDetail(store, tenant, taskId, replyLimitBytes);
  const body = Buffer.from(serializeTaskDetail(success(detail, tenant.wire.successMessage)));
  cache.set(key, tenant.changeSeq, stamp, body, partial);
  return { body, partial };
}

/**
 * 创建任务: a Pending task with the next task number and its CreateTask trace, in one transaction. Locks: the case it
 * is created on, then task_no, then trace_seq (the lock order of docs/semantics.md).
 */
export async function createTask(store: Store, tenant: TenantContext, input: CreateTaskInput, now: number): Promise<{ taskId: string }> {
  const type = input.type ?? null;
  const relateId = input.relateId ?? null;
  checkRelation(type, relateId, 'taskInfo.');
  const dueAt = input.dueDate ? instantOf(input.dueDate, tenant.timeZone, 'taskInfo.dueDate') : null;

  const creatorId = operatorIdOf(tenant, input.creatorId, 'taskInfo.creatorId', { required: true });
  await authorize(store, tenant, 'task.create');

  return store.transaction(async (tx) => {
    const { tenantId } = tenant;
    const owner = await requireUser(tx, tenantId, input.ownerId, 'taskInfo.ownerId');
    const creator = creatorId === owner.id ? owner : await requireUser(tx, tenantId, creatorId, 'taskInfo.creatorId');
    requireActive(creator, 'taskInfo.creatorId');
    const operator = { id: creator.id, name: creator.name, via: callerLabel(tenant.caller) };
    if (input.contactId) await requireContact(tx, tenantId, input.contactId, 'taskInfo.contactId');
    // The case row before the tenant's counters (the lock order of docs/semantics.md): its history takes the task's
    // trace below, and a status change of the case locks the case, then the counters. Locked only at that later write,
    // the two deadlocked on PostgreSQL (measured: 78 of 300 such calls a 500, 89 a 503, up to 26 s).
    if (relateId) await requireCase(tx, tenantId, relateId, 'taskInfo.relateId', 'change');

    const taskId = newId('task');
    await createTasksRepository(tx).insertNewTask({
      tenant_id: tenantId,
      id: taskId,
      title: input.title,
      description: input.description ?? null,
      relate_type: type,
      relate_id: relateId,
      owner_id: input.ownerId,
      contact_id: input.contactId ?? null,
      priority: input.priority ?? null,
      status: 'Pending',
      attachment: input.attachment ?? null,
      creator_id: creator.id,
      creator_name: creator.name,
      due_at: dueAt,
      created_at: now,
      last_modified_at: now,
      trace_count: 1,
    }, { ...traceRow(tenantId, 1, { type: 'CreateTask', operator, changes: [] }, now), task_id: taskId });
    // The case's own history shows the task too, linked by relatedId.
    if (relateId) {
      await recordCaseChange(tx, tenantId, relateId, {}, {
        type: 'CreateTask', operator, changes: [], relatedId: taskId, title: input.title, description: null,
      }, now);
    }
    return { taskId };
  });
}

/** 修改任务: changes the fields sent; a call that changes nothing writes nothing, not even a trace. */
export async function modifyTask(store: Store, tenant: TenantContext, input: ModifyTaskInput, now: number): Promise<void> {
  const { timeZone, tenantId } = tenant;
  const dueAt = input.dueDate === undefined || input.dueDate === null ? input.dueDate : instantOf(input.dueDate, timeZone, 'taskInfo.dueDate');

  await store.transaction(async (tx) => {
    const task = await createTasksRepository(tx).findTaskForChange(tenantId, input.id);
    if (!task) throw notFound(input.id);
    const operator = await operatorFor(tx, tenant, 'task.modify', task, input.creatorId, 'taskInfo.creatorId', false);

    const type = input.type !== undefined ? input.type : task.relate_type;
    const relateId = input.relateId !== undefined ? input.relateId : task.relate_id;
    checkRelation(type, relateId, 'taskInfo.');
    if (input.contactId) await requireContact(tx, tenantId, input.contactId, 'taskInfo.contactId');
    if (input.relateId && input.relateId !== task.relate_id) await requireCase(tx, tenantId, input.relateId, 'taskInfo.relateId', 'reading');

    const wanted: Array<[field: string, column: ModifiableColumn, next: string | number | null | undefined]> = [
      ['title', 'title', input.title],
      ['description', 'description', input.description],
      ['type', 'relate_type', type],
      ['relateId', 'relate_id', relateId],
      ['contactId', 'contact_id', input.contactId],
      ['priority', 'priority', input.priority],
      ['dueDate', 'due_at', dueAt],
      ['attachment', 'attachment', input.attachment],
    ];
    const wire = (column: ModifiableColumn, value: string | number | null) =>
      (column === 'due_at' ? formatWireDate(value as number | null, timeZone) : (value as string | null));
    const { patch, changes } = diffFields(wanted, task, wire);
    if (changes.length === 0) return;

    await recordTaskChange(tx, tenantId, task.id, patch as Updateable<TasksTable>, { type: 'ModifyTask', operator, changes }, now);
  });
}

/** 分配任务: a new owner, who must be a user of the tenant; the same owner again changes nothing. */
export async function transferTask(store: Store, tenant: TenantContext, input: TransferTaskInput, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    const task = await createTasksRepository(tx).findTaskForChange(tenant.tenantId, input.id);
    if (!task) throw notFound(input.id);
    const operator = await operatorFor(tx, tenant, 'task.transfer', task, input.creatorId, 'creatorId', true);
    await requireUser(tx, tenant.tenantId, input.ownerId, 'ownerId');
    if (input.ownerId === task.owner_id) return;
    await recordTaskChange(tx, tenant.tenantId, task.id, { owner_id: input.ownerId }, {
      type: 'TransferTask',
      operator,
      changes: [{ field: 'ownerId', from: task.owner_id, to: input.ownerId }],
    }, now);
  });
}

/**
 * 修改任务状态: any status to any other. `stayDate` becomes the moment the new status was entered;
 * `closedDate` is set on Completed and cleared when the task is reopened.
 */
export async function updateTaskStatus(store: Store, tenant: TenantContext, input: UpdateTaskStatusInput, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    const task = await createTasksRepository(tx).findTaskForChange(tenant.tenantId, input.id);
    if (!task) throw notFound(input.id);
    const operator = await operatorFor(tx, tenant, 'task.status', task, input.creatorId, 'creatorId', true);
    if (input.status === task.status) return;
    const patch = { status: input.status, stay_at: now, closed_at: input.status === 'Completed' ? now : null };
    await recordTaskChange(tx, tenant.tenantId, task.id, patch, {
      type: 'StatusUpdate',
      operator,
      changes: [{ field: 'status', from: task.status, to: input.status }],
    }, now);
  });
}

/** 处理任务: a handling note (title, description, attachment) on the task's trace; the status is left as it is. */
export async function processTask(store: Store, tenant: TenantContext, input: ProcessTaskInput, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    const task = await createTasksRepository(tx).findTaskForChange(tenant.tenantId, input.taskId);
    if (!task) throw notFound(input.taskId);
    const operator = await operatorFor(tx, tenant, 'task.process', task, input.creatorId, 'creatorId', true);
    await recordTaskChange(tx, tenant.tenantId, task.id, {}, {
      type: 'ProcessTask',
      operator,
      changes: [],
      title: input.processInfo.title,
      description: input.processInfo.description,
      attachment: input.processInfo.attachment ?? null,
    }, now);
  });
}

/**
 * 查询任务列表. `classification` is relative to the acting user (`creatorId`): Todo = owned by them and not
 * Completed; Created = created by them; Processed = owned by them and Completed.
 */
const serializeTaskList = fastJson(ListTasksResponse);
const serializeWrappedTaskList = fastJson(ListTasksArrayResponse);

/**
 * task/list as the bytes of the whole reply, from the cache while nothing changed in the tenant since the same
 * request was answered (the change sequence is read with the token, before the list). A page that would pass
 * `replyLimitBytes` stops short, and `partial` says so (lists/reply-bound.ts).
 */
export async function listTasksBody(
  store: Store, tenant: TenantContext, input: ListTasksInput, replyLimitBytes: number,
): Promise<{ body: Buffer; partial: string | undefined }> {
  await authorize(store, tenant, 'task.read');
  // The list is relative to its acting user: a signed-in user's, when the call names none, keys its cached reply.
  const actor = { ...input, creatorId: operatorIdOf(tenant, input.creatorId, 'creatorId', { required: true }) };
  const cache = store.taskLists;
  const key = ListResponseCache.keyOf(tenant.tenantId, `${tenant.timeZone}/${replyShapeKey(tenant.wire)}`, actor);
  const cached = cache.reply(key, tenant.changeSeq);
  if (cached !== undefined) return cached;
  const full = await listTasks(store, tenant, actor);
  const { rows: taskList, partial } = fitRows(full.taskList, replyLimitBytes, nextStart(input.start));
  const page = { count: full.count, taskList };
  const message = tenant.wire.successMessage;
  const body = Buffer.from(tenant.wire.taskListResult === 'array'
    ? serializeWrappedTaskList(success([page], message))
    : serializeTaskList(success(page, message)));
  cache.set(key, tenant.changeSeq, body, partial);
  return { body, partial };
}

export async function listTasks(
  store: Store, tenant: TenantContext, input: ListTasksInput & { creatorId: string },
): Promise<{ count: number; taskList: TaskListItem[] }> {
  const { tenantId, timeZone } = tenant;
  if (input.type !== undefined && input.relateId === undefined) throw new ApiError('invalidRequest', 'relateId is required when type is set');
  const range = createdRange(input, timeZone);
  await requireUser(store, tenantId, input.creatorId, 'creatorId');

  const actor = input.creatorId;
  const owner = both(input.ownerId, input.classification === 'Todo' || input.classification === 'Processed' ? actor : undefined);
  const status = both(input.status, input.classification === 'Processed' ? 'Completed' : undefined);
  const excludeStatus = input.classification === 'Todo' ? 'Completed' : undefined;
  if (owner === 'conflict' || status === 'conflict' || (status !== undefined && status === excludeStatus)) return { count: 0, taskList: [] };

  const filters: TaskFilters = {
    ...(input.title !== undefined && { titleContains: input.title }),
    ...(status !== undefined && { status }),
    ...(excludeStatus !== undefined && { excludeStatus }),
    ...(input.priority !== undefined && { priority: input.priority }),
    ...(owner !== undefined && { ownerId: owner }),
    ...(input.classification === 'Created' && { creatorId: actor }),
    ...(input.type !== undefined && { relateType: input.type }),
    ...(input.relateId !== undefined && { relateId: input.relateId }),
    ...(input.contactId !== undefined && { contactId: input.contactId }),
    ...range,
  };
  const tasks = createTasksRepository(store);
  const [count, rows] = await Promise.all([
    tasks.countTasks(tenantId, filters),
    tasks.listTasks(tenantId, filters, input.start, input.limit),
  ]);
  return { count, taskList: rows.map((row) => toTaskListItem(row, timeZone)) };
}
