import type { ExportedTrace } from '../../src/traces/schemas.js';
import { AICC_PREFIX, EXTENSIONS_PREFIX } from '../../src/wire/paths.js';

/** A call to the API that fails (naming itself) unless it answers 200 with resCode "0"; returns the envelope's result. */
export type Call = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => Promise<unknown>;

/** Who acts in a tenant's changes: its user, and (for cases) a case type and a contact of its own. */
export interface Actor {
  userId: string;
  caseTypeId?: string;
  contactId?: string;
}

/** `call` over real HTTP to a server's base URL with a token: what an integration does. */
export function httpCall(baseUrl: () => string, token: () => string): Call {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method, headers: { 'access-token': token(), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    const parsed = JSON.parse(text) as { resCode: string; result?: unknown };
    if (parsed.resCode !== '0') throw new Error(`${method} ${path}: ${text.slice(0, 300)}`);
    return parsed.result;
  };
}

/**
 * `count` changes through the API, `parallel` at a time, of every kind that reaches the feed: task creates, modifies
 * and status changes, case creates and modifies (when the actor has a case type and a contact), and contact changes,
 * which take a number of the change sequence and write no trace (a gap the feed skips). `callFor(i)` picks who makes
 * the i-th change (two processes take turns). Returns the tasks and cases made.
 */
export async function makeChanges(
  callFor: (i: number) => Call, actor: Actor, count: number, parallel = 4,
  /** Where the tasks and cases made go as they are made (readers running alongside see them). */
  made: { taskIds: string[]; caseIds: string[] } = { taskIds: [], caseIds: [] },
): Promise<{ taskIds: string[]; caseIds: string[] }> {
  const { taskIds, caseIds } = made;
  const withCases = actor.caseTypeId !== undefined && actor.contactId !== undefined;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const call = callFor(i);
      const kind = i % (withCases ? 6 : 4);
      const task = taskIds[i % Math.max(1, taskIds.length)];
      const kase = caseIds[i % Math.max(1, caseIds.length)];
      if (kind === 0 || task === undefined) {
        const { taskId } = await call('POST', `${AICC_PREFIX}/task`, { taskInfo: { title: `change ${i}`, ownerId: actor.userId, creatorId: actor.userId } }) as { taskId: string };
        taskIds.push(taskId);
      } else if (kind === 1) {
        await call('POST', `${AICC_PREFIX}/task/modify`, { taskInfo: { id: task, title: `modified ${i}`, description: `by change ${i}` } });
      } else if (kind === 2) {
        await call('POST', `${AICC_PREFIX}/task/status/update`, { id: task, status: i % 4 === 2 ? 'Processing' : 'Pending', creatorId: actor.userId });
      } else if (kind === 3 && actor.contactId !== undefined) {
        await call('PATCH', `${EXTENSIONS_PREFIX}/contacts/${actor.contactId}`, { email: `change${i}@example.com` });
      } else if (kind === 3) {
        await call('POST', `${AICC_PREFIX}/task/modify`, { taskInfo: { id: task, priority: i % 2 === 0 ? 'High' : 'Low' } });
      } else if (kind === 4 || kase === undefined) {
        const { caseId } = await call('POST', `${AICC_PREFIX}/case`, {
          caseInfo: { title: `case ${i}`, description: `case of change ${i}`, type: actor.caseTypeId, isAtuoAssigned: false, ownerId: actor.userId, creatorId: actor.userId, contactId: actor.contactId },
        }) as { caseId: string };
        caseIds.push(caseId);
      } else {
        await call('POST', `${AICC_PREFIX}/case/modify`, { caseInfo: { id: kase, title: `case modified ${i}`, description: `by change ${i}`, creatorId: actor.userId } });
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return made;
}

/** Every entry of GET /opencase/v1/traces after `after`, page after page: the committed truth a stream must match. */
export async function exportedAfter(call: Call, after: number): Promise<ExportedTrace[]> {
  const all: ExportedTrace[] = [];
  let cursor = after;
  for (;;) {
    const { nextCursor, traces } = await call('GET', `${EXTENSIONS_PREFIX}/traces?after=${cursor}&limit=100`) as { nextCursor: string; traces: ExportedTrace[] };
    if (traces.length === 0) return all;
    all.push(...traces);
    cursor = Number(nextCursor);
  }
}
