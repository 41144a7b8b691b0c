import type { Updateable } from 'kysely';
import type { Tx } from '../db/store.js';
import type { CasesTable } from '../db/tables.js';
import { countCaseChange, findCountedCase, movesStatistics } from '../statistics/changes.js';
import { insertTrace } from '../traces/insert.js';
import { traceRow, type TraceInput } from '../traces/record.js';
import type { CaseTraceType } from '../wire/enums.js';
import { createCasesRepository } from './repository.js';

export interface CaseTrace extends TraceInput {
  type: CaseTraceType;
}

/** Writes a case's trace at a given position of its history, in the caller's transaction. */
export async function writeCaseTrace(tx: Tx, tenantId: string, caseId: string, position: number, trace: CaseTrace, now: number): Promise<void> {
  await insertTrace(tx, { ...traceRow(tenantId, position, trace, now), case_id: caseId });
}

/**
 * Applies a change to a case and writes its trace, in the caller's transaction: both land or neither does, and so
 * does the change's move of the case statistics (statistics/changes.ts), taken last: record, then the tenant's
 * counters (the trace's trace_seq), then statistics rows.
 */
export async function recordCaseChange(
  tx: Tx, tenantId: string, caseId: string, patch: Updateable<CasesTable>, trace: CaseTrace, now: number,
): Promise<void> {
  const before = movesStatistics(patch) ? await findCountedCase(tx, tenantId, caseId) : undefined;
  const position = await createCasesRepository(tx).applyChange(tenantId, caseId, { ...patch, last_modified_at: now });
  await writeCaseTrace(tx, tenantId, caseId, position, trace, now);
  if (before) await countCaseChange(tx, tenantId, caseId, before);
}
