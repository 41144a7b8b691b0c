/**
 * With --write: a case and a task through their whole lives, each step answered by the envelope alone and leaving
 * exactly one more trace. Everything is made in a case type named conformance-…, marked with the run's id, and closed
 * or cancelled before the run ends, whatever failed on the way.
 */
import { CASE_CREATED, TASK_CREATED, TASK_DETAIL, unwrapped } from '../aicc.js';
import { conforms, fail, refused, skip, succeeded, type Context } from '../context.js';
import type { Exchange } from '../http.js';
import { aiccDate, utf8Title } from './bounds.js';
import type { Found } from './reads.js';
import { CASE_TYPE_PREFIX, kitAssignee, makeKitCaseType, textFieldOf } from './opencase-extensions.js';


/** The flow the kit gives a case type it makes itself (on opencase, through its case-types extension). */
const KIT_FLOW = 'Open,Working,Completed';
const KIT_CASE_TYPE = `${CASE_TYPE_PREFIX}kit`;

interface Workspace {
  userId: string;
  /** Another user, to assign to: a transfer to the owner itself changes nothing and need leave no trace. */
  assigneeId: string | undefined;
  /** A text field of the case type's template (`AICC__…__CST`), to send on create and find in the replies. */
  templateField: string | undefined;
  contactId: string;
  caseTypeId: string;
  flow: string[];
}

/** What the run made, to close or cancel at the end. */
interface Made {
  cases: Map<string, 'open' | 'closed' | 'cancelled'>;
  tasks: Map<string, 'open' | 'completed'>;
}

function writeOnly(exchange: Exchange, what: string): void {
  succeeded(exchange, what);
  if (Object.hasOwn(exchange.body as object, 'result')) fail(`${what} replied a result; AICC documents the envelope alone for it`);
}

export async function lifecycleChecks(ctx: Context, found: Found): Promise<void> {
  const made: Made = { cases: new Map(), tasks: new Map() };
  const workspace = await ctx.check(`write: a case type named ${CASE_TYPE_PREFIX}… to work in, a user and a contact`, () => prepare(ctx, found));
  if (!workspace) {
    ctx.record('write: the case and task lifecycles', 'skip', 'no case type, user or contact to write with (see the check above)');
    return;
  }
  try {
    await lifecycles(ctx, workspace, made);
  } finally {
    await ctx.check('write: everything the run made is closed or cancelled', () => cleanUp(ctx, workspace, made));
  }
}

async function prepare(ctx: Context, found: Found): Promise<{ note: string; value: Workspace }> {
  const userId = found.userId;
  const contactId = found.contactId;
  if (!userId) fail('no user id to act as: pass --user-id (a user of the tenant; the kit assigns its cases and tasks to it)');
  if (!contactId) fail('no contact id for the cases: pass --contact-id');
  let caseType = ctx.options.caseTypeId
    ? found.caseTypes.find((type) => type.id === ctx.options.caseTypeId)
    : found.caseTypes.find((type) => type.typeName.startsWith(CASE_TYPE_PREFIX) && type.status === 'Active');
  if (ctx.options.caseTypeId && !caseType) fail(`--case-type ${ctx.options.caseTypeId} is not in caseType/list`);
  if (caseType && !caseType.typeName.startsWith(CASE_TYPE_PREFIX)) fail(`the case type given is named otherwise than ${CASE_TYPE_PREFIX}…: the kit writes in no type of the tenant's real work`);
  if (!caseType) {
    // AICC has no call to make a case type; opencase has one among its extensions. Elsewhere a person makes it.
    const id = await makeKitCaseType(ctx, KIT_CASE_TYPE, KIT_FLOW);
    if (!id) fail(`the tenant has no active case type named ${CASE_TYPE_PREFIX}…: make one in AICC's case configuration (工单配置) with a flow of at least two statuses, then run again`);
    caseType = { id, typeName: KIT_CASE_TYPE, caseStatus: KIT_FLOW, status: 'Active' };
  }
  const detail = succeeded(await ctx.api('caseType/{id}', { method: 'GET', path: `caseType/${caseType.id}`, documentsResult: true }), 'caseType/{id}');
  const info = (detail as { caseTypeInfo?: { caseStatus?: unknown; tempalteId?: unknown; templateId?: unknown } } | undefined)?.caseTypeInfo;
  const templateId = info?.tempalteId ?? info?.templateId;
  const flow = typeof info?.caseStatus === 'string' ? info.caseStatus.split(',').map((status) => status.trim()).filter(Boolean) : [];
  if (flow.length < 2) fail('the conformance case type\'s flow (caseStatus) has fewer than two statuses to move along');
  const assigneeId = ctx.options.assigneeId ?? found.otherUserIds.find((id) => id !== userId) ?? await kitAssignee(ctx);
  const templateField = ctx.options.templateField ?? (typeof templateId === 'string' ? await textFieldOf(ctx, templateId) : undefined);
  const missing = [
    ...(assigneeId ? [] : ['no second user to assign to (pass --assignee-id)']),
    ...(templateField ? [] : ['no template text field to pass through (pass --template-field)']),
  ];
  return { note: missing.join('; '), value: { userId, assigneeId, contactId, caseTypeId: caseType.id, flow, templateField } };
}

/** A record's trace count and its fields (caseInfo or taskInfo) as its detail shows them. */
interface Seen {
  count: number;
  info: Record<string, unknown>;
}

async function caseTraces(ctx: Context, caseId: string): Promise<Seen & { status: unknown }> {
  const detail = unwrapped(succeeded(await ctx.api('case/{id}', { method: 'GET', path: `case/${caseId}`, documentsResult: true }), 'case/{id}'));
  const value = detail?.value as { caseTrace?: unknown; caseInfo?: Record<string, unknown> } | undefined;
  if (!Array.isArray(value?.caseTrace)) fail('the case detail has no caseTrace array');
  return { count: value.caseTrace.length, status: value.caseInfo?.status, info: value.caseInfo ?? {} };
}

async function taskTraces(ctx: Context, taskId: string): Promise<Seen> {
  const result = succeeded(await ctx.api('task/{id}', { method: 'GET', path: `task/${taskId}`, documentsResult: true }), 'task/{id}');
  const { taskTrace, taskInfo } = (result ?? {}) as { taskTrace?: unknown; taskInfo?: Record<string, unknown> };
  if (!Array.isArray(taskTrace)) fail('the task detail has no taskTrace array');
  return { count: taskTrace.length, info: taskInfo ?? {} };
}

/**
 * A step of a record's life, as a check: its reply is the envelope alone, the record has exactly one more trace, and
 * its detail shows each key of `expected` with the value the step sent.
 */
function lifeStep<S extends Seen>(ctx: Context, traces: 'caseTrace' | 'taskTrace', read: () => Promise<S>) {
  return (name: string, call: string, json: unknown, expected: Record<string, unknown> = {}) => ctx.check(name, async () => {
    const before = await read();
    writeOnly(await ctx.api(call, { method: 'POST', path: call, json, documentsResult: false }), call);
    const after = await read();
    if (after.count !== before.count + 1) fail(`${traces} went from ${before.count} to ${after.count} items; one step is one trace`);
    showsChange(after, expected, call);
    return after;
  });
}

/** What a step must leave in the record's fields: each key with the value the step sent. */
function showsChange(after: Seen, expected: Record<string, unknown>, what: string): void {
  const differing = Object.entries(expected).filter(([key, value]) => after.info[key] !== value).map(([key]) => key);
  if (differing.length > 0) fail(`after ${what} the detail does not show the ${differing.join(', ')} sent`);
}

async function lifecycles(ctx: Context, space: Workspace, made: Made): Promise<void> {
  const { userId, contactId, caseTypeId, flow } = space;
  const mark = `conformance ${ctx.runId}`;
  const sent = {
    title: `${mark} case`, description: 'Made by opencase conformance --write; closed by the same run.', type: caseTypeId, isAtuoAssigned: false,
    ownerId: userId, contactId, creatorId: userId, priority: 'High', origin: 'Voice',
  };
  const templateValue = `kit ${ctx.runId}`;
  const caseId = await ctx.check('cec_07_0266 create case: {caseId}, a 20-character id', async () => {
    const result = succeeded(await ctx.api('case', {
      method: 'POST', path: 'case', documentsResult: true,
      json: { caseInfo: { ...sent, ...(space.templateField && { [space.templateField]: templateValue }) } },
    }), 'case');
    conforms(result, CASE_CREATED, 'result');
    const id = (result as { caseId: string }).caseId;
    made.cases.set(id, 'open');
    return id;
  });
  if (!caseId) return;
  await ctx.check('cec_07_0268 case detail: a new case shows what create sent, at the first status of its flow', async () => {
    const detail = unwrapped(succeeded(await ctx.api('case/{id}', { method: 'GET', path: `case/${caseId}`, documentsResult: true }), 'case/{id}'));
    const info = (detail?.value as { caseInfo?: Record<string, unknown> } | undefined)?.caseInfo ?? {};
    const differing = (['title', 'description', 'type', 'ownerId', 'contactId', 'creatorId', 'priority', 'origin'] as const).filter((key) => info[key] !== sent[key]);
    if (differing.length > 0) fail(`caseInfo differs from what was sent in ${differing.join(', ')}`);
    if (info.status !== flow[0]) fail('status is not the first of the case type\'s flow');
    if (info.state === 'Completed') fail('a new case\'s state is Completed');
  });
  await ctx.check('cec_07_0266 create case: a template field is taken and comes back by its key in case detail and case list', async () => {
    const field = space.templateField;
    if (!field) skip('the conformance case type has no template text field the kit knows: pass --template-field AICC__name__CST');
    const detail = unwrapped(succeeded(await ctx.api('case/{id}', { method: 'GET', path: `case/${caseId}`, documentsResult: true }), 'case/{id}'));
    const info = (detail?.value as { caseInfo?: Record<string, unknown> } | undefined)?.caseInfo ?? {};
    if (info[field] !== templateValue) fail(`case detail's caseInfo.${field} is ${field in info ? 'not the value sent' : 'missing'}`);
    const listed = unwrapped(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 10, title: `${mark} case` }, documentsResult: true }), 'case/list'));
    const item = ((listed?.value as { caseList?: Record<string, unknown>[] } | undefined)?.caseList ?? []).find((row) => row.id === caseId);
    if (!item) fail('case/list by the run\'s title does not find the case');
    if (item[field] !== templateValue) fail(`the case/list item's ${field} is ${field in item ? 'not the value sent' : 'missing'}`);
  });

  const caseStep = lifeStep(ctx, 'caseTrace', () => caseTraces(ctx, caseId));

  const taskId = await ctx.check('cec_07_0278 create task: {taskId}, and the task detail shows it with one trace', async () => {
    const due = aiccDate(new Date(Date.now() + 7 * 86_400_000));
    const result = succeeded(await ctx.api('task', {
      method: 'POST', path: 'task', documentsResult: true,
      json: { taskInfo: { title: `${mark} task`, description: 'Made by opencase conformance --write', type: 'Case', relateId: caseId, ownerId: userId, contactId, creatorId: userId, priority: 'Low', dueDate: due } },
    }), 'task');
    conforms(result, TASK_CREATED, 'result');
    const id = (result as { taskId: string }).taskId;
    made.tasks.set(id, 'open');
    const detail = succeeded(await ctx.api('task/{id}', { method: 'GET', path: `task/${id}`, documentsResult: true }), 'task/{id}');
    conforms(detail, TASK_DETAIL, 'result');
    const { taskTrace, caseInfos } = detail as { taskTrace: unknown[]; caseInfos: { id: string }[] | null };
    if (taskTrace.length !== 1) fail(`a new task has ${taskTrace.length} traces; AICC's example shows one (CreateTask)`);
    if (!caseInfos?.some((item) => item.id === caseId)) fail('caseInfos does not hold the case named in relateId');
    return id;
  });
  if (taskId) {
    const taskStep = lifeStep(ctx, 'taskTrace', () => taskTraces(ctx, taskId));
    const modifiedTitle = `${mark} task, modified`;
    await taskStep('cec_07_0281 modify task: the envelope alone, one more trace, the new title shown', 'task/modify', { taskInfo: { id: taskId, title: modifiedTitle, priority: 'Medium', creatorId: userId } }, { title: modifiedTitle, priority: 'Medium' });
    if (space.assigneeId) await taskStep('cec_07_0282 assign task: to another user, the envelope alone, one more trace, the new owner shown', 'task/transfer', { id: taskId, ownerId: space.assigneeId, creatorId: userId }, { ownerId: space.assigneeId });
    else ctx.record('cec_07_0282 assign task: to another user, the envelope alone, one more trace, the new owner shown', 'skip', 'no second user to assign to: pass --assignee-id');
    await taskStep('cec_07_0283 task status: Processing, the envelope alone, one more trace', 'task/status/update', { id: taskId, status: 'Processing', creatorId: userId }, { status: 'Processing' });
    await taskStep('cec_07_0284 handle task: Iternal, the envelope alone, one more trace', 'task/process', { taskId, creatorId: userId, processInfo: { type: 'Iternal', title: `${mark} note`, description: 'Handled by opencase conformance' } });
    const completed = await taskStep('cec_07_0283 task status: Completed, the envelope alone, one more trace', 'task/status/update', { id: taskId, status: 'Completed', creatorId: userId }, { status: 'Completed' });
    if (completed) made.tasks.set(taskId, 'completed');
  }

  const modified = { title: `${mark} case, modified`, description: 'Modified by opencase conformance --write', priority: 'Low' };
  await caseStep('cec_07_0269 modify case: the envelope alone, one more trace, the change shown', 'case/modify', { caseInfo: { id: caseId, ...modified, creatorId: userId } }, modified);
  if (space.assigneeId) {
    await caseStep('cec_07_0270 assign case: to another user (ownerType user), the envelope alone, one more trace, the new owner shown', 'case/transfer', { id: caseId, ownerId: space.assigneeId, ownerType: 'user', creatorId: userId, remark: 'opencase conformance' }, { ownerId: space.assigneeId });
    // Back to the user the kit acts as, who may then handle and close it as its owner.
    await caseStep('cec_07_0270 assign case: back to the first user, one more trace', 'case/transfer', { id: caseId, ownerId: userId, ownerType: 'user', creatorId: userId, remark: 'opencase conformance' }, { ownerId: userId });
  } else ctx.record('cec_07_0270 assign case: to another user (ownerType user), the envelope alone, one more trace, the new owner shown', 'skip', 'no second user to assign to: pass --assignee-id');
  await caseStep('cec_07_0271 handle case: Iternal, the envelope alone, one more trace', 'case/process', { caseId, creatorId: userId, processInfo: { type: 'Iternal', title: `${mark} note`, description: 'Handled by opencase conformance' } });
  await ctx.check(`cec_07_0273 case status: along the flow (${flow.join(' → ')}), the envelope alone and one more trace each`, async () => {
    const { status: current } = await caseTraces(ctx, caseId);
    const from = flow.indexOf(String(current));
    if (from < 0) fail('the new case is at a status outside its type\'s flow');
    for (const status of flow.slice(from + 1)) {
      const before = await caseTraces(ctx, caseId);
      writeOnly(await ctx.api('status/update', { method: 'POST', path: 'status/update', json: { id: caseId, status, creatorId: userId }, documentsResult: false }), `status/update to step ${flow.indexOf(status) + 1}`);
      const after = await caseTraces(ctx, caseId);
      if (after.count !== before.count + 1) fail(`caseTrace went from ${before.count} to ${after.count} items at step ${flow.indexOf(status) + 1}`);
      if (after.status !== status) fail(`after status/update the case's status is not the one asked for (step ${flow.indexOf(status) + 1})`);
    }
  });
  const closed = await caseStep('cec_07_0274 close case: at the last status, the envelope alone, one more trace', 'close', { caseId, creatorId: userId, remark: 'Closed by opencase conformance' });
  await ctx.check('cec_07_0274 close case: the closed case shows state Completed and a closedDate', async () => {
    if (!closed) skip('the close did not succeed');
    if (typeof closed.info.closedDate !== 'string') fail('after close, caseInfo.closedDate is not a date');
    if (closed.info.state !== 'Completed') fail('after close, caseInfo.state is not Completed');
  });
  if (closed !== undefined) made.cases.set(caseId, 'closed');

  await ctx.check('cec_07_0266 create case: a title of 128 bytes of UTF-8 is taken, one of 129 is refused and makes nothing', async () => {
    const caseOf = (title: string) => ({ caseInfo: { title, description: 'Made by opencase conformance --write; cancelled by the same run.', type: caseTypeId, isAtuoAssigned: false, ownerId: userId, contactId, creatorId: userId } });
    const longMark = `${ctx.runId}L`;
    refused(await ctx.api('case', { method: 'POST', path: 'case', json: caseOf(utf8Title(129, longMark)), refusal: 'a title of 129 bytes' }), 'case with a title of 129 bytes');
    const result = succeeded(await ctx.api('case', { method: 'POST', path: 'case', json: caseOf(utf8Title(128, longMark)), documentsResult: true }), 'case with a title of 128 bytes');
    const id = (result as { caseId?: unknown } | undefined)?.caseId;
    if (typeof id !== 'string') fail('the case of a 128-byte title has no caseId');
    made.cases.set(id, 'open');
    const listed = unwrapped(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 10, title: longMark }, documentsResult: true }), 'case/list'));
    const count = (listed?.value as { count?: unknown } | undefined)?.count;
    if (count !== 1) fail(`case/list finds ${String(count)} cases with the run's mark; the refused one must not have been made`);
  });
  await ctx.check('cec_07_0272 cancel case: the envelope alone, one more trace', async () => {
    const made1 = succeeded(await ctx.api('case', {
      method: 'POST', path: 'case', documentsResult: true,
      json: { caseInfo: { title: `${mark} case to cancel`, description: 'Made by opencase conformance --write; cancelled by the same run.', type: caseTypeId, isAtuoAssigned: false, ownerId: userId, contactId, creatorId: userId } },
    }), 'case');
    const id = (made1 as { caseId?: unknown } | undefined)?.caseId;
    if (typeof id !== 'string') fail('the case to cancel has no caseId');
    made.cases.set(id, 'open');
    const before = await caseTraces(ctx, id);
    writeOnly(await ctx.api('case/cancel', { method: 'POST', path: 'case/cancel', json: { id, creatorId: userId, remark: 'Cancelled by opencase conformance' }, documentsResult: false }), 'case/cancel');
    made.cases.set(id, 'cancelled');
    const after = await caseTraces(ctx, id);
    if (after.count !== before.count + 1) fail(`caseTrace went from ${before.count} to ${after.count} items; one step is one trace`);
  });
}

/** Cancels what is still open (tasks are set Completed), then reads each back. */
async function cleanUp(ctx: Context, space: Workspace, made: Made): Promise<{ note: string; value: undefined }> {
  const problems: string[] = [];
  for (const [taskId, state] of made.tasks) {
    if (state === 'completed') continue;
    const reply = await ctx.api('task/status/update', { method: 'POST', path: 'task/status/update', json: { id: taskId, status: 'Completed', creatorId: space.userId }, documentsResult: false });
    if ((reply.body as { resCode?: unknown } | undefined)?.resCode !== '0') problems.push(`a task could not be set Completed (HTTP ${reply.status})`);
    else made.tasks.set(taskId, 'completed');
  }
  for (const [caseId, state] of made.cases) {
    if (state !== 'open') continue;
    const reply = await ctx.api('case/cancel', { method: 'POST', path: 'case/cancel', json: { id: caseId, creatorId: space.userId, remark: 'Cancelled by opencase conformance' }, documentsResult: false });
    if ((reply.body as { resCode?: unknown } | undefined)?.resCode !== '0') problems.push(`a case could not be cancelled (HTTP ${reply.status})`);
    else made.cases.set(caseId, 'cancelled');
  }
  // Then whatever carries the run's mark, should a server have made a case it was meant to refuse.
  const openMarked = async () => {
    const listed = unwrapped(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 100, title: ctx.runId }, documentsResult: true }), 'case/list'));
    const items = ((listed?.value as { caseList?: { id?: unknown; state?: unknown; isCanced?: unknown }[] } | undefined)?.caseList) ?? [];
    return items.filter((item) => item.isCanced !== true && item.state !== 'Completed' && typeof item.id === 'string').map((item) => item.id as string);
  };
  for (const caseId of await openMarked()) {
    await ctx.api('case/cancel', { method: 'POST', path: 'case/cancel', json: { id: caseId, creatorId: space.userId, remark: 'Cancelled by opencase conformance' }, documentsResult: false });
    made.cases.set(caseId, 'cancelled');
  }
  const stillOpen = (await openMarked()).length;
  if (stillOpen > 0) problems.push(`${stillOpen} of the run's cases are neither cancelled nor completed`);
  if (problems.length > 0) fail(problems.join('; '));
  return { note: `${made.cases.size} cases (${[...made.cases.values()].filter((s) => s === 'closed').length} closed, the others cancelled) and ${made.tasks.size} task${made.tasks.size === 1 ? '' : 's'} completed`, value: undefined };
}
