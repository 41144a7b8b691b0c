/**
 * The documented bounds of the list calls, each probed by a request that breaks one rule (and, where a limit is
 * counted, by one that meets it exactly). Lengths are in bytes of UTF-8, as AICC's tables say (长度(字节)): a Chinese
 * character takes three. Only reads: nothing here changes the tenant.
 */
import { refused, skip, succeeded, type Context } from '../context.js';
import type { Found } from './reads.js';

/** A title filter of exactly `bytes` bytes of UTF-8: Chinese characters (3 bytes each), padded with ASCII. */
export function utf8Title(bytes: number, prefix = ''): string {
  const room = bytes - Buffer.byteLength(prefix);
  return `${prefix}${'工'.repeat(Math.floor(room / 3))}${'a'.repeat(room % 3)}`;
}

/** Formats a date as AICC writes it (in the runner's clock; only the format and the span matter here). */
export function aiccDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

async function pagingBounds(ctx: Context, call: string, base: Record<string, unknown>): Promise<void> {
  const probe = async (json: Record<string, unknown>, refusal: string) => refused(await ctx.api(call, { method: 'POST', path: call, json, refusal }), `${call} with ${refusal}`);
  await probe({ ...base, start: 0, limit: 0 }, 'limit 0');
  await probe({ ...base, start: 0, limit: 101 }, 'limit 101');
  await probe({ ...base, start: -1, limit: 1 }, 'start -1');
  await probe({ ...base, limit: 1 }, 'no start');
  await probe({ ...base, start: 0 }, 'no limit');
  await probe({ ...base, start: 0, limit: '10' }, 'limit as a string');
  succeeded(await ctx.api(call, { method: 'POST', path: call, json: { ...base, start: 0, limit: 100 }, documentsResult: true }), `${call} with limit 100`);
}

export async function boundChecks(ctx: Context, found: Found): Promise<void> {
  await ctx.check('cec_07_0267 case list: start (at least 0) and limit (1 to 100) are required, limit 100 is served', () => pagingBounds(ctx, 'case/list', {}));
  await ctx.check('cec_07_0263 case type list: start (at least 0) and limit (1 to 100) are required, limit 100 is served', () => pagingBounds(ctx, 'caseType/list', {}));
  await ctx.check('cec_07_0279 task list: start (at least 0) and limit (1 to 100) are required, limit 100 is served', async () => {
    if (!found.userId) skip('no user id to list tasks as: pass --user-id');
    await pagingBounds(ctx, 'task/list', { creatorId: found.userId });
  });
  await ctx.check('cec_07_0279 task list: creatorId is required (the table marks it True)', async () => {
    refused(await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { start: 0, limit: 1 }, refusal: 'no creatorId' }), 'task/list without creatorId');
  });
  await ctx.check('cec_07_0267 case list: a priority outside Critical, High, Medium, Low is refused with a 4xx', async () => {
    refused(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, priority: 'Urgent' }, refusal: 'priority Urgent' }), 'case/list with priority "Urgent"');
  });
  await ctx.check('cec_07_0279 task list: a status outside Completed, Pending, Processing is refused with a 4xx', async () => {
    if (!found.userId) skip('no user id to list tasks as: pass --user-id');
    refused(await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { start: 0, limit: 1, creatorId: found.userId, status: 'Open' }, refusal: 'status Open' }), 'task/list with status "Open"');
  });
  await ctx.check('cec_07_0267 case list: classification (Todo, Follow, Created, Processed) and resumenType (sic) outside their values are refused', async () => {
    refused(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, classification: 'Mine' }, refusal: 'classification Mine' }), 'case/list with classification "Mine"');
    refused(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, resumenType: 'allCases' }, refusal: 'resumenType allCases' }), 'case/list with resumenType "allCases"');
  });
  await ctx.check('cec_07_0279 task list: a classification outside Todo, Processed, Created is refused', async () => {
    if (!found.userId) skip('no user id to list tasks as: pass --user-id');
    refused(await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { start: 0, limit: 1, creatorId: found.userId, classification: 'Follow' }, refusal: 'classification Follow' }), 'task/list with classification "Follow" (a case list value)');
  });
  await ctx.check('cec_07_0267 case list: startTime and endTime as YYYY-MM-DD HH:mm:ss, at most 31 days apart', async () => {
    const now = new Date();
    const daysAgo = (days: number) => aiccDate(new Date(now.getTime() - days * 86_400_000));
    refused(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, startTime: daysAgo(1).slice(0, 10).replaceAll('-', '/') }, refusal: 'startTime as YYYY/MM/DD' }), 'case/list with startTime as YYYY/MM/DD');
    refused(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, startTime: daysAgo(40), endTime: daysAgo(0) }, refusal: 'startTime and endTime 40 days apart' }), 'case/list with 40 days between startTime and endTime');
    succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, startTime: daysAgo(30), endTime: daysAgo(0) }, documentsResult: true }), 'case/list with 30 days between startTime and endTime');
  });
  await ctx.check('cec_07_0267 case list: the title filter is at most 128 bytes of UTF-8 (a Chinese character takes 3)', async () => {
    succeeded(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, title: utf8Title(128) }, documentsResult: true }), 'case/list with a title of 128 bytes');
    refused(await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, title: utf8Title(129) }, refusal: 'a title of 129 bytes' }), 'case/list with a title of 129 bytes (43 Chinese characters)');
  });
  await ctx.check('cec_07_0279 task list: the title filter is at most 128 bytes of UTF-8', async () => {
    if (!found.userId) skip('no user id to list tasks as: pass --user-id');
    const base = { start: 0, limit: 1, creatorId: found.userId };
    succeeded(await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { ...base, title: utf8Title(128) }, documentsResult: true }), 'task/list with a title of 128 bytes');
    refused(await ctx.api('task/list', { method: 'POST', path: 'task/list', json: { ...base, title: utf8Title(129) }, refusal: 'a title of 129 bytes' }), 'task/list with a title of 129 bytes');
  });
  await ctx.check('cec_07_0267 case list: a body that is not JSON is refused with a 4xx', async () => {
    refused(await ctx.api('case/list', { method: 'POST', path: 'case/list', raw: '{"start":0,', refusal: 'a body cut short' }), 'case/list with a body that is not JSON');
  });
  // Not a check: AICC says nothing of a field it does not document. The profile records whether it is refused.
  const probe = await ctx.api('case/list', { method: 'POST', path: 'case/list', json: { start: 0, limit: 1, conformanceProbe: true }, probe: 'an undocumented field' });
  if (probe.status >= 500) {
    ctx.record('cec_07_0267 case list: an undocumented field is refused or ignored, never a 5xx', 'fail', `answered HTTP ${probe.status}`);
  }
}
