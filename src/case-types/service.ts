import type { Db } from '../db/database.js';
import { newId } from '../wire/ids.js';
import { createCaseTypesRepository } from './repository.js';

/** The flow every new tenant starts with, so that cases can be created before anyone configures one. */
export const DEFAULT_CASE_TYPE = {
  typeName: 'General',
  description: 'Default case type',
  caseStatuses: ['Pending', 'Processing', 'Completed'],
} as const;

export async function createDefaultCaseType(db: Db, tenantId: string, creatorId: string, now: number): Promise<string> {
  const id = newId('caseType');
  await createCaseTypesRepository(db).insertCaseType({
    tenant_id: tenantId,
    id,
    type_name: DEFAULT_CASE_TYPE.typeName,
    description: DEFAULT_CASE_TYPE.description,
    status: 'Active',
    case_statuses: DEFAULT_CASE_TYPE.caseStatuses.join(','),
    is_strict_order: 0,
    creator_id: creatorId,
    created_at: now,
    last_modified_by: creatorId,
    last_modified_at: now,
  });
  return id;
}
