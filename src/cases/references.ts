import type { Tx } from '../db/store.js';
import { ApiError } from '../wire/errors.js';
import { createCasesRepository } from './repository.js';

/**
 * A case of the caller's tenant named by a request field, that may take a new task; otherwise a 400 naming the field,
 * or a 409 when the case is closed (a closed case refuses every change, and a task on it writes to its history).
 * The case is locked in the caller's transaction, in the place the lock order gives a case row (docs/semantics.md):
 * `change` (FOR UPDATE) when the caller writes to it (a task created on it adds to its history), `reading` (FOR SHARE)
 * when it only relies on it (a task moved onto it); either way it cannot be closed before the caller commits.
 */
export async function requireCase(tx: Tx, tenantId: string, caseId: string, field: string, lock: 'change' | 'reading'): Promise<void> {
  const cases = createCasesRepository(tx);
  const found = lock === 'change' ? await cases.findCaseForChange(tenantId, caseId) : await cases.findCaseForReading(tenantId, caseId);
  if (!found) throw new ApiError('invalidRequest', `${field} ${caseId} is not a case of this tenant`);
  if (found.is_closed === 1) throw new ApiError('conflict', `${field}: case ${caseId} is closed: reopen it before adding tasks to it`);
}
