/**
 * With --write: a case and a task through their whole lives, each step answered by the envelope alone and leaving
 * exactly one more trace. Everything is made in a case type named conformance-…, marked with the run's id, and closed
 * or cancelled before the run ends, whatever failed on the way.
 */
import { CASE_CREATED, TASK_CREATED, TASK_DETAIL, unwrapped } from '../aicc.js';
import { conforms, fail, refused, succeeded, type Context } from '../context.js';
import type { Exchange } from '../http.js';
import { aiccDate, utf8Title } from './bounds.js';
import type { Found } from './reads.js';

export const CASE_TYPE_PREFIX = 'conformance-';
/** The flow the kit gives a case type it makes itself (on opencase, through its case-types extension). */
const KIT_FLOW = 'Open,Working,Completed';

interface Workspace {
  userId: string;
  /** Another user, to assign to: a transfer to the owner itself changes nothing and need leave no trace. */
  assigneeId: string | undefined;
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
    const made = await ctx.http.send({
      method: 'POST', path: '/opencase/v1/case-types', headers: { 'access-token': ctx.token ?? '' },
      json: { typeName: `${CASE_TYPE_PREFIX}kit`, caseStatus: KIT_FLOW, isStrctOrder: false, description: 'Cases made by opencase conformance --write; each is closed or cancelled by the run that made it.' },
    });
    const id = ((made.body as { result?: { caseTypeId?: unknown } } | undefined)?.result)?.caseTypeId;
    if (made.status !== 200 || typeof id !== 'string') {
      fail(`the tenant has no active case type named ${CASE_TYPE_PREFIX}…: make one in AICC's case configuration (工单配置) with a flow of at least two statuses, then run again`);
    }
    caseType = { id, typeName: `${CASE_TYPE_PREFIX}kit`, caseStatus: KIT_FLOW, status: 'Active' };
  }
  const detail = succeeded(await ctx.api('caseType/{id}', { method: 'GET', path: `caseType/${caseType.id}`, documentsResult: true }), 'caseType/{id}');
  const info = (detail as { caseTypeInfo?: { caseStatus?: unknown } } | undefined)?.caseTypeInfo;
  const flow = typeof info?.caseStatus === 'string' ? info.caseStatus.split(',').map((status) => status.trim()).filter(Boolean) : [];
  if (flow.length < 2) fail('the conformance case type\'s flow (caseStatus) has fewer than two statuses to move along');
  const assigneeId = ctx.options.assigneeId ?? found.otherUserIds.find((id) => id !== userId) ?? await kitAssignee(ctx);
  return {
    note: assigneeId ? '' : 'no second user to assign to: the assign steps are skipped (pass --assignee-id)',
    value: { userId, assigneeId, contactId, caseTypeId: caseType.id, flow },
  };
}

const KIT_ASSIGNEE = 'conformance-assignee';

/** On opencase, a user named conformance-assignee (found, or made through the users extension); elsewhere none. */
async function kitAssignee(ctx: Context): Promise<string | undefined> {
  const headers = { 'access-token': ctx.token ?? '' };
  const listed = await ctx.http.send({ method: 'GET', path: '/opencase/v1/users?start=0&limit=100', headers });
  const users = (listed.body as { result?: { users?: { id?: unknown; name?: unknown; status?: unknown }[] } } | undefined)?.result?.users;
  if (listed.status !== 200 || !Array.isArray(users)) return undefined;
  const known = users.find((user) => user.name === KIT_ASSIGNEE && user.status === 'active');
  if (typeof known?.id === 'string') return known.id;
  const made = await ctx.http.send({ method: 'POST', path: '/opencase/v1/users', headers, json: { name: KIT_ASSIGNEE, role: 'agent' } });
  const id = (made.body as { result?: { userId?: unknown } } | undefined)?.result?.userId;
  return made.status === 200 && typeof id === 'string' ? id : undefined;
}

async function caseTraces(ctx: Context, caseId: string): Promise<{ count: number; status: unknown }> {
  const detail = unwrapped(succeeded(await ctx.api('case/{id}', { method: 'GET', path: `case/${caseId}`, documentsResult: true }), 'case/{id}'));
  const value = detail?.value as { caseTrace?: unknown; caseInfo?: { status?: unknown } } | undefined;
  if (!Array.isArray(value?.caseTrace)) fail('the case detail has no caseTrace array');
  return { count: value.caseTrace.length, status: value.caseInfo?.status };
}

async function taskTraces(ctx: Context, taskId: string): Promise<number> {
  const result = succeeded(await ctx.api('task/{id}', { method: 'GET', path: `task/${taskId}`, documentsResult: true }), 'task/{id}');
  const traces = (result as { taskTrace?: unknown } | undefined)?.taskTrace;
  if (!Array.isArray(traces)) fail('the task detail has no taskTrace array');
  return traces.length;
}

async function lifecycles(ctx: Context, space: Workspace, made: Made): Promise<void> {
  const { userId, contactId, caseTypeId, flow } = space;
  const mark = `conformance ${ctx.runId}`;
  const caseId = await ctx.check('cec_07_0266 create case: {caseId}, a 20-character id', async () => {
    const result = succeeded(await ctx.api('case', {
      method: 'POST', path: 'case', documentsResult: true,
      json: { caseInfo: { title: `${mark} case`, description: 'Made by opencase conformance --write; closed by the same run.', type: caseTypeId, isAtuoAssigned: false, ownerId: userId, contactId, creatorId: userId, priority: 'Low', origin: 'Voice' } },
    }), 'case');
    conforms(result, CASE_CREATED, 'result');
    const id = (result as { caseId: string }).caseId;
    made.cases.set(id, 'open');
    return id;
  });
  if (!caseId) return;

  /** A step of a case's life: its reply is the envelope alone, and the case has one more trace. */
  const caseStep = (name: string, call: string, json: unknown) => ctx.check(name, async () => {
    const before = await caseTraces(ctx, caseId);
    writeOnly(await ctx.api(call, { method: 'POST', path: call, json, documentsResult: false }), call);
    const after = await caseTraces(ctx, caseId);
    if (after.count !== before.count + 1) fail(`caseTrace went from ${before.count} to ${after.count} items; one step is one trace`);
    return after;
  });

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
    const taskStep = (name: string, call: string, json: unknown) => ctx.check(name, async () => {
      const before = await taskTraces(ctx, taskId);
      writeOnly(await ctx.api(call, { method: 'POST', path: call, json, documentsResult: false }), call);
      const after = await taskTraces(ctx, taskId);
      if (after !== before + 1) fail(`taskTrace went from ${before} to ${after} items; one step is one trace`);
      return true;
    });
    await taskStep('cec_07_0281 modify task: the envelope alone, one more trace', 'task/modify', { taskInfo: { id: taskId, title: `${mark} task, modified`, creatorId: userId } });
    if (space.assigneeId) await taskStep('cec_07_0282 assign task: to another user, the envelope alone, one more trace', 'task/transfer', { id: taskId, ownerId: space.assigneeId, creatorId: userId });
    else ctx.record('cec_07_0282 assign task: to another user, the envelope alone, one more trace', 'skip', 'no second user to assign to: pass --assignee-id');
    await taskStep('cec_07_0283 task status: Processing, the envelope alone, one more trace', 'task/status/update', { id: taskId, status: 'Processing', creatorId: userId });
    await taskStep('cec_07_0284 handle task: Iternal, the envelope alone, one more trace', 'task/process', { taskId, creatorId: userId, processInfo: { type: 'Iternal', title: `${mark} note`, description: 'Handled by opencase conformance' } });
    const completed = await taskStep('cec_07_0283 task status: Completed, the envelope alone, one more trace', 'task/status/update', { id: taskId, status: 'Completed', creatorId: userId });
    if (completed) made.tasks.set(taskId, 'completed');
  }

  await caseStep('cec_07_0269 modify case: the envelope alone, one more trace', 'case/modify', { caseInfo: { id: caseId, title: `${mark} case, modified`, description: 'Modified by opencase conformance --write', creatorId: userId } });
  if (space.assigneeId) {
    await caseStep('cec_07_0270 assign case: to another user (ownerType user), the envelope alone, one more trace', 'case/transfer', { id: caseId, ownerId: space.assigneeId, ownerType: 'user', creatorId: userId, remark: 'opencase conformance' });
    // Back to the user the kit acts as, who may then handle and close it as its owner.
    await caseStep('cec_07_0270 assign case: back to the first user, one more trace', 'case/transfer', { id: caseId, ownerId: userId, ownerType: 'user', creatorId: userId, remark: 'opencase conformance' });
  } else ctx.record('cec_07_0270 assign case: to another user (ownerType user), the envelope alone, one more trace', 'skip', 'no second user to assign to: pass --assignee-id');
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
