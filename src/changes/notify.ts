import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { CHANGES_CHANNEL, changeNotifications } from './protocol.js';

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
