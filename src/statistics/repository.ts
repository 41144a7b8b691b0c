import { sql } from 'kysely';
import type { Db, Queryable } from '../db/store.js';
import { preparedQuery } from '../db/prepared.js';
import { COUNTED_COLUMNS, type Bucket, type CountedCase } from './buckets.js';

/** Rows per INSERT: 8 parameters each, far under either database's limit. */
const ROWS_PER_STATEMENT = 1000;

/** Read before and after every change that moves statistics: prepared once (see db/prepared.ts). */
const countedCaseById = preparedQuery('statistics.countedCase', (db: Db, tenantId: string, caseId: string) =>
  db.selectFrom('cases').select(COUNTED_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', caseId));

const timeZoneById = preparedQuery('statistics.timeZone', (db: Db, tenantId: string) =>
  db.selectFrom('tenants').select('time_zone').where('id', '=', tenantId));

/** A report's statistics rows, summed by day, the days before the range summed into one (day ''). */
function daySums(db: Db, tenantId: string, firstDay: string, lastDay: string) {
  return db.selectFrom('case_statistics')
    .select((eb) => [
      eb.case().when('day', '<', firstDay).then(sql.lit('')).else(eb.ref('day')).end().as('bucket'),
      eb.fn.sum<number | string>('new_cases').as('new_cases'),
      eb.fn.sum<number | string>('finished_cases').as('finished_cases'),
      eb.fn.sum<number | string>('finished_duration_ms').as('finished_duration_ms'),
      eb.fn.sum<number | string>('open_delta').as('open_delta'),
      eb.fn.sum<number | string>('over_delta').as('over_delta'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('day', '<=', lastDay)
    .groupBy('bucket');
}

// Prepared once (see db/prepared.ts): on SQLite they run on the reader connection, beside the writes.
const sumsOfEveryType = preparedQuery('statistics.sums', (db: Db, tenantId: string, firstDay: string, lastDay: string) =>
  daySums(db, tenantId, firstDay, lastDay));
const sumsOfType = preparedQuery('statistics.sumsOfType', (db: Db, tenantId: string, typeId: string, firstDay: string, lastDay: string) =>
  daySums(db, tenantId, firstDay, lastDay).where('type_id', '=', typeId));

/** A day's sums; the day is '' for the sum of every day before the range asked for. */
export type DaySums = Omit<Bucket, 'typeId'>;

export function createStatisticsRepository(q: Queryable) {
  const db = q.db;
  return {
    async findCountedCase(tenantId: string, caseId: string): Promise<CountedCase | undefined> {
      return (await countedCaseById(q, tenantId, caseId))[0];
    },

    async findTimeZone(tenantId: string): Promise<string | undefined> {
      return (await timeZoneById(q, tenantId))[0]?.time_zone;
    },

    /** Adds each bucket to its row, creating the rows that do not exist yet. */
    async addBuckets(tenantId: string, buckets: Bucket[]): Promise<void> {
      for (let offset = 0; offset < buckets.length; offset += ROWS_PER_STATEMENT) {
        const rows = buckets.slice(offset, offset + ROWS_PER_STATEMENT).map((b) => ({
          tenant_id: tenantId,
          day: b.day,
          type_id: b.typeId,
          new_cases: b.newCases,
          finished_cases: b.finishedCases,
          finished_duration_ms: b.finishedDurationMs,
          open_delta: b.openDelta,
          over_delta: b.overDelta,
        }));
        await db.insertInto('case_statistics').values(rows)
          .onConflict((oc) => oc.columns(['tenant_id', 'day', 'type_id']).doUpdateSet((eb) => ({
            new_cases: eb('case_statistics.new_cases', '+', eb.ref('excluded.new_cases')),
            finished_cases: eb('case_statistics.finished_cases', '+', eb.ref('excluded.finished_cases')),
            finished_duration_ms: eb('case_statistics.finished_duration_ms', '+', eb.ref('excluded.finished_duration_ms')),
            open_delta: eb('case_statistics.open_delta', '+', eb.ref('excluded.open_delta')),
            over_delta: eb('case_statistics.over_delta', '+', eb.ref('excluded.over_delta')),
          })))
          .execute();
      }
    },

    async deleteTenantStatistics(tenantId: string): Promise<void> {
      await db.deleteFrom('case_statistics').where('tenant_id', '=', tenantId).execute();
    },

    /** The next page of a tenant's cases by id, for a rebuild that does not hold every case in memory at once. */
    countedCasesAfter(tenantId: string, afterId: string, limit: number) {
      return db.selectFrom('cases').select(['id', ...COUNTED_COLUMNS])
        .where('tenant_id', '=', tenantId).where('id', '>', afterId).orderBy('id').limit(limit).execute();
    },

    /**
     * The sums of each day from `firstDay` to `lastDay` that has a row, and under day '' the sums of every day before
     * `firstDay`: one statement, so one snapshot, whatever commits meanwhile.
     */
    async sumsUpTo(tenantId: string, typeId: string | undefined, firstDay: string, lastDay: string): Promise<DaySums[]> {
      const rows = typeId === undefined
        ? await sumsOfEveryType(q, tenantId, firstDay, lastDay)
        : await sumsOfType(q, tenantId, typeId, firstDay, lastDay);
      // PostgreSQL's sum of bigint is numeric, which pg hands over as text.
      return rows.map((row) => ({
        day: String(row.bucket),
        newCases: Number(row.new_cases),
        finishedCases: Number(row.finished_cases),
        finishedDurationMs: Number(row.finished_duration_ms),
        openDelta: Number(row.open_delta),
        overDelta: Number(row.over_delta),
      }));
    },
  };
}
