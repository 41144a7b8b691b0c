import type { Db } from '../db/database.js';
import { ApiError } from '../wire/errors.js';
import { createCasesRepository } from './repository.js';

/** A case of the caller's tenant named by a request field; otherwise a 400 naming the field. */
export async function requireCase(db: Db, tenantId: string, caseId: string, field: string): Promise<void> {
  if (!(await createCasesRepository(db).findCase(tenantId, caseId))) {
    throw new ApiError('invalidRequest', `${field} ${caseId} is not a case of this tenant`);
  }
}
