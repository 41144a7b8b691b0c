import type { TenantContext } from '../auth/service.js';
import type { Store } from '../db/store.js';
import { fitRows } from '../lists/reply-bound.js';
import { formatWireDate } from '../wire/dates.js';
import type { FieldChange } from './record.js';
import { createTracesRepository } from './repository.js';
import type { ExportedTrace } from './schemas.js';

/**
 * opencase extension: every trace of the tenant, task and case alike, after a cursor, in the order they were
 * committed. `nextCursor` is where the next call starts; polling with it never skips a trace, also when a page holds
 * fewer traces than asked for because the next would take the reply past `replyLimitBytes` (then `partial` says so).
 */
export async function exportTraces(
  store: Store, tenant: TenantContext, after: number, limit: number, replyLimitBytes: number,
): Promise<{ page: { nextCursor: string; traces: ExportedTrace[] }; partial: string | undefined }> {
  const rows = await createTracesRepository(store).tracesAfter(tenant.tenantId, after, limit);
  const all = rows.map((row): ExportedTrace => ({
    attachment: row.attachment,
    changes: row.changes_json ? (JSON.parse(row.changes_json) as FieldChange[]) : [],
    createdAt: new Date(row.created_at).toISOString(),
    createdDate: formatWireDate(row.created_at, tenant.timeZone),
    creatorId: row.creator_id,
    creatorName: row.creator_name,
    description: row.description,
    id: row.id,
    objectId: row.object_id,
    objectType: row.object_type,
    relatedId: row.related_id,
    seq: Number(row.seq),
    title: row.title,
    type: row.type,
  }));
  const { rows: traces, partial } = fitRows(all, replyLimitBytes, (shown) => `after=${all[shown - 1]?.seq ?? after}`);
  return { page: { nextCursor: String(traces.at(-1)?.seq ?? after), traces }, partial };
}
