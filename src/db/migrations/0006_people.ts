import { sql, type Kysely } from 'kysely';

/**
 * People, not only API apps (issue 15): a user gains a login, a password hash, a status and a role; an API app may be
 * limited to a role; queues have members (an agent works the cases its queues own); and sign-in sessions, with their
 * short access tokens, their rotating refresh tokens and the one-time set-password links, get tables of their own,
 * apart from the API apps' tokens, so that the apps' token check stays one join and unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('login', 'text').execute();
  await db.schema.alterTable('users').addColumn('password_hash', 'text').execute();
  await db.schema.alterTable('users').addColumn('status', 'text', (c) => c.notNull().defaultTo('active')).execute();
  await db.schema.alterTable('users').addColumn('role', 'text', (c) => c.notNull().defaultTo('agent')).execute();
  // Unique in its tenant; users without a login (API apps' machine users, users made by name only) are NULL, distinct.
  await db.schema.createIndex('users_login_unique').on('users').columns(['tenant_id', 'login']).unique().execute();
  // Sign-in names no tenant unless the login exists in several: the lookup by login alone.
  await db.schema.createIndex('users_login_idx').on('users').column('login').execute();
  // A tenant's first user, the one its API app acts as, administered it until now.
  await sql`update users set role = 'admin' where exists (select 1 from api_apps where api_apps.tenant_id = users.tenant_id and api_apps.user_id = users.id)`.execute(db);

  // NULL: the app acts as any user of its tenant with every permission, as AICC's machine-to-machine interface does.
  await db.schema.alterTable('api_apps').addColumn('role', 'text').execute();

  await db.schema.createTable('queue_members')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('queue_members_pk', ['tenant_id', 'queue_id', 'user_id'])
    .execute();
  await db.schema.createIndex('queue_members_user_idx').on('queue_members').columns(['tenant_id', 'user_id', 'queue_id']).execute();

  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // The end of the session however often it is refreshed.
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['tenant_id', 'user_id']).execute();

  // Every refresh token a session was given; the current one has replaced_at NULL. Presenting a replaced one is reuse.
  await db.schema.createTable('session_refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('replaced_at', 'bigint')
    .execute();
  await db.schema.createIndex('session_refresh_tokens_session_idx').on('session_refresh_tokens').column('session_id').execute();

  await db.schema.createTable('session_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_tokens_session_idx').on('session_tokens').column('session_id').execute();

  // Who acted is the trace's creator; through what (an API app or a sign-in session) is new: null on older traces.
  await db.schema.alterTable('task_traces').addColumn('acted_via', 'text').execute();
  await db.schema.alterTable('case_traces').addColumn('acted_via', 'text').execute();

  await db.schema.createTable('password_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
}
