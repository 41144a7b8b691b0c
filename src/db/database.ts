import { Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import { openSqlite } from './sqlite.js';
import type { Database } from './tables.js';

export type Db = Kysely<Database>;

/** A failure to open or prepare the database, worded for a one-line CLI message. */
export class DatabaseOpenError extends Error {
  constructor(location: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot open database ${location}: ${reason}`);
    this.name = 'DatabaseOpenError';
  }
}

export interface OpenDatabase {
  db: Db;
  location: string;
  close(): Promise<void>;
}

/** Opens the embedded SQLite database at a file path (PostgreSQL URLs arrive with the PostgreSQL backend). */
export function openDatabase(location: string): OpenDatabase {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    throw new DatabaseOpenError(location.replace(/\/\/[^@/]*@/, '//***@'), 'PostgreSQL is not supported yet; use a SQLite file path');
  }
  try {
    const { dialect } = openSqlite(location);
    const db = new Kysely<Database>({ dialect });
    return { db, location, close: () => db.destroy() };
  } catch (error) {
    throw new DatabaseOpenError(location, error);
  }
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
