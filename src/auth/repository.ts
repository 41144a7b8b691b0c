import { sql, type Insertable, type Updateable } from 'kysely';
import { repository, type Db, type Queryable, type Tx } from '../db/store.js';
import { CHANGE_SEQUENCE } from '../db/counters.js';
import { preparedQuery } from '../db/prepared.js';
import { deleteExpiredRows } from '../db/sweep.js';
import type { AccessTokensTable, ApiAppsTable, TenantsTable } from '../db/tables.js';

const tenantByTokenHash = preparedQuery('auth.tenantByTokenHash', (db: Db, tokenHash: string, now: number) => db.selectFrom('access_tokens')
  .innerJoin('tenants', 'tenants.id', 'access_tokens.tenant_id')
  .innerJoin('api_apps', (join) => join
    .onRef('api_apps.tenant_id', '=', 'access_tokens.tenant_id')
    .onRef('api_apps.id', '=', 'access_tokens.app_id'))
  // The tenant's change sequence comes with the token, in the same snapshot: cached responses at that number are current.
  .leftJoin('tenant_counters', (join) => join
    .onRef('tenant_counters.tenant_id', '=', 'access_tokens.tenant_id')
    .on('tenant_counters.name', '=', CHANGE_SEQUENCE))
  .select(['tenants.id as tenantId', 'tenants.time_zone as timeZone', 'access_tokens.app_id as appId', 'api_apps.user_id as appUserId', 'api_apps.role as appRole'])
  .select(['tenants.wire_case_detail_result', 'tenants.wire_task_list_result', 'tenants.wire_success_message', 'tenants.wire_unknown_fields'])
  .select((eb) => eb.fn.coalesce('tenant_counters.value', sql.lit(0)).as('changeSeq'))
  .select('access_tokens.expires_at as expiresAt')
  .where('access_tokens.token_hash', '=', tokenHash)
  .where('access_tokens.expires_at', '>', now)
  .where('access_tokens.revoked_at', 'is', null)
  .where('api_apps.revoked_at', 'is', null));

function authQueries(q: Queryable) {
  const db = q.db;
  return {
    async insertTenant(tenant: Insertable<TenantsTable>): Promise<void> {
      await db.insertInto('tenants').values(tenant).execute();
    },

    /**
     * Inserts the tenant unless its id exists; false when it does. On PostgreSQL a concurrent insert of the same id
     * makes this wait for that transaction, then answer false: two processes never both create it.
     */
    async insertTenantIfAbsent(tenant: Insertable<TenantsTable>): Promise<boolean> {
      const row = await db.insertInto('tenants').values(tenant).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
      return row !== undefined;
    },

    /** Every tenant, oldest first, with how many users, active API apps, contacts, cases and tasks it holds. */
    listTenantsWithCounts() {
      return db.selectFrom('tenants')
        .select(['tenants.id', 'tenants.name', 'tenants.time_zone', 'tenants.created_at'])
        .select((eb) => {
          const countOf = (table: 'users' | 'contacts' | 'cases' | 'tasks') => eb.selectFrom(table)
            .select((inner) => inner.fn.countAll<number | string>().as('n')).whereRef(`${table}.tenant_id`, '=', 'tenants.id');
          return [
            countOf('users').as('users'),
            eb.selectFrom('api_apps').select((inner) => inner.fn.countAll<number | string>().as('n'))
              .whereRef('api_apps.tenant_id', '=', 'tenants.id').where('api_apps.revoked_at', 'is', null).as('apps'),
            countOf('contacts').as('contacts'),
            countOf('cases').as('cases'),
            countOf('tasks').as('tasks'),
          ];
        })
        .orderBy('tenants.created_at').orderBy('tenants.id')
        .execute();
    },

    /** A tenant's API apps, oldest first, revoked ones included (with when). */
    listApps(tenantId: string) {
      return db.selectFrom('api_apps')
        .select(['client_id', 'name', 'role', 'user_id', 'created_at', 'revoked_at'])
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at').orderBy('id')
        .execute();
    },

    findTenant(tenantId: string) {
      return db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
    },

    async updateTenant(tenantId: string, patch: Updateable<TenantsTable>): Promise<boolean> {
      const rows = await db.updateTable('tenants').set(patch).where('id', '=', tenantId).returning('id').execute();
      return rows.length > 0;
    },

    async insertApiApp(app: Insertable<ApiAppsTable>): Promise<void> {
      await db.insertInto('api_apps').values(app).execute();
    },

    findActiveAppByClientId(clientId: string) {
      return db.selectFrom('api_apps')
        .select(['tenant_id', 'id', 'client_secret_hash'])
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
    },

    /** Replaces an active app's secret hash; false when no active app has this client_id. */
    async replaceSecretHash(clientId: string, secretHash: string): Promise<boolean> {
      const rows = await db.updateTable('api_apps').set({ client_secret_hash: secretHash })
        .where('client_id', '=', clientId).where('revoked_at', 'is', null).returning('id').execute();
      return rows.length > 0;
    },

    /** A few API-app tokens past their expiry (access_tokens_expiry_idx): each token call sweeps some. */
    async deleteExpiredTokens(now: number): Promise<void> {
      await deleteExpiredRows(db, 'access_tokens', now);
    },

    async insertToken(token: Insertable<AccessTokensTable>): Promise<void> {
      await db.insertInto('access_tokens').values(token).execute();
    },

    /** The tenant behind a live token: not expired, not revoked, and its app not revoked either. Runs on every request. */
    async findTenantByTokenHash(tokenHash: string, now: number) {
      return (await tenantByTokenHash(q, tokenHash, now))[0];
    },
  };
}

/**
 * Revocations, only inside a change: the service marks the change as revoking (Tx.revokes), so that every process
 * drops the tokens it has checked once it commits.
 */
function authChanges(tx: Tx) {
  const db = tx.db;
  return {
    /** Revokes an active app; false when no active app has this client_id. Its tokens stop working with it. */
    async revokeApp(clientId: string, now: number): Promise<boolean> {
      const rows = await db.updateTable('api_apps').set({ revoked_at: now })
        .where('client_id', '=', clientId).where('revoked_at', 'is', null).returning('id').execute();
      return rows.length > 0;
    },

    /** Revokes every live token of an app. */
    async revokeTokensOfApp(clientId: string, now: number): Promise<number> {
      const rows = await db.updateTable('access_tokens').set({ revoked_at: now })
        .where('revoked_at', 'is', null)
        .where('app_id', 'in', db.selectFrom('api_apps').select('id').where('client_id', '=', clientId))
        .returning('token_hash').execute();
      return rows.length;
    },

    /** Revokes one token by its hash; false when it is unknown or already revoked. */
    async revokeToken(tokenHash: string, now: number): Promise<boolean> {
      const rows = await db.updateTable('access_tokens').set({ revoked_at: now })
        .where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).returning('token_hash').execute();
      return rows.length > 0;
    },
  };
}

export const createAuthRepository = repository(authQueries, authChanges);

export type AuthRepository = ReturnType<typeof createAuthRepository>;
