import type { Insertable, Updateable } from 'kysely';
import { advanceChangeSequence } from '../db/counters.js';
import type { Tx } from '../db/store.js';
import type { CasesTable } from '../db/tables.js';
import { Buckets, COUNTED_COLUMNS, type CountedCase } from './buckets.js';
import { createStatisticsRepository } from './repository.js';

/**
 * The case statistics (`case_statistics`) are kept by the case writes themselves, in their own transaction: a
 * new case adds its contribution, a change takes away the contribution of the row as it was and adds the one of
 * the row as it is now. Every case write goes through cases/service.ts createCase or cases/changes.ts
 * recordCaseChange, which call these, so no write can miss them.
 *
 * Lock order: the case row (locked by the change's first read), then the tenant's counter rows (the trace takes
 * trace_seq, which serializes the tenant's writers on PostgreSQL), then the statistics rows, always last. Two
 * writers of one tenant therefore meet at trace_seq before either touches a statistics row, and no deadlock is
 * possible; rebuildTenantStatistics takes trace_seq first for the same reason. The whole order, every lock of every
 * change: docs/semantics.md, "Lock order".
 */

/** Whether a change touches a column the statistics are made of (most changes, a transfer or a note, do not). */
export function movesStatistics(patch: Updateable<CasesTable>): boolean {
  return COUNTED_COLUMNS.some((column) => patch[column] !== undefined);
}

/** The statistics columns of a case before a change, for countCaseChange. */
export function findCountedCase(tx: Tx, tenantId: string, caseId: string): Promise<CountedCase | undefined> {
  return createStatisticsRepository(tx).findCountedCase(tenantId, caseId);
}

/** Counts a case just inserted (its trace already written), in the caller's transaction. */
export async function countNewCase(tx: Tx, tenantId: string, timeZone: string, record: Insertable<CasesTable>): Promise<void> {
  const buckets = new Buckets(timeZone);
  buckets.add({
    type_id: record.type_id,
    created_at: record.created_at,
    state: record.state,
    closed_at: record.closed_at ?? null,
    is_cancelled: record.is_cancelled ?? 0,
    cancelled_at: record.cancelled_at ?? null,
    due_at: record.due_at ?? null,
  }, 1);
  await createStatisticsRepository(tx).addBuckets(tenantId, buckets.rows());
}

/** Moves a changed case's contribution from its row as it was (`before`) to its row as it is now, in the caller's transaction. */
export async function countCaseChange(tx: Tx, tenantId: string, caseId: string, before: CountedCase): Promise<void> {
  const statistics = createStatisticsRepository(tx);
  const after = await statistics.findCountedCase(tenantId, caseId);
  const timeZone = await statistics.findTimeZone(tenantId);
  if (!after || timeZone === undefined) throw new Error(`case ${caseId} of tenant ${tenantId} vanished during its change`);
  const buckets = new Buckets(timeZone);
  buckets.add(before, -1);
  buckets.add(after, 1);
  await statistics.addBuckets(tenantId, buckets.rows());
}

/** Cases read per query by a rebuild. */
const REBUILD_PAGE = 10_000;

/**
 * Recomputes a tenant's statistics from its cases, in the caller's transaction (bulk loads, and the migration that
 * adds the table to existing databases). It first takes the tenant's change sequence, so that on PostgreSQL the
 * tenant's writers wait for it (and it for them) instead of interleaving with it.
 */
export async function rebuildTenantStatistics(tx: Tx, tenantId: string): Promise<void> {
  const statistics = createStatisticsRepository(tx);
  await advanceChangeSequence(tx, tenantId);
  const timeZone = await statistics.findTimeZone(tenantId);
  if (timeZone === undefined) throw new Error(`tenant ${tenantId} does not exist`);
  await statistics.deleteTenantStatistics(tenantId);
  const buckets = new Buckets(timeZone);
  for (let after = '';;) {
    const page = await statistics.countedCasesAfter(tenantId, after, REBUILD_PAGE);
    for (const row of page) buckets.add(row, 1);
    const last = page.at(-1);
    if (!last || page.length < REBUILD_PAGE) break;
    after = last.id;
  }
  await statistics.addBuckets(tenantId, buckets.rows());
}
