import type { Db } from '../db/database.js';
import { ApiError } from '../wire/errors.js';
import { createCasesRepository } from './repository.js';

/**
 * A case of the caller's tenant named by a request field, that may take a new task; otherwise a 400 naming the field,
 * or a 409 when the case is closed (a closed case refuses every change, and a task on it writes to its history).
 */
export async function requireCase(db: Db, tenantId: string, caseId: string, field: string): Promise<void> {
  const found = await createCasesRepository(db).findCase(tenantId, caseId);
  if (!found) throw new ApiError('invalidRequest', `${field} ${caseId} is not a case of this tenant`);
  if (found.is_closed === 1) throw new ApiError('conflict', `${field}: case ${caseId} is closed: reopen it before adding tasks to it`);
}
