import { Kysely, Migrator, sql, type SelectQueryBuilder } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import { isPostgresUrl, openPostgres, redactUrl } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { Database } from './tables.js';
import { errorCode } from './error-code.js';
import { Store, type Db, type Tx } from './store.js';
import { ChangeSignal, kyselyChangeSource } from '../changes/index.js';

export { Store, Tx, type Db, type DialectName, type Queryable } from './store.js';

/** A failure to open or prepare the database, worded for a one-line CLI message. */
export class DatabaseOpenError extends Error {
  constructor(location: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot open database ${location}: ${reason}`);
    this.name = 'DatabaseOpenError';
  }
}

export const DEFAULT_POOL_SIZE = 10;

/**
 * PostgreSQL: how far behind the other processes' commits a read may be when it is answered from what this process
 * keeps (docs/scaling.md, "Reads served from the change signal"); 0 sends every request to the database.
 */
export const DEFAULT_STALENESS_MS = 100;

/**
 * PostgreSQL: group commit batches in flight per process; see db/transactions.ts and docs/scaling.md, "Group commit on
 * PostgreSQL" (measured creates/s in one tenant, one run: off 525, 1 batch 890, 2 batches 775, 4 batches 506).
 */
export const DEFAULT_GROUP_COMMIT_BATCHES = 1;

export interface OpenOptions {
  poolSize?: number;
  /** See DEFAULT_STALENESS_MS. */
  stalenessMs?: number;
  /** PostgreSQL: group commit batches in flight (db/transactions.ts); 0 gives each change a transaction of its own. */
  groupCommitBatches?: number;
  /** Where the change signal says that it lost or regained the database (stderr by default). */
  log?: (message: string) => void;
}

/**
 * The store of a SQLite file path, or of a PostgreSQL database from a `postgres://` URL (connections are made on first
 * use). Open it once per database and process, and share it.
 */
export function openDatabase(location: string, options: OpenOptions = {}): Store {
  const log = options.log ?? ((message: string) => process.stderr.write(`opencase: ${message}\n`));
  if (isPostgresUrl(location)) {
    const statementNames = new Map<string, string>();
    const { dialect } = openPostgres(location, options.poolSize ?? DEFAULT_POOL_SIZE, statementNames);
    const db = new Kysely<Database>({ dialect });
    const stalenessMs = options.stalenessMs ?? DEFAULT_STALENESS_MS;
    const feed = kyselyChangeSource(db);
    const changes = new ChangeSignal({
      backend: 'postgres', connectionString: location, source: feed, log,
      ...(stalenessMs > 0 && { freshnessMs: stalenessMs, heartbeatMs: Math.max(5, Math.round(stalenessMs / 4)) }),
    });
    return new Store({
      dialect: 'postgres', db, location: redactUrl(location), statementNames, changes, feed, servedFromSignal: stalenessMs > 0,
      groupCommitBatches: options.groupCommitBatches ?? DEFAULT_GROUP_COMMIT_BATCHES, close: () => db.destroy(),
    });
  }
  try {
    const { dialect, reader } = openSqlite(location);
    const db = new Kysely<Database>({ dialect });
    const feed = kyselyChangeSource(db);
    const changes = new ChangeSignal({ backend: 'sqlite', dataVersion: () => reader.dataVersion(), source: feed, log });
    return new Store({
      dialect: 'sqlite',
      db,
      location,
      reader,
      changes,
      feed,
      close: async () => {
        reader.close();
        await db.destroy();
      },
    });
  } catch (error) {
    throw new DatabaseOpenError(location, error);
  }
}

/**
 * Waits until the database answers, retrying with exponential backoff (0.25 s doubling to 5 s) for up to
 * `maxWaitMs`, and says why each attempt failed: a PostgreSQL server that is still starting is not an error.
 */
export async function waitForDatabase(db: Db, maxWaitMs: number, log: (message: string) => void, location = ''): Promise<void> {
  const started = Date.now();
  let delay = 250;
  for (;;) {
    try {
      await sql`select 1`.execute(db);
      return;
    } catch (error) {
      // Waiting cannot cure these: say what to do at once rather than after the whole wait (30 s by default).
      const permanent = permanentFailure(error, location);
      if (permanent) throw new Error(permanent);
      const reason = error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code || error.name : String(error);
      if (Date.now() - started + delay > maxWaitMs) throw new Error(`database did not answer within ${Math.round(maxWaitMs / 1000)} s: ${reason}`);
      log(`database not ready (${reason}); retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/**
 * A PostgreSQL refusal that no retry will change, in words that say how to fix it: the database does not exist
 * (`3D000`), the password or the user is refused (`28P01`, `28000`).
 */
function permanentFailure(error: unknown, location: string): string | undefined {
  const code = errorCode(error);
  if (code !== '3D000' && code !== '28P01' && code !== '28000') return undefined;
  const reason = error instanceof Error ? error.message : String(code);
  if (code !== '3D000' || !isPostgresUrl(location)) return `${reason} (${redactUrl(location)})`;
  const url = new URL(location);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  const user = decodeURIComponent(url.username) || 'postgres';
  return `${reason} on ${url.hostname}:${url.port || '5432'}: create it first, for example with `
    + `createdb -h ${url.hostname} -p ${url.port || '5432'} -U ${user} ${name} `
    + `(or in psql: CREATE DATABASE "${name.replaceAll('"', '""')}";), then start again`;
}

/**
 * A read that a change will be based on: on PostgreSQL it locks the rows (FOR UPDATE) so that two concurrent
 * changes of one record queue instead of both reading the old state; SQLite's write transactions (BEGIN
 * IMMEDIATE) are already serialized and it has no FOR UPDATE.
 */
export function lockedForChange<O, DB, TB extends keyof DB>(tx: Tx, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return tx.store.dialect === 'sqlite' ? query : query.forUpdate();
}

/**
 * A read that a change relies on without changing it (a case write reads its type's template): on PostgreSQL the rows
 * are share-locked (FOR SHARE) until the transaction ends, so a change of them waits for it, and it for that change.
 */
export function lockedForReading<O, DB, TB extends keyof DB>(tx: Tx, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return tx.store.dialect === 'sqlite' ? query : query.forShare();
}

/** Brings the schema to the latest migration; safe when several processes start at once. */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
