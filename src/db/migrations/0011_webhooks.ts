import type { Kysely } from 'kysely';

/**
 * Webhooks (webhooks/): each endpoint's own cursor in its tenant's change feed, which is the outbox. A change is
 * delivered when the cursor passes its seq, so no change is missed and none is written twice; the lease says which
 * process delivers to the endpoint now (another takes over once it has run out). The deliveries are the log: one row
 * per change sent to an endpoint, its id the `webhook-id` every attempt carries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('webhooks')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    // A JSON array of event types and wildcards (`case.*`, `*`).
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    // The signing secret (`whsec_…`): HMAC needs it as it is, so it is kept, never shown again after creation.
    .addColumn('secret', 'text', (c) => c.notNull())
    // The secret before the last rotation, also signed with until previous_secret_until.
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_until', 'bigint')
    // The highest seq of the tenant's feed this endpoint is done with (delivered, or not of its event types).
    .addColumn('cursor', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    // Failed attempts in a row at the change after the cursor, and when it may be tried again.
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhooks_pk', ['tenant_id', 'id'])
    .execute();
  // The deliverers' scan: active endpoints, by when their lease ends.
  await db.schema.createIndex('webhooks_active_idx').on('webhooks').columns(['active', 'lease_until']).execute();

  await db.schema.createTable('webhook_deliveries')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('first_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_webhook_idx').on('webhook_deliveries').columns(['tenant_id', 'webhook_id', 'seq']).execute();
}
