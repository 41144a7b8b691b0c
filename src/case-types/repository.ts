import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseTypesTable } from '../db/tables.js';

export function createCaseTypesRepository(db: Db) {
  return {
    async insertCaseType(caseType: Insertable<CaseTypesTable>): Promise<void> {
      await db.insertInto('case_types').values(caseType).execute();
    },
  };
}
