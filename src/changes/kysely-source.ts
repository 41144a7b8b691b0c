import { sql, type Kysely, type Selectable } from 'kysely';
import { LruMap } from 'toad-cache';
import { CHANGE_SEQUENCE } from '../db/counters.js';
import type { Database, TaskTracesTable } from '../db/tables.js';
import type { FieldChange } from '../traces/record.js';
import type { ExportedTrace } from '../traces/schemas.js';
import { formatWireDate } from '../wire/dates.js';
import type { ChangeSource } from './source.js';

/** The trace columns a feed entry is made of (toFeedEntry). */
export const FEED_COLUMNS = ['id', 'seq', 'type', 'creator_id', 'creator_name', 'related_id', 'title', 'description', 'attachment', 'changes_json', 'created_at', 'acted_via'] as const;

/** A trace row as the feed's entry: its wire date in the tenant's zone, the instant in ISO 8601, its changes parsed. */
export function toFeedEntry(
  row: Pick<Selectable<TaskTracesTable>, (typeof FEED_COLUMNS)[number]> & { object_id: string; object_type: ExportedTrace['objectType'] }, timeZone: string,
): ExportedTrace {
  return {
    attachment: row.attachment,
    changes: row.changes_json ? (JSON.parse(row.changes_json) as FieldChange[]) : [],
    createdAt: new Date(Number(row.created_at)).toISOString(),
    createdDate: formatWireDate(Number(row.created_at), timeZone),
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
    via: row.acted_via,
  };
}

/** Tenants whose time zone is kept; a tenant's zone is set when it is created and never changes, so only the bound evicts. */
const TIME_ZONES_KEPT = 10_000;

/**
 * The feed and the change sequences of one database, read through Kysely (SQLite or PostgreSQL alike). Entries are
 * exactly what GET /opencase/v1/traces serves (traces/service.ts exportTraces), so a subscriber and a poller of the
 * export read the same thing.
 */
export function kyselyChangeSource(db: Kysely<Database>, options: { timeZonesKept?: number } = {}): ChangeSource {
  const timeZones = new LruMap<string>(options.timeZonesKept ?? TIME_ZONES_KEPT);

  async function timeZoneOf(tenantId: string): Promise<string> {
    const known = timeZones.get(tenantId);
    if (known !== undefined) return known;
    const row = await db.selectFrom('tenants').select('time_zone').where('id', '=', tenantId).executeTakeFirst();
    // Trace rows reference their tenant, so a tenant with traces always has a row.
    if (!row) throw new Error(`change feed: tenant ${tenantId} does not exist`);
    timeZones.set(tenantId, row.time_zone);
    return row.time_zone;
  }

  return {
    async readAfter(tenantId, afterSeq, limit) {
      // One statement, so one snapshot: task and case traces read at two moments could show a case trace and miss a
      // task trace numbered before it that committed in between, and the cursor would pass it for ever. Each side
      // keeps its own limit, so both read only `limit` rows of their (tenant_id, seq) index.
      const tasks = db.selectFrom((qb) => qb.selectFrom('task_traces')
        .select([...FEED_COLUMNS, 'task_id as object_id', sql<ExportedTrace['objectType']>`'Task'`.as('object_type')])
        .where('tenant_id', '=', tenantId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).as('tasks')).selectAll();
      const cases = db.selectFrom((qb) => qb.selectFrom('case_traces')
        .select([...FEED_COLUMNS, 'case_id as object_id', sql<ExportedTrace['objectType']>`'Case'`.as('object_type')])
        .where('tenant_id', '=', tenantId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).as('cases')).selectAll();
      const rows = await tasks.unionAll(cases).orderBy('seq').limit(limit).execute();
      if (rows.length === 0) return [];
      const timeZone = await timeZoneOf(tenantId);
      return rows.map((row) => toFeedEntry(row, timeZone));
    },

    async latestSeqs() {
      const rows = await db.selectFrom('tenant_counters').select(['tenant_id', 'value']).where('name', '=', CHANGE_SEQUENCE).execute();
      return new Map(rows.map((row) => [row.tenant_id, Number(row.value)]));
    },
  };
}
