import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CasesTable } from '../db/tables.js';

export function createCasesRepository(db: Db) {
  return {
    async insertCase(record: Insertable<CasesTable>): Promise<void> {
      await db.insertInto('cases').values(record).execute();
    },

    findCase(tenantId: string, caseId: string) {
      return db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).where('id', '=', caseId).executeTakeFirst();
    },
  };
}

export type CasesRepository = ReturnType<typeof createCasesRepository>;
