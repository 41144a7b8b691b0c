import type { Insertable, Selectable, Updateable } from 'kysely';
import { CHANGE_SEQUENCE } from '../db/counters.js';
import type { Queryable } from '../db/store.js';
import type { WebhookDeliveriesTable, WebhooksTable } from '../db/tables.js';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export function createWebhooksRepository(q: Queryable) {
  const db = q.db;
  return {
    async insertWebhook(row: Insertable<WebhooksTable>): Promise<void> {
      await db.insertInto('webhooks').values(row).execute();
    },

    findWebhook(tenantId: string, id: string): Promise<WebhookRow | undefined> {
      return db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },

    async countWebhooks(tenantId: string): Promise<number> {
      const row = await db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number | string>().as('count')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    listWebhooks(tenantId: string, start: number, limit: number): Promise<WebhookRow[]> {
      return db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').limit(limit).offset(start).execute();
    },

    async updateWebhook(tenantId: string, id: string, changes: Updateable<WebhooksTable>): Promise<boolean> {
      const result = await db.updateTable('webhooks').set(changes).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Deletes the endpoint and its delivery log. */
    async deleteWebhook(tenantId: string, id: string): Promise<boolean> {
      await db.deleteFrom('webhook_deliveries').where('tenant_id', '=', tenantId).where('webhook_id', '=', id).execute();
      const result = await db.deleteFrom('webhooks').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /** The log of an endpoint deleted while an attempt of it was in flight (which wrote its line after the delete). */
    async deleteOrphanedDeliveries(tenantId: string, webhookId: string): Promise<void> {
      await db.deleteFrom('webhook_deliveries').where('tenant_id', '=', tenantId).where('webhook_id', '=', webhookId)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('webhooks').select('id').where('webhooks.tenant_id', '=', tenantId).where('webhooks.id', '=', webhookId))))
        .execute();
    },

    /**
     * Endpoints with something to deliver that this process may take: active, their lease free, run out or its own,
     * not waiting to retry, and behind their tenant's change sequence (one join: a tenant with nothing new costs nothing).
     */
    dueEndpoints(owner: string, now: number, limit: number): Promise<WebhookRow[]> {
      return db.selectFrom('webhooks')
        .innerJoin('tenant_counters', (join) => join.onRef('tenant_counters.tenant_id', '=', 'webhooks.tenant_id').on('tenant_counters.name', '=', CHANGE_SEQUENCE))
        .selectAll('webhooks')
        .where('webhooks.active', '=', 1)
        .where((eb) => eb.or([eb('webhooks.lease_until', 'is', null), eb('webhooks.lease_until', '<', now), eb('webhooks.lease_owner', '=', owner)]))
        .where((eb) => eb.or([eb('webhooks.next_attempt_at', 'is', null), eb('webhooks.next_attempt_at', '<=', now)]))
        .whereRef('webhooks.cursor', '<', 'tenant_counters.value')
        .orderBy('webhooks.lease_until')
        .limit(limit)
        .execute();
    },

    /** Takes (or keeps) the endpoint's lease until `until`; false when another process holds it. */
    async claim(tenantId: string, id: string, owner: string, now: number, until: number): Promise<boolean> {
      const result = await db.updateTable('webhooks').set({ lease_owner: owner, lease_until: until })
        .where('tenant_id', '=', tenantId).where('id', '=', id).where('active', '=', 1)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Changes the endpoint's delivery state while this process holds its lease; false when it has lost it. */
    async whileLeased(tenantId: string, id: string, owner: string, changes: Updateable<WebhooksTable>): Promise<boolean> {
      const result = await db.updateTable('webhooks').set(changes)
        .where('tenant_id', '=', tenantId).where('id', '=', id).where('lease_owner', '=', owner)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** One attempt of a delivery: the row made at the first, its count and outcome moved on at each. */
    async recordAttempt(row: Insertable<WebhookDeliveriesTable>): Promise<void> {
      await db.insertInto('webhook_deliveries').values(row)
        .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
          attempts: eb('webhook_deliveries.attempts', '+', 1),
          last_status: eb.ref('excluded.last_status'),
          last_error: eb.ref('excluded.last_error'),
          last_attempt_at: eb.ref('excluded.last_attempt_at'),
          delivered_at: eb.ref('excluded.delivered_at'),
        })))
        .execute();
    },

    async countDeliveries(tenantId: string, webhookId: string): Promise<number> {
      const row = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('tenant_id', '=', tenantId).where('webhook_id', '=', webhookId).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    findDelivery(tenantId: string, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
      return db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('webhook_id', '=', webhookId).where('id', '=', id).executeTakeFirst();
    },

    /** Newest first: by the change's seq, then by the last attempt (pings have seq 0). */
    listDeliveries(tenantId: string, webhookId: string, start: number, limit: number): Promise<DeliveryRow[]> {
      return db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('webhook_id', '=', webhookId)
        .orderBy('seq', 'desc').orderBy('last_attempt_at', 'desc').orderBy('id').limit(limit).offset(start).execute();
    },
  };
}
