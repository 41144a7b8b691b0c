/**
 * The read calls, each against its page's shape, and what the kit learns on the way (ids to read and, with --write,
 * the user and contact to write with). Nothing here changes the tenant.
 */
import {
  CASE_DETAIL, CASE_LIST, CASE_OVERVIEW, CASE_REPORT, CASE_TYPE_DETAIL, CASE_TYPE_LIST, TASK_DETAIL, TASK_LIST, unwrapped,
} from '../aicc.js';
import { conforms, fail, refused, skip, succeeded, type Context } from '../context.js';
import { departures } from '../shape.js';

export interface Found {
  caseTypes: { id: string; typeName: string; caseStatus: string | null; status: string }[];
  caseIds: string[];
  taskIds: string[];
  userId?: string;
  /** Other users seen as creators of cases (owners may be queues). */
  otherUserIds: string[];
  contactId?: string;
}

/** An id-shaped value that no server holds: 20 letters and digits. */
export const ABSENT_ID = 'zzzz0000000000000000';

export async function accessChecks(ctx: Context): Promise<void> {
  const page = { method: 'POST' as const, path: 'case/list', json: { start: 0, limit: 1 } };
  await ctx.check('access-token: a call without the header is refused', async () => {
    refused(await ctx.api('case/list', { ...page, headers: {}, refusal: 'no access-token' }), 'case/list without access-token');
  });
  await ctx.check('access-token: an invalid token is refused', async () => {
    refused(await ctx.api('case/list', { ...page, headers: { 'access-token': `invalid-${ctx.runId}` }, refusal: 'an invalid access-token' }), 'case/list with an invalid access-token');
  });
}

export async function readChecks(ctx: Context): Promise<Found> {
  const found = await discover(ctx);

  await ctx.check('cec_07_0263 case type list: {caseTypes, count} with AICC\'s keys, either spelling where its pages disagree', async () => {
    const result = succeeded(await ctx.api('caseType/list', { method: 'POST', path: 'caseType/list', json: { start: 0, limit: 100 }, documentsResult: true }), 'caseType/list');
    conforms(result, CASE_TYPE_LIST, 'result');
  });
  await ctx.check('cec_07_0264 case type detail: {caseTypeInfo} with AICC\'s keys, by GET', async () => {
    const first = found.caseTypes[0];
    if (!first) skip('the tenant has no case type to read');
    const result = succeeded(await ctx.api('caseType/{id}', { method: 'GET', path: `caseType/${first.id}`, documentsResult: true }), 'caseType/{id}');
    conforms(result, CASE_TYPE_DETAIL, 'result');
  });

  await ctx.check('cec_07_0267 case list: result is an array wrapping one {caseList, count}', async () => {
    const result = succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 20 }, documentsResult: true }), 'case/list');
    if (!Array.isArray(result)) fail('result is not an array; AICC\'s example wraps {caseList, count} in a one-element array');
    if (result.length !== 1) fail(`result has ${result.length} elements; AICC's example has one`);
    const page = result[0] as { caseList?: unknown; count?: unknown };
    const shapeOnly = departures(page, { kind: 'object', keys: { caseList: { shape: { kind: 'array', items: { kind: 'any' } }, present: true }, count: { shape: { kind: 'number' }, present: true } }, others: 'none' }, 'result[0]');
    if (shapeOnly.length > 0) fail(shapeOnly.join('; '));
  });
  await ctx.check('cec_07_0267 case list: each case carries AICC\'s keys, misspellings included (extternalNo, isCanced)', async () => {
    const result = succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 20 }, documentsResult: true }), 'case/list');
    const page = unwrapped(result);
    if (!page) fail('result is an array of more than one element');
    if (((page.value as { caseList?: unknown[] }).caseList ?? []).length === 0) skip('the tenant has no case to read');
    conforms(page.value, CASE_LIST, page.wrapped ? 'result[0]' : 'result');
  });
  await ctx.check('cec_07_0267 case list: count is the total, not the page length', async () => {
    const first = listPage(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1 }, documentsResult: true }), 'case/list'), 'caseList');
    const second = listPage(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 1, limit: 1 }, documentsResult: true }), 'case/list'), 'caseList');
    pagesAgree(first, second, 'case');
  });
  await ctx.check('cec_07_0267 case list: each filter (priority, ownerId, contactId, type, caseNo) returns only cases that match it', async () => {
    const listed = unwrapped(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 20 }, documentsResult: true }), 'case/list'));
    const sample = ((listed?.value as { caseList?: Record<string, unknown>[] } | undefined)?.caseList ?? [])[0];
    if (!sample) skip('the tenant has no case to filter by');
    const filters = (['priority', 'ownerId', 'contactId', 'type', 'caseNo'] as const).filter((key) => typeof sample[key] === 'string' && sample[key] !== '');
    for (const key of filters) {
      const page = unwrapped(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 100, [key]: sample[key] }, documentsResult: true }), `case/list by ${key}`));
      const items = (page?.value as { caseList?: Record<string, unknown>[] } | undefined)?.caseList ?? [];
      if (!items.some((item) => item.id === sample.id)) fail(`filtered by ${key}, the list misses the case it was taken from`);
      if (items.some((item) => item[key] !== sample[key])) fail(`filtered by ${key}, the list holds cases of another ${key}`);
    }
    return { note: filters.join(', '), value: undefined };
  });
  await ctx.check('cec_07_0267 case list: priority by its ordinal (0 Low, 1 Medium, 2 High, 3 Critical) as by its name', async () => {
    const countOf = async (priority: string) => listPage(succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, priority }, documentsResult: true }), `case/list by priority ${priority}`), 'caseList').count;
    for (const [ordinal, name] of [['0', 'Low'], ['3', 'Critical']] as const) {
      if (await countOf(ordinal) !== await countOf(name)) fail(`priority "${ordinal}" and "${name}" count differently`);
    }
  });
  await ctx.check('cec_07_0268 case detail: caseInfo, caseTrace, customerInfo, isFollower, tasks with AICC\'s keys, by GET', async () => {
    const id = found.caseIds[0];
    if (!id) skip('the tenant has no case to read');
    const result = succeeded(await ctx.api('case/{id}', { method: 'GET', path: `case/${id}`, documentsResult: true }), 'case/{id}');
    const detail = unwrapped(result);
    if (!detail) fail('result is an array of other than one element');
    conforms(detail.value, CASE_DETAIL, detail.wrapped ? 'result[0]' : 'result');
    return { note: detail.wrapped ? 'result is a one-element array (the captured example)' : 'result is the object (the table)', value: undefined };
  });
  await ctx.check('cec_07_0268 case detail: an id that does not exist is answered with a resCode other than "0"', async () => {
    notFound(await ctx.api('case/{id}', { method: 'GET', path: `case/${ABSENT_ID}`, refusal: 'an id that does not exist' }), 'case/{id}');
  });

  await ctx.check('cec_07_0279 task list: {taskList, count} with AICC\'s keys (an object, or wrapped in an array as case/list is)', async () => {
    if (!found.userId) skip('no user id to list tasks as (creatorId is required): pass --user-id');
    const result = succeeded(await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { start: 0, limit: 20, creatorId: found.userId }, documentsResult: true }), 'task/list');
    const page = unwrapped(result);
    if (!page) fail('result is an array of other than one element');
    conforms(page.value, TASK_LIST, page.wrapped ? 'result[0]' : 'result');
    return { note: page.wrapped ? 'result is wrapped in an array' : 'result is an object', value: undefined };
  });
  await ctx.check('cec_07_0279 task list: count is the total, not the page length', async () => {
    if (!found.userId) skip('no user id to list tasks as: pass --user-id');
    const pageAt = async (start: number) => listPage(succeeded(await ctx.api('task/list', {
      method: 'POST', path: 'task/list', json: { start, limit: 1, creatorId: found.userId }, documentsResult: true,
    }), 'task/list'), 'taskList');
    pagesAgree(await pageAt(0), await pageAt(1), 'task');
  });
  await ctx.check('cec_07_0279 task list: each filter (status, priority, ownerId, classification Created) returns only tasks that match it', async () => {
    if (!found.userId) skip('no user id to list tasks as: pass --user-id');
    const list = async (filter: Record<string, unknown>, what: string) => {
      const page = unwrapped(succeeded(await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { start: 0, limit: 100, creatorId: found.userId, ...filter }, documentsResult: true }), what));
      return (page?.value as { taskList?: Record<string, unknown>[] } | undefined)?.taskList ?? [];
    };
    const sample = (await list({}, 'task/list'))[0];
    if (!sample) skip('the user has no task to filter by');
    for (const key of (['status', 'priority', 'ownerId'] as const).filter((k) => typeof sample[k] === 'string' && sample[k] !== '')) {
      const items = await list({ [key]: sample[key] }, `task/list by ${key}`);
      if (!items.some((item) => item.taskId === sample.taskId)) fail(`filtered by ${key}, the list misses the task it was taken from`);
      if (items.some((item) => item[key] !== sample[key])) fail(`filtered by ${key}, the list holds tasks of another ${key}`);
    }
    if ((await list({ classification: 'Created' }, 'task/list Created')).some((item) => 'creatorId' in item && item.creatorId !== found.userId)) {
      fail('classification Created lists tasks another user created');
    }
  });
  await ctx.check('cec_07_0280 task detail: Tables 3 to 6 and every key of the documented example, null ones too', async () => {
    const id = found.taskIds[0];
    if (!id) skip('the tenant has no task to read');
    const result = succeeded(await ctx.api('task/{id}', { method: 'GET', path: `task/${id}`, documentsResult: true }), 'GET task/{id}');
    conforms(result, TASK_DETAIL, 'result');
  });
  await ctx.check('cec_07_0280 task detail: answers GET (CN 0280) and POST with {"id"} (CN 3418 and the English pages)', async () => {
    const id = found.taskIds[0];
    if (!id) skip('the tenant has no task to read');
    const byGet = await ctx.api('task/{id}', { method: 'GET', path: `task/${id}`, documentsResult: true });
    const byPost = await ctx.api('task/{id}', { method: 'POST', path: `task/${id}`, json: { id }, documentsResult: true });
    const answers = [['GET', byGet], ['POST', byPost]].filter(([, exchange]) => {
      const body = (exchange as typeof byGet).body as { resCode?: unknown } | undefined;
      return (exchange as typeof byGet).status === 200 && body?.resCode === '0';
    }).map(([method]) => method);
    if (answers.length < 2) fail(`only ${answers.join('') || 'neither'} answered; AICC's pages document both, and clients are written from either`);
  });
  await ctx.check('cec_07_0280 task detail: an id that is not 20 characters is refused', async () => {
    refused(await ctx.api('task/{id}', { method: 'GET', path: 'task/short', refusal: 'an id of 5 characters' }), 'task/{id} with a 5-character id');
  });
  await ctx.check('cec_07_0280 task detail: an id that does not exist is answered with a resCode other than "0"', async () => {
    notFound(await ctx.api('task/{id}', { method: 'GET', path: `task/${ABSENT_ID}`, refusal: 'an id that does not exist' }), 'task/{id}');
  });

  await ctx.check('cec_07_0275 case overview: five numbers (averageDuration, finishedCases, newCases, overCases, unfinishedCases)', async () => {
    conforms(succeeded(await ctx.api('statistics/case/current', { method: 'GET', path: 'statistics/case/current', documentsResult: true }), 'statistics/case/current'), CASE_OVERVIEW, 'result');
  });
  await ctx.check('cec_07_0276 case statistics: {caseStatisticsList, count}, days as YYYY-MM-DD', async () => {
    conforms(succeeded(await ctx.api('statistics/case/report', { method: 'POST', path: 'statistics/case/report', json: { start: 0, limit: 2 }, documentsResult: true }), 'statistics/case/report'), CASE_REPORT, 'result');
  });
  return found;
}

/**
 * What there is to read, taken leniently (a reply that fails its check still yields its ids, so that one defect does
 * not hide the checks after it).
 */
export async function discover(ctx: Context): Promise<Found> {
  const found: Found = { caseTypes: [], caseIds: [], taskIds: [], otherUserIds: [] };
  if (ctx.options.userId) found.userId = ctx.options.userId;
  if (ctx.options.contactId) found.contactId = ctx.options.contactId;
  const records = (result: unknown, key: string): Record<string, unknown>[] => {
    const page = (Array.isArray(result) ? result[0] : result) as Record<string, unknown> | undefined;
    const items = page?.[key];
    return Array.isArray(items) ? items.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];
  };
  const resultOf = (body: unknown) => (body as { result?: unknown } | undefined)?.result;
  const types = await ctx.api('caseType/list', { method: 'POST', path: 'caseType/list', json: { start: 0, limit: 100 }, documentsResult: true });
  for (const item of records(resultOf(types.body), 'caseTypes')) {
    if (typeof item.id === 'string' && typeof item.typeName === 'string') {
      found.caseTypes.push({ id: item.id, typeName: item.typeName, caseStatus: typeof item.caseStatus === 'string' ? item.caseStatus : null, status: String(item.status) });
    }
  }
  const cases = await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 20 }, documentsResult: true });
  for (const item of records(resultOf(cases.body), 'caseList')) {
    if (typeof item.id === 'string') found.caseIds.push(item.id);
    if (!found.userId && typeof item.creatorId === 'string') found.userId = item.creatorId;
    else if (typeof item.creatorId === 'string' && item.creatorId !== found.userId && !found.otherUserIds.includes(item.creatorId)) found.otherUserIds.push(item.creatorId);
    if (!found.contactId && typeof item.contactId === 'string') found.contactId = item.contactId;
  }
  if (found.userId) {
    const tasks = await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { start: 0, limit: 20, creatorId: found.userId }, documentsResult: true });
    for (const item of records(resultOf(tasks.body), 'taskList')) if (typeof item.taskId === 'string') found.taskIds.push(item.taskId);
  }
  return found;
}

interface ListPage {
  items: unknown[];
  count: number;
}

/** A list page, wrapped in an array or not. */
function listPage(result: unknown, key: string): ListPage {
  const page = unwrapped(result)?.value as Record<string, unknown> | undefined;
  const items = page?.[key];
  const count = page?.count;
  if (!Array.isArray(items) || typeof count !== 'number') fail(`the result has no ${key} array and count number`);
  return { items, count };
}

function pagesAgree(first: ListPage, second: ListPage, what: string): void {
  if (first.items.length === 0) skip(`the tenant has no ${what} to page through`);
  if (second.items.length === 0 && first.count < 2) skip(`the tenant has one ${what}: count cannot be told from the page length`);
  if (second.items.length > 0 && first.count < 2) fail(`count is ${first.count} with limit 1, but start 1 returns another ${what}: count must be the total of matches, not the page's length`);
  if (second.items.length === 0 && first.count >= 2) fail(`count is ${first.count}, but start 1 returns no ${what}`);
  if (first.count !== second.count) fail(`count differs between pages (${first.count} and ${second.count}) with the same filters`);
  const idOf = (item: unknown) => (item as { id?: unknown; taskId?: unknown }).id ?? (item as { taskId?: unknown }).taskId;
  if (idOf(first.items[0]) === idOf(second.items[0])) fail(`start 0 and start 1 return the same ${what}`);
}

/** An unknown id: AICC documents no code, so a 4xx or a 200, but never "0", never a result, never a 5xx. */
function notFound(exchange: { status: number; body: unknown }, what: string): void {
  const body = exchange.body as { resCode?: unknown; result?: unknown } | undefined;
  if (exchange.status >= 500) fail(`${what} answered HTTP ${exchange.status}; an unknown id is a client's mistake`);
  if (typeof body !== 'object' || body === null) fail(`${what} answered HTTP ${exchange.status} without a JSON envelope`);
  if (body.resCode === '0') fail(`${what} answered resCode "0" for an id that does not exist`);
  if (Object.hasOwn(body, 'result')) fail(`${what}: the refusal carries a result`);
}
