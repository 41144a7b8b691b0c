import type { Insertable } from 'kysely';
import type { Queryable } from '../db/store.js';
import type { UsersTable } from '../db/tables.js';

export function createUsersRepository(q: Queryable) {
  const db = q.db;
  return {
    async insertUser(user: Insertable<UsersTable>): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },

    async countUsers(tenantId: string): Promise<number> {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('count')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Oldest first: a tenant's first user (its admin) leads. */
    listUsers(tenantId: string, start: number, limit: number) {
      return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').limit(limit).offset(start).execute();
    },

    findUser(tenantId: string, userId: string) {
      return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
