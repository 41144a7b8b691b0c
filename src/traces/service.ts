import { authorize } from '../permissions/checks.js';
import type { TenantContext } from '../auth/service.js';
import type { Store } from '../db/store.js';
import { fitRows } from '../lists/reply-bound.js';
import type { ExportedTrace } from './schemas.js';
import { toFeedEntry } from '../changes/kysely-source.js';
import { idPrefixes } from '../wire/ids.js';
import { ApiError } from '../wire/errors.js';
import { createTracesRepository } from './repository.js';

/**
 * One case's or task's traces (`objectId`), as the feed has them: the history the console's timeline shows, with when
 * and what changed from what. An id of neither kind is a 400; one that is not the tenant's has no traces.
 */
async function objectHistory(store: Store, tenant: TenantContext, objectId: string, after: number, limit: number): Promise<ExportedTrace[]> {
  const traces = createTracesRepository(store);
  const rows = objectId.startsWith(idPrefixes.case) ? await traces.caseTraces(tenant.tenantId, objectId, after, limit)
    : objectId.startsWith(idPrefixes.task) ? await traces.taskTraces(tenant.tenantId, objectId, after, limit)
      : undefined;
  if (rows === undefined) throw new ApiError('invalidRequest', `objectId must be a case id (${idPrefixes.case}…) or a task id (${idPrefixes.task}…)`);
  return rows.map((row) => toFeedEntry(row, tenant.timeZone));
}

/**
 * opencase extension: every trace of the tenant, task and case alike, after a cursor, in the order they were
 * committed: the tenant's change feed, read as the change signal's subscribers read it (changes/kysely-source.ts, one
 * statement and so one snapshot). `nextCursor` is where the next call starts; polling with it never skips a trace,
 * also when a page holds fewer traces than asked for because the next would take the reply past `replyLimitBytes`
 * (then `partial` says so).
 */
export async function exportTraces(
  store: Store, tenant: TenantContext, after: number, limit: number, replyLimitBytes: number, objectId?: string,
): Promise<{ page: { nextCursor: string; traces: ExportedTrace[] }; partial: string | undefined }> {
  await authorize(store, tenant, 'changes.read');
  const all = objectId === undefined ? await store.feed.readAfter(tenant.tenantId, after, limit) : await objectHistory(store, tenant, objectId, after, limit);
  const { rows: traces, partial } = fitRows(all, replyLimitBytes, (shown) => `after=${all[shown - 1]?.seq ?? after}`);
  return { page: { nextCursor: String(traces.at(-1)?.seq ?? after), traces }, partial };
}
