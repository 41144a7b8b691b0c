import { sql, type Insertable } from 'kysely';
import { CHANGE_SEQUENCE } from '../db/counters.js';
import { preparedQuery } from '../db/prepared.js';
import { repository, type Db, type Queryable, type Tx } from '../db/store.js';
import type { SessionRefreshTokensTable, SessionsTable, SessionTokensTable } from '../db/tables.js';

/**
 * A session's access token starts with this, which no API app's token holds (those are base64url, without a dot): the
 * token check reads the one table the token can be in.
 */
export const SESSION_TOKEN_PREFIX = 's.';

export function isSessionToken(token: string): boolean {
  return token.startsWith(SESSION_TOKEN_PREFIX);
}

/**
 * The tenant and user behind a live session token: the token unexpired, its session neither revoked nor over, its user
 * active. Runs on every request of a signed-in user the token cache cannot answer; the tenant's columns as the API
 * apps' token check reads them (auth/repository.ts).
 */
const tenantBySessionToken = preparedQuery('sessions.tenantByToken', (db: Db, tokenHash: string, now: number) => db.selectFrom('session_tokens')
  .innerJoin('sessions', 'sessions.id', 'session_tokens.session_id')
  .innerJoin('users', (join) => join.onRef('users.tenant_id', '=', 'sessions.tenant_id').onRef('users.id', '=', 'sessions.user_id'))
  .innerJoin('tenants', 'tenants.id', 'sessions.tenant_id')
  .leftJoin('tenant_counters', (join) => join
    .onRef('tenant_counters.tenant_id', '=', 'sessions.tenant_id')
    .on('tenant_counters.name', '=', CHANGE_SEQUENCE))
  .select(['tenants.id as tenantId', 'tenants.time_zone as timeZone', 'sessions.id as sessionId', 'users.id as userId', 'users.role as role'])
  .select(['tenants.wire_case_detail_result', 'tenants.wire_task_list_result', 'tenants.wire_success_message', 'tenants.wire_unknown_fields'])
  .select((eb) => eb.fn.coalesce('tenant_counters.value', sql.lit(0)).as('changeSeq'))
  // Issued to end no later than its session (sessions/service.ts).
  .select('session_tokens.expires_at as expiresAt')
  .where('session_tokens.token_hash', '=', tokenHash)
  .where('session_tokens.expires_at', '>', now)
  .where('sessions.expires_at', '>', now)
  .where('sessions.revoked_at', 'is', null)
  .where('users.status', '=', 'active'));

export async function findSessionTenant(q: Queryable, tokenHash: string, now: number) {
  const row = (await tenantBySessionToken(q, tokenHash, now))[0];
  return row && { ...row, expiresAt: Number(row.expiresAt) };
}

/** The session an access token was issued to, live or not (a sign-out of an ended session is no error). */
export async function findSessionIdOfToken(q: Queryable, tokenHash: string): Promise<string | undefined> {
  const row = await q.db.selectFrom('session_tokens').select('session_id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row?.session_id;
}

function sessionQueries(q: Queryable) {
  const db = q.db;
  return {
    /** The users a sign-in's login names: in one tenant when it is given, else in any (two at most: enough to refuse). */
    findUsersByLogin(login: string, tenantId: string | undefined) {
      let query = db.selectFrom('users').select(['tenant_id', 'id', 'role', 'status', 'password_hash']).where('login', '=', login);
      if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
      return query.limit(2).execute();
    },

    /** A session by the hash of one of its refresh tokens, current or replaced, with the token's own state. */
    findByRefreshToken(tokenHash: string) {
      return db.selectFrom('session_refresh_tokens')
        .innerJoin('sessions', 'sessions.id', 'session_refresh_tokens.session_id')
        .innerJoin('users', (join) => join.onRef('users.tenant_id', '=', 'sessions.tenant_id').onRef('users.id', '=', 'sessions.user_id'))
        .select(['sessions.id', 'sessions.tenant_id', 'sessions.user_id', 'sessions.expires_at', 'sessions.revoked_at'])
        .select(['session_refresh_tokens.replaced_at', 'users.role', 'users.status'])
        .where('session_refresh_tokens.token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
  };
}

/**
 * Sessions change only inside a change: every one that ends a session marks it as revoking (Tx.revokes), so that
 * every process drops the tokens it has checked.
 */
function sessionChanges(tx: Tx) {
  const db = tx.db;
  return {
    /**
     * Up to `limit` sessions past their end, oldest first (sessions_expiry_idx), with their access and refresh tokens:
     * an ended session's cookie is refused the same whether its row is there or not.
     */
    async deleteEndedSessions(now: number, limit: number): Promise<void> {
      const ended = await tx.db.selectFrom('sessions').select('id').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute();
      if (ended.length === 0) return;
      const ids = ended.map((row) => row.id);
      await tx.db.deleteFrom('session_tokens').where('session_id', 'in', ids).execute();
      await tx.db.deleteFrom('session_refresh_tokens').where('session_id', 'in', ids).execute();
      await tx.db.deleteFrom('sessions').where('id', 'in', ids).execute();
    },

    async insertSession(session: Insertable<SessionsTable>): Promise<void> {
      await db.insertInto('sessions').values(session).execute();
    },

    async insertRefreshToken(token: Insertable<SessionRefreshTokensTable>): Promise<void> {
      await db.insertInto('session_refresh_tokens').values(token).execute();
    },

    async insertSessionToken(token: Insertable<SessionTokensTable>): Promise<void> {
      await db.insertInto('session_tokens').values(token).execute();
    },

    /**
     * Marks the current refresh token replaced; false when it was not current any more (replaced by a concurrent
     * refresh that won: the loser's token is then a reuse). The row is locked, so two refreshes never both win.
     */
    async replaceRefreshToken(tokenHash: string, now: number): Promise<boolean> {
      const rows = await db.updateTable('session_refresh_tokens').set({ replaced_at: now })
        .where('token_hash', '=', tokenHash).where('replaced_at', 'is', null).returning('token_hash').execute();
      return rows.length > 0;
    },

    async revokeSession(sessionId: string, reason: string, now: number): Promise<boolean> {
      const rows = await db.updateTable('sessions').set({ revoked_at: now, revoked_reason: reason })
        .where('id', '=', sessionId).where('revoked_at', 'is', null).returning('id').execute();
      return rows.length > 0;
    },

    /** Ends every live session of a user (disabled, or its password changed); the number ended. */
    async revokeSessionsOfUser(tenantId: string, userId: string, reason: string, now: number): Promise<number> {
      const rows = await db.updateTable('sessions').set({ revoked_at: now, revoked_reason: reason })
        .where('tenant_id', '=', tenantId).where('user_id', '=', userId).where('revoked_at', 'is', null)
        .returning('id').execute();
      return rows.length;
    },
  };
}

export const createSessionsRepository = repository(sessionQueries, sessionChanges);
