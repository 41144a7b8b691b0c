import { authorize } from '../permissions/checks.js';
import type { TenantContext } from '../auth/service.js';
import type { Store } from '../db/store.js';
import { fitRows } from '../lists/reply-bound.js';
import type { ExportedTrace } from './schemas.js';

/**
 * opencase extension: every trace of the tenant, task and case alike, after a cursor, in the order they were
 * committed: the tenant's change feed, read as the change signal's subscribers read it (changes/kysely-source.ts, one
 * statement and so one snapshot). `nextCursor` is where the next call starts; polling with it never skips a trace,
 * also when a page holds fewer traces than asked for because the next would take the reply past `replyLimitBytes`
 * (then `partial` says so).
 */
export async function exportTraces(
  store: Store, tenant: TenantContext, after: number, limit: number, replyLimitBytes: number,
): Promise<{ page: { nextCursor: string; traces: ExportedTrace[] }; partial: string | undefined }> {
  await authorize(store, tenant, 'changes.read');
  const all = await store.feed.readAfter(tenant.tenantId, after, limit);
  const { rows: traces, partial } = fitRows(all, replyLimitBytes, (shown) => `after=${all[shown - 1]?.seq ?? after}`);
  return { page: { nextCursor: String(traces.at(-1)?.seq ?? after), traces }, partial };
}
