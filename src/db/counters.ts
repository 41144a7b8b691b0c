import type { QueryCreator } from 'kysely';
import type { Db, Tx } from './store.js';
import type { Database } from './tables.js';
import { preparedQuery } from './prepared.js';

/**
 * trace_seq is the tenant's change sequence: every trace takes the next number (task and case alike, which orders
 * the trace export), and so does every other change that a cached response may show (a contact's), so that a
 * response cached at one number is known current while the number has not moved. The export skips the gaps.
 */
export type CounterName = 'task_no' | 'case_no' | 'trace_seq';

export const CHANGE_SEQUENCE = 'trace_seq' satisfies CounterName;

/**
 * The next task or case number of a tenant. The counter row is advanced in the caller's transaction, which
 * holds the write lock (SQLite) or the row lock (PostgreSQL) until commit, so concurrent writers never share
 * a number.
 */
export async function nextSerial(tx: Tx, tenantId: string, name: CounterName): Promise<number> {
  const [row] = await advanceCounter(tx, tenantId, name);
  if (!row) throw new Error(`counter ${name} of tenant ${tenantId} did not advance`);
  const value = Number(row.value);
  if (name === CHANGE_SEQUENCE) tx.advanced(tenantId, value);
  return value;
}

/**
 * Advances the tenant's counters by one each, in the order named (rows are locked in the order of their VALUES, so name
 * them in the lock order: task_no or case_no before trace_seq), returning each new value: a statement of its own, or a
 * data-modifying CTE of a statement that uses the numbers (PostgreSQL, tasks/repository.ts).
 */
export function advanceCounters(db: QueryCreator<Database>, tenantId: string, names: readonly CounterName[]) {
  return db.insertInto('tenant_counters')
    .values(names.map((name) => ({ tenant_id: tenantId, name, value: 1 })))
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({ value: eb('tenant_counters.value', '+', 1) })))
    .returning(['name', 'value']);
}

// Every change takes one or two numbers: prepared once (see prepared.ts).
const advanceCounter = preparedQuery('counters.advance', (db: Db, tenantId: string, name: CounterName) => advanceCounters(db, tenantId, [name]));

/** Moves a counter forward to at least `value` (used when records arrive with their own numbers, as the demo's do). */
export async function advanceSerialTo(tx: Tx, tenantId: string, name: CounterName, value: number): Promise<void> {
  await tx.db.insertInto('tenant_counters')
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
export async function reserveSerials(tx: Tx, tenantId: string, name: CounterName, count: number): Promise<number> {
  const row = await tx.db.insertInto('tenant_counters')
    .values({ tenant_id: tenantId, name, value: count })
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({ value: eb('tenant_counters.value', '+', count) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  if (name === CHANGE_SEQUENCE) tx.advanced(tenantId, Number(row.value));
  return Number(row.value) - count + 1;
}

/**
 * Takes a number from the tenant's change sequence for a change that writes no trace (a contact's), in the caller's
 * transaction, so that every process checks its cached responses again.
 */
export async function advanceChangeSequence(tx: Tx, tenantId: string): Promise<void> {
  await nextSerial(tx, tenantId, CHANGE_SEQUENCE);
}
