import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/tables.js';
import { CHANGE_KIND, CHANGES_CHANNEL, SEPARATOR, changeNotifications } from './protocol.js';

/**
 * Sends a change transaction's notifications (PostgreSQL only), in that transaction: PostgreSQL delivers them when it
 * commits and drops them when it rolls back, so a listener never hears of a change it cannot read. One statement
 * whatever the number of tenants, because every change pays for it.
 */
export async function sendChangeNotifications(trx: Kysely<Database>, changes: ReadonlyMap<string, number>, revoked: boolean): Promise<void> {
  const payloads = changeNotifications(changes, revoked);
  if (payloads.length === 0) return;
  await sql`select pg_notify(${CHANGES_CHANNEL}, payload) from unnest(${payloads}::text[]) as payload`.execute(trx);
}

/**
 * The notification that the tenant's change sequence reached `seq`, as a SQL call for a statement that takes the number
 * itself (a trace's, traces/insert.ts, and a task create's, tasks/repository.ts): the payload changePayload builds, put together by PostgreSQL, so that the
 * change does not spend a round trip of its own on it while it holds the tenant's counter rows. The tenant id is the
 * caller's checked one (TenantContext), the number a counter's: both read back as changePayload's.
 */
export function changeNotificationCall(tenantId: string, seq: Expression<number>): RawBuilder<unknown> {
  return sql`pg_notify(${CHANGES_CHANNEL}::text, concat_ws(${SEPARATOR}::text, ${CHANGE_KIND}::text, ${tenantId}::text, ${seq}))`;
}
