import type { Kysely } from 'kysely';

/**
 * Idempotency-Key (idempotency/): the first reply of a write sent with a key, kept 24 hours per tenant, key and route,
 * so that a retry gets it again, byte for byte, without the work being done twice — in any process, after a restart.
 * `state`: pending (claimed, working), committed (the work's transaction committed, its reply not kept yet), done.
 * Expired rows are deleted as new keys are claimed (by expires_at's index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('idempotency_keys')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reply_status', 'integer')
    .addColumn('reply_type', 'text')
    .addColumn('reply_partial', 'text')
    .addColumn('reply_body', 'text')
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['tenant_id', 'key', 'route'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expiry_idx').on('idempotency_keys').column('expires_at').execute();
}
