import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { UsersTable } from '../db/tables.js';

export function createUsersRepository(db: Db) {
  return {
    async insertUser(user: Insertable<UsersTable>): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },

    findUser(tenantId: string, userId: string) {
      return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
