import { sql } from 'kysely';
import type { Store } from '../db/store.js';
import { storageFault } from '../db/faults.js';
import type { Readiness } from './routes.js';

/**
 * Whether the database takes a write now, found by committing one that changes nothing. A read alone cannot tell:
 * a SQLite file that only its owner may write, opened by another user, reads fine, and a server started on it used to
 * report ready while every token call (which writes the token) failed.
 * - SQLite: the header's user_version rewritten with its own value and committed, so the WAL gets a frame: a
 *   read-only file or folder and a full disk both fail it (SQLITE_READONLY, SQLITE_FULL).
 * - PostgreSQL: the transaction_read_only setting a new transaction gets (on for a standby, or with
 *   default_transaction_read_only). A full disk there is only seen when a change fails (noteStorageFault).
 * Returns the fault in words, or undefined when the write went through; an error that is not a storage fault (the
 * database is unreachable) is thrown, for the caller's own wording.
 */
export async function probeWrites(store: Store): Promise<string | undefined> {
  try {
    if (store.dialect === 'sqlite') {
      await store.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ user_version: number }>`pragma user_version`.execute(trx);
        const version = Number(rows[0]?.user_version ?? 0);
        // A pragma takes no bound parameter; the value is the integer just read.
        await sql.raw(`pragma user_version = ${Math.trunc(version)}`).execute(trx);
      });
    } else {
      const { rows } = await sql<{ readOnly: string }>`select current_setting('transaction_read_only') as "readOnly"`.execute(store.db);
      // The SQLSTATE a write would meet, so that the words are storageFault's own.
      if (rows[0]?.readOnly === 'on') return storageFault({ code: '25006' })?.cause;
    }
    return undefined;
  } catch (error) {
    const fault = storageFault(error);
    if (!fault) throw error;
    return fault.cause;
  }
}

/**
 * For the app's onError hook: a change that failed on the database's storage makes /readyz answer 503 with the cause
 * until a write probe succeeds again, so a load balancer sends the traffic elsewhere while the disk is full.
 */
export function noteStorageFault(readiness: Readiness, error: unknown): void {
  const fault = storageFault(error);
  if (fault) readiness.writeFault = fault.cause;
}
