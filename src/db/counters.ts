import type { Db } from './database.js';

/** trace_seq orders every trace of a tenant, task and case alike, for the trace export. */
export type CounterName = 'task_no' | 'case_no' | 'trace_seq';

/**
 * The next task or case number of a tenant. The counter row is advanced in the caller's transaction, which
 * holds the write lock (SQLite) or the row lock (PostgreSQL) until commit, so concurrent writers never share
 * a number.
 */
export async function nextSerial(db: Db, tenantId: string, name: CounterName): Promise<number> {
  const row = await db.insertInto('tenant_counters')
    .values({ tenant_id: tenantId, name, value: 1 })
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({ value: eb('tenant_counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Moves a counter forward to at least `value` (used when records arrive with their own numbers, as the demo's do). */
export async function advanceSerialTo(db: Db, tenantId: string, name: CounterName, value: number): Promise<void> {
  await db.insertInto('tenant_counters')
    .values({ tenant_id: tenantId, name, value })
    .onConflict((oc) => oc.columns(['tenant_id', 'name'])
      .doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))
      .where('tenant_counters.value', '<', value))
    .execute();
}

/**
 * Reserves `count` consecutive numbers at once (bulk loads): returns the first; the counter ends on the last.
 * Same locking as nextSerial.
 */
export async function reserveSerials(db: Db, tenantId: string, name: CounterName, count: number): Promise<number> {
  const row = await db.insertInto('tenant_counters')
    .values({ tenant_id: tenantId, name, value: count })
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({ value: eb('tenant_counters.value', '+', count) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}
