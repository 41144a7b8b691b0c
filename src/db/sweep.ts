import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/**
 * Rows past their expiry (API apps' tokens, sessions, set-password links, Idempotency-Keys) deleted by
 * each new one made: more than are made, so that a table shrinks to its live rows without a sweeper process of its own.
 */
export const EXPIRED_PER_SWEEP = 20;

/** The tables swept by their `expires_at` (each indexed by it), with the columns that name a row. */
const SWEPT_KEYS = {
  access_tokens: ['token_hash'],
  password_links: ['token_hash'],
  idempotency_keys: ['tenant_id', 'key', 'route'],
} as const satisfies Partial<Record<keyof Database, readonly string[]>>;

/** Deletes up to `limit` rows of `table` past their expiry, oldest first, read by the table's expiry index. */
export async function deleteExpiredRows(db: Kysely<Database>, table: keyof typeof SWEPT_KEYS, now: number, limit: number = EXPIRED_PER_SWEEP): Promise<void> {
  const key = sql.join(SWEPT_KEYS[table].map((column) => sql.ref(column)));
  await sql`delete from ${sql.table(table)} where (${key}) in (
    select ${key} from ${sql.table(table)} where expires_at <= ${now} order by expires_at limit ${limit})`.execute(db);
}
