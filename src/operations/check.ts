import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { listTenants, type TenantSummary } from '../auth/service.js';
import { migrationProvider } from '../db/migrations/index.js';
import { isPostgresUrl } from '../db/postgres.js';
import type { Store } from '../db/store.js';
import { OperationRefusedError } from './backup.js';

export interface CheckReport {
  database: string;
  /** SQLite's integrity_check and foreign_key_check: "ok", or what they found; PostgreSQL checks its own pages. */
  integrity: string[];
  migrations: { applied: string[]; pending: string[]; unknown: string[] };
  tenants: TenantSummary[];
  /** Integrity ok and every migration applied, none unknown to this version. */
  ok: boolean;
}

/** The most problems of each kind listed: a damaged file can have thousands, and the first ones say enough. */
const MAX_PROBLEMS = 20;

/** A file that is no database or no opencase database is refused before a store opens it (which would create one). */
export function requireExistingDatabase(location: string): void {
  if (!isPostgresUrl(location) && !existsSync(location)) throw new OperationRefusedError(`no database at ${location}`);
}

async function integrityOf(store: Store, quick: boolean): Promise<string[]> {
  if (store.dialect === 'postgres') return ['not checked here: PostgreSQL checks its pages itself (data checksums; pg_amcheck for indexes)'];
  // Each answers in one column, named after the pragma.
  const pages = await sql<Record<string, string>>`pragma ${sql.raw(quick ? 'quick_check' : 'integrity_check')}(${sql.lit(MAX_PROBLEMS)})`.execute(store.db);
  const keys = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(store.db);
  const problems = [
    ...pages.rows.map((row) => String(Object.values(row)[0])).filter((line) => line !== 'ok'),
    ...keys.rows.slice(0, MAX_PROBLEMS).map((row) => `${row.table} row ${row.rowid} refers to a missing ${row.parent} row`),
  ];
  return problems.length === 0 ? ['ok'] : problems;
}

async function migrationsOf(store: Store): Promise<CheckReport['migrations']> {
  const known = Object.keys(await migrationProvider.getMigrations()).sort();
  let applied: string[] = [];
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    applied = rows.rows.map((row) => row.name);
  } catch {
    // No migration table: nothing of opencase was ever applied here.
  }
  return { applied, pending: known.filter((name) => !applied.includes(name)), unknown: applied.filter((name) => !known.includes(name)) };
}

/**
 * `opencase check`: whether a database (a backup, say) is whole and usable by this version — SQLite's integrity and
 * foreign-key checks, the migrations applied, pending or unknown (made by a newer opencase) — and what each tenant
 * holds. It changes nothing: no migration runs.
 */
export async function checkDatabase(store: Store, options: { quick?: boolean } = {}): Promise<CheckReport> {
  const integrity = await integrityOf(store, options.quick === true);
  const migrations = await migrationsOf(store);
  const tenants = migrations.applied.length > 0 ? await listTenants(store) : [];
  const integrityOk = integrity.length === 1 && (integrity[0] === 'ok' || store.dialect === 'postgres');
  return { database: store.location, integrity, migrations, tenants, ok: integrityOk && migrations.pending.length === 0 && migrations.unknown.length === 0 };
}
