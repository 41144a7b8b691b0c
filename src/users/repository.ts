import type { Insertable, Updateable } from 'kysely';
import { lockedForChange } from '../db/database.js';
import { repository, type Queryable, type Tx } from '../db/store.js';
import { deleteExpiredRows } from '../db/sweep.js';
import type { PasswordLinksTable, UsersTable } from '../db/tables.js';

/** What the users' replies and checks read of a user: never its password hash. */
const USER_COLUMNS = ['tenant_id', 'id', 'name', 'created_at', 'login', 'role', 'status'] as const;

function userQueries(q: Queryable) {
  const db = q.db;
  return {
    async countUsers(tenantId: string): Promise<number> {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('count')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Oldest first: a tenant's first user (its admin) leads. */
    listUsers(tenantId: string, start: number, limit: number) {
      return db.selectFrom('users').select(USER_COLUMNS)
        .where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').limit(limit).offset(start).execute();
    },

    findUser(tenantId: string, userId: string) {
      return db.selectFrom('users').select(USER_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
    },

    findUserByLogin(tenantId: string, login: string) {
      return db.selectFrom('users').select(USER_COLUMNS).where('tenant_id', '=', tenantId).where('login', '=', login).executeTakeFirst();
    },

    /** A set-password link that is unused and unexpired. */
    findLivePasswordLink(tokenHash: string, now: number) {
      return db.selectFrom('password_links').select(['tenant_id', 'user_id'])
        .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', now)
        .executeTakeFirst();
    },
  };
}

function userChanges(tx: Tx) {
  const db = tx.db;
  return {
    async insertUser(user: Insertable<UsersTable>): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },

    /** Locked until the change ends (PostgreSQL): two changes of one user take turns. */
    findUserForChange(tenantId: string, userId: string) {
      return lockedForChange(tx, db.selectFrom('users').select(USER_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', userId)).executeTakeFirst();
    },

    async updateUser(tenantId: string, userId: string, patch: Updateable<UsersTable>): Promise<void> {
      await db.updateTable('users').set(patch).where('tenant_id', '=', tenantId).where('id', '=', userId).execute();
    },

    async insertPasswordLink(link: Insertable<PasswordLinksTable>): Promise<void> {
      await db.insertInto('password_links').values(link).execute();
    },

    /** Ends every unused link of a user (a new link, or a new password, makes the older ones worthless). */
    async retirePasswordLinks(tenantId: string, userId: string, now: number): Promise<void> {
      await db.updateTable('password_links').set({ used_at: now })
        .where('tenant_id', '=', tenantId).where('user_id', '=', userId).where('used_at', 'is', null).execute();
    },

    /** A few links past their day, used or not (password_links_expiry_idx). */
    async deleteExpiredPasswordLinks(now: number): Promise<void> {
      await deleteExpiredRows(db, 'password_links', now);
    },

    /** Marks a live link used, with its user; undefined when another use won the race, or it expired meanwhile. */
    usePasswordLink(tokenHash: string, now: number) {
      return db.updateTable('password_links').set({ used_at: now })
        .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', now)
        .returning(['tenant_id', 'user_id']).executeTakeFirst();
    },
  };
}

export const createUsersRepository = repository(userQueries, userChanges);
export type UsersRepository = ReturnType<typeof userQueries>;
