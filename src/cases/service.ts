import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import { createCaseTypesRepository } from '../case-types/repository.js';
import { flowOf } from '../case-types/service.js';
import { requireContact } from '../contacts/references.js';
import { loadCustomerInfo } from '../contacts/service.js';
import { nextSerial } from '../db/counters.js';
import type { Store, Tx } from '../db/store.js';
import type { CasesTable } from '../db/tables.js';
import { both, createdRange, instantOf, tighterBound } from '../lists/filters.js';
import { createQueuesRepository } from '../queues/repository.js';
import { countNewCase } from '../statistics/changes.js';
import { toTaskInfo } from '../tasks/mapping.js';
import { createTasksRepository } from '../tasks/repository.js';
import { diffFields, type FieldChange } from '../traces/record.js';
import { toTraceItem } from '../traces/schemas.js';
import { requireUser } from '../users/references.js';
import { actingUser, authorize, operatorIdOf, type Operator } from '../permissions/checks.js';
import type { Action } from '../permissions/table.js';
import { formatWireDate } from '../wire/dates.js';
import { CASE_ORIGIN_ALIASES, CASE_ORIGINS, COMPLETED_STATUS, PRIORITY_ORDINALS, type CaseState } from '../wire/enums.js';
import { detailPartial, fitNewest } from '../lists/reply-bound.js';
import { ApiError } from '../wire/errors.js';
import { newId } from '../wire/ids.js';
import { eitherSpelling } from '../wire/spellings.js';
import { recordCaseChange, writeCaseTrace } from './changes.js';
import { toCaseDetailInfo, toCaseListItem } from './mapping.js';
import {
  checkTemplateValues, sentTemplateValues, templateFieldsOfCases, templateFilters, templateForWrite, templatesOfTenant, writeTemplateValues,
} from './template-values.js';
import { fieldsOf } from '../case-templates/service.js';
import { resumenFilters } from './resumen.js';
import { createCasesRepository, DEFAULT_CASE_ORDER, FEW_CASES_TO_SORT, type CaseFilters, type CaseOrder, type CasesRepository } from './repository.js';
import type {
  CancelCaseInput, CaseActionInput, CloseCaseInput, ReopenCaseInput, CaseDetail, CaseListItem, CreateCaseInput, ListCasesInput, ModifyCaseInput, ProcessCaseInput,
  TransferCaseInput, UpdateCaseStatusInput,
} from './schemas.js';

type CaseRow = Selectable<CasesTable>;

/** AICC documents a case list's time range as at most 31 days. */
const CASE_LIST_MAX_DAYS = 31;
/** AICC: suspendAccumulatedTime is in minutes, 1 to 1439999. */
const MAX_SUSPEND_MINUTES = 1_439_999;

function notFound(caseId: string): ApiError {
  return new ApiError('recordNotFound', `case ${caseId} does not exist`);
}

function stateFor(status: string, started: boolean): CaseState {
  if (status === COMPLETED_STATUS) return 'Completed';
  return started ? 'Processing' : 'Pending';
}

function normalizeOrigin(origin: string | null | undefined): string | null {
  if (!origin) return null;
  return CASE_ORIGIN_ALIASES[origin] ?? origin;
}

async function loadCase(tx: Tx, tenantId: string, caseId: string): Promise<CaseRow> {
  const found = await createCasesRepository(tx).findCaseForChange(tenantId, caseId);
  if (!found) throw notFound(caseId);
  return found;
}

/**
 * The operator of a change of `row`, allowed to make it: the user the call acts as (permissions/checks.ts actingUser),
 * holding `action` on this case, which its owner (a user, or a queue and its members) owns.
 */
async function operatorFor(
  tx: Tx, tenant: TenantContext, action: Action, row: CaseRow, creatorId: string | null | undefined, field: string, required: boolean,
): Promise<Operator> {
  const operator = await actingUser(tx, tenant, creatorId, field, { required });
  await authorize(tx, tenant, action, { operator, record: { what: `case ${row.id}`, ownerId: row.owner_id, ownerType: row.owner_type } });
  return operator;
}

/** A closed case is final: every change is refused (reopen, an opencase extension, is the way back). */
function requireNotClosed(row: CaseRow): void {
  if (row.is_closed === 1) throw new ApiError('conflict', `case ${row.id} is closed: reopen it (POST /opencase/v1/cases/${row.id}/reopen) to change it`);
}

/** Closed cases refuse every change; cancelled ones are read-only until resumed. */
function requireNotCancelled(row: CaseRow, call: string): void {
  requireNotClosed(row);
  if (row.is_cancelled === 1) throw new ApiError('conflict', `case ${row.id} is cancelled: resume it before ${call}`);
}

/** Minutes of a suspension that ends now, added to the case's total (AICC's range is 1 to 1439999). */
function endSuspension(row: CaseRow, now: number): Updateable<CasesTable> {
  if (row.suspended_at === null) return {};
  const minutes = Math.max(1, Math.ceil((now - row.suspended_at) / 60_000));
  return { suspended_at: null, suspend_accumulated_minutes: Math.min(MAX_SUSPEND_MINUTES, (row.suspend_accumulated_minutes ?? 0) + minutes) };
}

/** 创建工单: the case enters the first status of its type's flow, with the next case number and a CreateCase trace. */
export async function createCase(store: Store, tenant: TenantContext, input: CreateCaseInput, now: number): Promise<{ caseId: string }> {
  const { tenantId, timeZone } = tenant;
  const dueAt = input.dueDate ? instantOf(input.dueDate, timeZone, 'caseInfo.dueDate') : null;
  const autoAssigned = eitherSpelling(input, 'isAtuoAssigned', 'isAutoAssigned', 'caseInfo.');
  if (autoAssigned === undefined) throw new ApiError('invalidRequest', 'caseInfo.isAtuoAssigned is required (AICC\'s spelling; isAutoAssigned is taken too)');
  if (!input.ownerId && !autoAssigned) {
    throw new ApiError('invalidRequest', 'caseInfo.ownerId is required when caseInfo.isAtuoAssigned is false');
  }
  await authorize(store, tenant, 'case.create');
  return store.transaction(async (tx) => {
    // Share-locked first (this case has no row to lock yet): a type update that drops the first status waits for
    // this create, or this create sees the flow without it.
    const caseType = await createCaseTypesRepository(tx).findCaseTypeForCaseWrite(tenantId, input.type);
    if (!caseType) throw new ApiError('invalidRequest', `caseInfo.type ${input.type} is not a case type of this tenant`);
    if (caseType.status !== 'Active') throw new ApiError('invalidRequest', `caseInfo.type ${input.type} is Inactive: cases need an Active case type`);
    const template = await templateForWrite(tx, tenantId, caseType.template_id);
    const templateValues = checkTemplateValues(template, sentTemplateValues(input), timeZone, { creating: true, typeId: caseType.id });
    const creator = await actingUser(tx, tenant, input.creatorId, 'caseInfo.creatorId');
    await requireContact(tx, tenantId, input.contactId, 'caseInfo.contactId');
    const cases = createCasesRepository(tx);
    let ownerId = input.ownerId ?? null;
    if (ownerId) await requireUser(tx, tenantId, ownerId, 'caseInfo.ownerId');
    else ownerId = (await cases.leastLoadedUser(tenantId)) ?? creator.id;

    const status = flowOf(caseType)[0] ?? COMPLETED_STATUS;
    if (input.state !== undefined && input.state !== stateFor(status, false)) {
      throw new ApiError('invalidRequest', `caseInfo.state of a new case is ${stateFor(status, false)} (its state follows its status, ${status}): leave it out`);
    }
    const caseId = newId('case');
    const record: Insertable<CasesTable> = {
      tenant_id: tenantId,
      id: caseId,
      case_no: await nextSerial(tx, tenantId, 'case_no'),
      type_id: caseType.id,
      title: input.title,
      description: input.description,
      status,
      state: stateFor(status, false),
      priority: input.priority ?? null,
      origin: normalizeOrigin(input.origin),
      owner_id: ownerId,
      owner_type: 'user',
      contact_id: input.contactId,
      contact_phone: input.contactPhone ?? null,
      creator_id: creator.id,
      attachment: input.attachment ?? null,
      be_id: input.beId ?? null,
      due_at: dueAt,
      created_at: now,
      last_modified_at: now,
      closed_at: status === COMPLETED_STATUS ? now : null,
      trace_count: 1,
    };
    await cases.insertCase(record);
    await writeTemplateValues(tx, tenantId, caseId, template, templateValues, timeZone);
    await writeCaseTrace(tx, tenantId, caseId, 1, {
      type: 'CreateCase',
      operator: creator,
      changes: input.ownerId ? [] : [{ field: 'ownerId', from: null, to: ownerId }],
      description: input.ownerId ? null : `auto-assigned to ${ownerId}`,
    }, now);
    // Last, after the trace's counter: the lock order of statistics/changes.ts.
    await countNewCase(tx, tenantId, timeZone, record);
    return { caseId };
  });
}

/**
 * 查询工单详情: the case, its history, its contact, its tasks, and whether the caller (the API app's user) follows it.
 * Tasks and history too long for a reply of `replyLimitBytes` keep their newest, and `partial` says so (lists/reply-bound.ts).
 */
export async function getCaseDetail(
  store: Store, tenant: TenantContext, caseId: string, replyLimitBytes: number,
): Promise<{ detail: CaseDetail; partial: string | undefined }> {
  await authorize(store, tenant, 'case.read');
  const cases = createCasesRepository(store);
  const row = await cases.findCaseWithNames(tenant.tenantId, caseId);
  if (!row) throw notFound(caseId);
  const template = row.template_fields_json === null || row.template_id === null
    ? null
    : { id: row.template_id, name: row.template_name ?? '', fields: fieldsOf({ fields_json: row.template_fields_json }) };
  const [traces, customerInfo, tasks, isFollower, templateFields] = await Promise.all([
    cases.findTraces(tenant.tenantId, caseId),
    loadCustomerInfo(store, tenant.tenantId, row.contact_id, tenant.timeZone),
    createTasksRepository(store).listTasksOfCase(tenant.tenantId, caseId),
    cases.isFollower(tenant.tenantId, caseId, tenant.caller.userId),
    templateFieldsOfCases(store, tenant.tenantId, [{ id: caseId, template }], tenant.timeZone),
  ]);
  const detail = {
    caseInfo: { ...toCaseDetailInfo(row, tenant.timeZone), ...templateFields.get(caseId) },
    caseTrace: traces.map(toTraceItem),
    customerInfo,
    isFollower,
    tasks: tasks.map((task) => toTaskInfo(task, tenant.timeZone)),
  };
  // The tasks first, beside the case alone; then the history, in what they leave.
  const fittedTasks = fitNewest({ ...detail, caseTrace: [] }, 'tasks', replyLimitBytes);
  const fittedTrace = fitNewest({ ...detail, tasks: fittedTasks.items }, 'caseTrace', replyLimitBytes);
  return {
    detail: { ...detail, tasks: fittedTasks.items, caseTrace: fittedTrace.items },
    partial: detailPartial([fittedTasks.note, fittedTrace.note], replyLimitBytes),
  };
}

/** The columns case/modify may change. */
type ModifiableColumn = 'title' | 'description' | 'owner_id' | 'priority' | 'due_at' | 'contact_id' | 'contact_phone' | 'attachment';

/** 修改工单: the fields sent are changed; a call that changes nothing writes nothing. */
export async function modifyCase(store: Store, tenant: TenantContext, input: ModifyCaseInput, now: number): Promise<void> {
  const dueAt = input.dueDate === undefined || input.dueDate === null ? input.dueDate : instantOf(input.dueDate, tenant.timeZone, 'caseInfo.dueDate');
  await store.transaction((tx) => modifyCaseIn(tx, tenant, input, dueAt, now));
}

/**
 * What case/modify's work takes: its fields, title and description left out where the caller changes neither (a bulk
 * change of the priority sends only that), with the remark a bulk change puts on the trace.
 */
type CaseModification = Omit<ModifyCaseInput, 'title' | 'description'> & Partial<Pick<ModifyCaseInput, 'title' | 'description'>> & { remark?: string };

/**
 * case/modify's work in the caller's change (its own transaction, or one item of a bulk change): `dueAt` is the
 * instant of `dueDate`, converted before the change so that a bad date is refused before the case is read;
 * `operatorField` is how a refusal names creatorId in the caller's body.
 */
export async function modifyCaseIn(
  tx: Tx, tenant: TenantContext, input: CaseModification, dueAt: number | null | undefined, now: number, operatorField = 'caseInfo.creatorId',
): Promise<void> {
  const { tenantId, timeZone } = tenant;
  const row = await loadCase(tx, tenantId, input.id);
  requireNotCancelled(row, 'modifying it');
  const operator = await operatorFor(tx, tenant, 'case.modify', row, input.creatorId, operatorField, true);
  if (input.ownerId) await requireUser(tx, tenantId, input.ownerId, 'caseInfo.ownerId');
  if (input.contactId) await requireContact(tx, tenantId, input.contactId, 'caseInfo.contactId');
  const sent = sentTemplateValues(input);
  // The type share-locked after the case row: a type update may not switch the template these values belong to meanwhile.
  const caseType = sent.size > 0 ? await createCaseTypesRepository(tx).findCaseTypeForCaseWrite(tenantId, row.type_id) : undefined;
  const template = caseType ? await templateForWrite(tx, tenantId, caseType.template_id) : null;
  const templateValues = checkTemplateValues(template, sent, timeZone, { creating: false, typeId: row.type_id });

  const wanted: Array<[field: string, column: ModifiableColumn, next: string | number | null | undefined]> = [
    ['title', 'title', input.title],
    ['description', 'description', input.description],
    ['ownerId', 'owner_id', input.ownerId],
    ['priority', 'priority', input.priority],
    ['dueDate', 'due_at', dueAt],
    ['contactId', 'contact_id', input.contactId],
    ['contactPhone', 'contact_phone', input.contactPhone],
    ['attachment', 'attachment', input.attachment],
  ];
  const wire = (column: ModifiableColumn, value: string | number | null) =>
    (column === 'due_at' ? formatWireDate(value as number | null, timeZone) : (value as string | null));
  const { patch, changes } = diffFields(wanted, row, wire);
  // Template fields are traced like any other field (their values live in case_field_values).
  changes.push(...await writeTemplateValues(tx, tenantId, row.id, template, templateValues, timeZone));
  if (changes.length === 0) return;
  const ownerMoved = patch.owner_id !== undefined ? { owner_type: 'user', transfer_count: row.transfer_count + 1 } : {};
  await recordCaseChange(tx, tenantId, row.id, { ...(patch as Updateable<CasesTable>), ...ownerMoved }, {
    type: 'ModifyCase', operator, changes, title: input.remark ?? null,
  }, now);
}

/** 分配工单: to a user or a queue of the tenant, with the remark on the trace. */
/**
 * A user to transfer a case to. A queue's id sent without `ownerType` (which only AICC's Chinese page documents) is
 * the likeliest slip, so that refusal says what to send instead of only "not a user".
 */
async function requireOwnerUser(tx: Tx, tenantId: string, ownerId: string): Promise<void> {
  try {
    await requireUser(tx, tenantId, ownerId, 'ownerId');
  } catch (error) {
    if (!(await createQueuesRepository(tx).findQueue(tenantId, ownerId))) throw error;
    throw new ApiError('invalidRequest', `ownerId ${ownerId} is a queue of this tenant, not a user: send ownerType "queue" to transfer the case to a queue`);
  }
}

export async function transferCase(store: Store, tenant: TenantContext, input: TransferCaseInput, now: number): Promise<void> {
  await store.transaction((tx) => transferCaseIn(tx, tenant, input, now));
}

/** case/transfer's work in the caller's change (its own transaction, or one item of a bulk change, whose remark is optional). */
export async function transferCaseIn(
  tx: Tx, tenant: TenantContext, input: Omit<TransferCaseInput, 'remark'> & { remark?: string }, now: number,
): Promise<void> {
  const { tenantId } = tenant;
  const ownerType = input.ownerType ?? 'user';
  const row = await loadCase(tx, tenantId, input.id);
  requireNotCancelled(row, 'transferring it');
  const operator = await operatorFor(tx, tenant, 'case.transfer', row, input.creatorId, 'creatorId', true);
  if (ownerType === 'user') await requireOwnerUser(tx, tenantId, input.ownerId);
  else if (!(await createQueuesRepository(tx).findQueue(tenantId, input.ownerId))) {
    throw new ApiError('invalidRequest', `ownerId ${input.ownerId} is not a queue of this tenant`);
  }
  if (row.owner_id === input.ownerId && row.owner_type === ownerType) return;
  const changes: FieldChange[] = [{ field: 'ownerId', from: row.owner_id, to: input.ownerId }];
  if (row.owner_type !== ownerType) changes.push({ field: 'ownerType', from: row.owner_type, to: ownerType });
  await recordCaseChange(tx, tenantId, row.id, { owner_id: input.ownerId, owner_type: ownerType, transfer_count: row.transfer_count + 1 }, {
    type: 'TransferCase', operator, changes, title: input.remark ?? null,
  }, now);
}

/** 处理工单: an internal note, an email or an SMS recorded on the trace; opencase itself sends nothing. */
export async function processCase(store: Store, tenant: TenantContext, input: ProcessCaseInput, now: number): Promise<void> {
  const { tenantId } = tenant;
  await store.transaction(async (tx) => {
    const row = await loadCase(tx, tenantId, input.caseId);
    requireNotCancelled(row, 'processing it');
    const operator = await operatorFor(tx, tenant, 'case.process', row, input.creatorId, 'creatorId', true);
    const info = input.processInfo;
    // The handler AICC lets the note name: for a signed-in user, itself too.
    if (info.creatorId) await requireUser(tx, tenantId, operatorIdOf(tenant, info.creatorId, 'processInfo.creatorId'), 'processInfo.creatorId');
    const channel: FieldChange[] = [{ field: 'processInfo.type', from: null, to: info.type }];
    for (const [field, value] of [['processInfo.from', info.from], ['processInfo.fromName', info.fromName], ['processInfo.toAddress', info.toAddress]] as const) {
      if (value) channel.push({ field, from: null, to: value });
    }
    await recordCaseChange(tx, tenantId, row.id, {}, {
      type: 'ProcessCase', operator, changes: channel, title: info.title, description: info.description,
    }, now);
  });
}

/** 取消工单: the case keeps its status and becomes read-only; resume returns it to work. A suspension ends here. */
export async function cancelCase(store: Store, tenant: TenantContext, input: CancelCaseInput, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    const row = await loadCase(tx, tenant.tenantId, input.id);
    requireNotClosed(row);
    if (row.is_cancelled === 1) throw new ApiError('conflict', `case ${row.id} is already cancelled`);
    const operator = await operatorFor(tx, tenant, 'case.cancel', row, input.creatorId, 'creatorId', true);
    await recordCaseChange(tx, tenant.tenantId, row.id, { is_cancelled: 1, cancelled_at: now, ...endSuspension(row, now) }, {
      type: 'CancelCase', operator, changes: [{ field: 'isCanced', from: 'false', to: 'true' }], title: input.remark,
    }, now);
  });
}

/** opencase extension: pauses the case's clock (suspendDate set; the time is added to suspendAccumulatedTime on resume). */
export async function suspendCase(store: Store, tenant: TenantContext, caseId: string, input: CaseActionInput, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    const row = await loadCase(tx, tenant.tenantId, caseId);
    requireNotCancelled(row, 'suspending it');
    if (row.state === 'Completed') throw new ApiError('conflict', `case ${row.id} is Completed: there is no clock to pause`);
    if (row.suspended_at !== null) throw new ApiError('conflict', `case ${row.id} is already suspended`);
    const operator = await operatorFor(tx, tenant, 'case.suspend', row, input.creatorId, 'creatorId', false);
    await recordCaseChange(tx, tenant.tenantId, row.id, { suspended_at: now }, {
      type: 'SuspendCase', operator, changes: [{ field: 'isSuspend', from: 'false', to: 'true' }], title: input.remark ?? null,
    }, now);
  });
}

/**
 * opencase extension (AICC offers it in its console): a cancelled case returns to work in the status it had;
 * a suspended one restarts its clock, the pause added to suspendAccumulatedTime.
 */
export async function resumeCase(store: Store, tenant: TenantContext, caseId: string, input: CaseActionInput, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    const row = await loadCase(tx, tenant.tenantId, caseId);
    requireNotClosed(row);
    // Undoing a cancellation takes the cancel permission; ending a suspension, the suspend permission.
    const action = row.is_cancelled === 1 ? 'case.cancel' : 'case.suspend';
    const operator = await operatorFor(tx, tenant, action, row, input.creatorId, 'creatorId', false);
    let patch: Updateable<CasesTable>;
    let changes: FieldChange[];
    if (row.is_cancelled === 1) {
      patch = { is_cancelled: 0, cancelled_at: null };
      changes = [{ field: 'isCanced', from: 'true', to: 'false' }];
    } else if (row.suspended_at !== null) {
      patch = endSuspension(row, now);
      changes = [
        { field: 'isSuspend', from: 'true', to: 'false' },
        { field: 'suspendAccumulatedTime', from: row.suspend_accumulated_minutes?.toString() ?? null, to: String(patch.suspend_accumulated_minutes) },
      ];
    } else {
      throw new ApiError('conflict', `case ${row.id} is neither cancelled nor suspended`);
    }
    await recordCaseChange(tx, tenant.tenantId, row.id, patch, { type: 'ResumeCase', operator, changes, title: input.remark ?? null }, now);
  });
}

/**
 * 修改工单状态 / 工单流转: to a status of the case type's flow; when the flow is strict (isStrctOrder), only to the
 * next one. Completed closes the case (ending any suspension); leaving Completed reopens it.
 */
export async function updateCaseStatus(store: Store, tenant: TenantContext, input: UpdateCaseStatusInput, now: number): Promise<void> {
  await store.transaction((tx) => updateCaseStatusIn(tx, tenant, input, now));
}

/** status/update's work in the caller's change (its own transaction, or one item of a bulk change, with its remark). */
export async function updateCaseStatusIn(tx: Tx, tenant: TenantContext, input: UpdateCaseStatusInput & { remark?: string }, now: number): Promise<void> {
  const row = await loadCase(tx, tenant.tenantId, input.id);
  requireNotCancelled(row, 'changing its status');
  const operator = await operatorFor(tx, tenant, 'case.status', row, input.creatorId, 'creatorId', true);
  // Share-locked after the case row: a type update dropping the status waits for this change (and then sees the
  // case in it: a 409), or this change waits for the update and sees the flow without it. Read unlocked, both
  // committed on PostgreSQL (measured: 23 of 30 tries left a case in a status its type no longer had).
  const caseType = await createCaseTypesRepository(tx).findCaseTypeForCaseWrite(tenant.tenantId, row.type_id);
  const flow = caseType ? flowOf(caseType) : [COMPLETED_STATUS];
  if (!flow.includes(input.status)) {
    throw new ApiError('invalidRequest', `status ${input.status} is not in the flow of case type ${row.type_id} (${flow.join(', ')})`);
  }
  if (input.status === row.status) return;
  if (caseType?.is_strict_order === 1) {
    const next = flow[flow.indexOf(row.status) + 1];
    if (flow.includes(row.status) && input.status !== next) {
      throw new ApiError('invalidRequest', `status must be ${next ?? 'unchanged'}: case type ${row.type_id} keeps its flow in strict order (${flow.join(' → ')})`);
    }
  }
  const closing = input.status === COMPLETED_STATUS;
  const reopening = row.status === COMPLETED_STATUS;
  const state = stateFor(input.status, true);
  const patch: Updateable<CasesTable> = {
    status: input.status,
    state,
    stay_at: now,
    closed_at: closing ? now : null,
    ...(reopening && { reopen_count: row.reopen_count + 1 }),
    ...(closing && endSuspension(row, now)),
  };
  const changes: FieldChange[] = [{ field: 'status', from: row.status, to: input.status }];
  if (state !== row.state) changes.push({ field: 'state', from: row.state, to: state });
  await recordCaseChange(tx, tenant.tenantId, row.id, patch, { type: 'StatusUpdate', operator, changes, title: input.remark ?? null }, now);
}

/**
 * 关闭工单: the case must stand at the last status of its type's flow (its work is done); closing makes it final.
 * `closedDate` becomes the moment of the close, and every later change is refused until it is reopened.
 */
export async function closeCase(store: Store, tenant: TenantContext, input: CloseCaseInput, now: number): Promise<void> {
  const { tenantId, timeZone } = tenant;
  await store.transaction(async (tx) => {
    const row = await loadCase(tx, tenantId, input.caseId);
    requireNotCancelled(row, 'closing it');
    const operator = await operatorFor(tx, tenant, 'case.close', row, input.creatorId, 'creatorId', true);
    const flow = await flowOfCase(tx, tenantId, row);
    const last = flow.at(-1) ?? COMPLETED_STATUS;
    if (row.status !== last) {
      throw new ApiError('conflict', `case ${row.id} is at status ${row.status}: only a case at the last status of its flow (${last}) can be closed; move it with status/update first`);
    }
    const changes: FieldChange[] = [{ field: 'closedDate', from: formatWireDate(row.closed_at, timeZone), to: formatWireDate(now, timeZone) }];
    if (row.state !== 'Completed') changes.push({ field: 'state', from: row.state, to: 'Completed' });
    await recordCaseChange(tx, tenantId, row.id, { is_closed: 1, state: 'Completed', closed_at: now, ...endSuspension(row, now) }, {
      type: 'CloseCase', operator, changes, title: input.remark ?? null,
    }, now);
  });
}

/**
 * opencase extension (AICC has no reopen call, but its case list filters on isReopen): a closed case returns to
 * work at a status of its flow before the last (the first by default), counted as a reopening.
 */
export async function reopenCase(store: Store, tenant: TenantContext, caseId: string, input: ReopenCaseInput, now: number): Promise<void> {
  const { tenantId, timeZone } = tenant;
  await store.transaction(async (tx) => {
    const row = await loadCase(tx, tenantId, caseId);
    if (row.is_closed !== 1) throw new ApiError('conflict', `case ${row.id} is not closed: change its status with status/update instead`);
    const operator = await operatorFor(tx, tenant, 'case.reopen', row, input.creatorId, 'creatorId', false);
    const flow = await flowOfCase(tx, tenantId, row);
    const open = flow.slice(0, -1);
    const status = input.status ?? open[0];
    if (status === undefined || !open.includes(status)) {
      throw new ApiError('invalidRequest', open.length === 0
        ? `case ${row.id} cannot be reopened: the flow of case type ${row.type_id} has no status before ${flow.at(-1) ?? COMPLETED_STATUS}`
        : `status must be a status of the flow before its last (${open.join(', ')})`);
    }
    const changes: FieldChange[] = [
      { field: 'status', from: row.status, to: status },
      { field: 'state', from: row.state, to: 'Processing' },
      { field: 'closedDate', from: formatWireDate(row.closed_at, timeZone), to: null },
    ];
    await recordCaseChange(tx, tenantId, row.id, {
      is_closed: 0, status, state: 'Processing', closed_at: null, stay_at: now, reopen_count: row.reopen_count + 1,
    }, { type: 'ReopenCase', operator, changes, title: input.remark ?? null }, now);
  });
}

/**
 * The statuses of a case's type in order, the type share-locked (after the case row) until the change commits; a case
 * whose type is gone has only AICC's default end.
 */
async function flowOfCase(tx: Tx, tenantId: string, row: CaseRow): Promise<string[]> {
  const caseType = await createCaseTypesRepository(tx).findCaseTypeForCaseWrite(tenantId, row.type_id);
  return caseType ? flowOf(caseType) : [COMPLETED_STATUS];
}

/** Below this many cases holding a template value, a page reads them from the value index first; above, it walks the cases. */
const FEW_TEMPLATE_MATCHES = 2_000;

/**
 * A case/list page filtered by template values, planned by how many cases hold the first value (one index count).
 * Measured at 1,000,000 cases (scratch/templates-1m.ts, SQLite): a value held by 100,000 cases took 480 ms as an IN
 * list (the page sorted 100,000 rows), 2 ms as a walk of the newest cases; a value held by one case took 2 ms as an IN
 * list and 6 s as a walk. The count is the index count itself when nothing else filters.
 */
async function listByTemplateValues(cases: CasesRepository, tenantId: string, filters: CaseFilters, start: number, limit: number, order?: CaseOrder) {
  const [first, ...more] = filters.templateValues ?? [];
  if (!first) throw new Error('listByTemplateValues needs a template filter');
  const held = await cases.countTemplateValue(tenantId, first.field, first.value);
  const onlyThat = more.length === 0 && Object.entries(filters).every(([key, value]) => key === 'templateValues' || value === undefined);
  const page = { ...filters, templateJoin: held <= FEW_TEMPLATE_MATCHES ? 'in' as const : 'exists' as const };
  const inList = { ...filters, templateJoin: 'in' as const };
  return Promise.all([onlyThat ? held : cases.countCases(tenantId, inList), cases.listCases(tenantId, page, start, limit, order)]);
}

/** opencase extension: the caller's user (or the user named) follows or stops following a case. */
export async function setFollowing(store: Store, tenant: TenantContext, caseId: string, userId: string | undefined, follow: boolean, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    const row = await loadCase(tx, tenant.tenantId, caseId);
    const user = await operatorFor(tx, tenant, 'case.follow', row, userId, 'userId', false);
    const cases = createCasesRepository(tx);
    if (follow) await cases.follow(tenant.tenantId, caseId, user.id, now);
    else await cases.unfollow(tenant.tenantId, caseId, user.id);
  });
}

/** case/list's ordinal form ("0".."3") as the value it stands for; names pass through. */
function fromOrdinal(value: string, ordered: readonly string[]): string {
  return /^[0-3]$/.test(value) ? (ordered[Number(value)] ?? value) : value;
}

/**
 * 查询工单列表. `classification` is relative to `creatorId` (else the API app's user): Todo = owned and open,
 * Follow = followed, Created = created, Processed = owned and Completed. `resumenType` selects the cases
 * 查询工单概览 counts (cases/resumen.ts): newCases = created today, finishedCases = completed today, unfinishedCases =
 * open (neither Completed nor cancelled), overCases = open and past due.
 */
export async function listCases(store: Store, tenant: TenantContext, input: ListCasesInput, now: number): Promise<{ caseList: CaseListItem[]; count: number }> {
  const { timeZone } = tenant;
  await authorize(store, tenant, 'case.read');
  const range = createdRange(input, timeZone, CASE_LIST_MAX_DAYS);
  const c = input.classification;
  // With a classification, creatorId names whose list this is: for a signed-in user, its own.
  const actor = c === undefined ? input.creatorId ?? tenant.caller.userId : operatorIdOf(tenant, input.creatorId, 'creatorId');
  const r = input.resumenType;

  const owner = [input.ownerId, input.queueId, c === 'Todo' || c === 'Processed' ? actor : undefined].reduce(both<string>, undefined);
  const completedByClass = c === 'Todo' ? false : c === 'Processed' ? true : undefined;
  const resumen: CaseFilters = r === undefined ? {} : resumenFilters(r, now, timeZone);
  const completed = both(completedByClass, resumen.completed);
  if (owner === 'conflict' || completed === 'conflict') return { caseList: [], count: 0 };
  // Without a classification creatorId filters by creator; with one, it names whose Todo, Follow… list this is.
  const creator = c === 'Created' ? actor : c === undefined ? input.creatorId : undefined;
  const createdFrom = tighterBound(Math.max, range.createdFrom, resumen.createdFrom);
  const createdTo = tighterBound(Math.min, range.createdTo, resumen.createdTo);

  const templateValues = await templateFilters(store, tenant, input);
  const filters: CaseFilters = {
    ...(templateValues.length > 0 && { templateValues }),
    ...resumen,
    ...(input.title !== undefined && { titleContains: input.title }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.priority !== undefined && { priority: fromOrdinal(input.priority, PRIORITY_ORDINALS) }),
    ...(input.origin !== undefined && { origin: normalizeOrigin(fromOrdinal(input.origin, CASE_ORIGINS)) ?? input.origin }),
    ...(owner !== undefined && { ownerId: owner }),
    ...(input.queueId !== undefined && { ownerType: 'queue' }),
    ...(input.type !== undefined && { typeId: input.type }),
    ...(input.contactId !== undefined && { contactId: input.contactId }),
    ...(input.contactPhone !== undefined && { contactPhone: input.contactPhone }),
    ...(creator !== undefined && { creatorId: creator }),
    ...(c === 'Todo' && { cancelled: false }),
    ...(c === 'Follow' && { followerId: actor }),
    ...(input.caseNo !== undefined && { caseNo: Number(input.caseNo) }),
    ...(createdFrom !== undefined && { createdFrom }),
    ...(createdTo !== undefined && { createdTo }),
    ...(completed !== undefined && { completed }),
    ...(input.isReopen !== undefined && { reopened: input.isReopen }),
    ...(input.isDirectResponse !== undefined && { directResponse: input.isDirectResponse }),
  };
  return pageOfCases(store, tenant, filters, input.start, input.limit);
}

/** One page of the cases `filters` select, in `order`, as case/list's items, and how many there are in all. */
export async function pageOfCases(
  store: Store, tenant: TenantContext, filters: CaseFilters, start: number, limit: number, order?: CaseOrder,
): Promise<{ caseList: CaseListItem[]; count: number }> {
  const { tenantId, timeZone } = tenant;
  const cases = createCasesRepository(store);
  let count: number;
  let rows: Awaited<ReturnType<CasesRepository['listCases']>>;
  if (filters.templateValues) {
    [count, rows] = await listByTemplateValues(cases, tenantId, filters, start, limit, order);
  } else if (filters.queueMemberId !== undefined || filters.unassigned) {
    // Cases of a set of queues: counted from the owner index first; a few are read by it and sorted (CaseOrder.sortMatches).
    count = await cases.countCases(tenantId, filters);
    rows = await cases.listCases(tenantId, filters, start, limit, { ...(order ?? DEFAULT_CASE_ORDER), sortMatches: count <= FEW_CASES_TO_SORT });
  } else {
    [count, rows] = await Promise.all([cases.countCases(tenantId, filters), cases.listCases(tenantId, filters, start, limit, order)]);
  }
  // Templates are read only for a page that holds a case of a templated type: most lists need no extra query.
  const templated = rows.some((row) => row.template_id !== null);
  const templates = new Map((templated ? await templatesOfTenant(store, tenantId) : []).map((template) => [template.id, template]));
  const templateFields = await templateFieldsOfCases(store, tenantId, rows.map((row) => ({
    id: row.id, template: (row.template_id && templates.get(row.template_id)) || null,
  })), timeZone);
  return { caseList: rows.map((row) => ({ ...toCaseListItem(row, timeZone), ...templateFields.get(row.id) })), count };
}
