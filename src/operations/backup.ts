import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { redactUrl } from '../db/postgres.js';

/** Why an operation was not done: one line for the operator (a missing file, a copy that would overwrite one…). */
export class OperationRefusedError extends Error {}

export interface BackupReport {
  source: string;
  target: string;
  pages: number;
  bytes: number;
  milliseconds: number;
}

/**
 * What an operator runs instead of `opencase backup` on PostgreSQL: pg_dump's custom format, consistent while writes
 * go on (one snapshot), restored with pg_restore. The password is left out of what is printed.
 */
export function postgresBackupAdvice(url: string, target: string): string {
  return `opencase backup copies SQLite files; for PostgreSQL run pg_dump, which takes one consistent snapshot while writes go on:\n`
    + `  pg_dump --format=custom --file '${target}' '${redactUrl(url)}'\n`
    + `(with the password in PGPASSWORD or ~/.pgpass), and restore with pg_restore --dbname URL '${target}'.`;
}

/** Pages one backup step may copy: all of them, so that the copy is one read transaction's snapshot. */
const ALL_PAGES = 0x7fffffff;

/**
 * An online, consistent copy of a SQLite database through SQLite's backup API (better-sqlite3), while servers go on
 * writing to it: the pages are copied in one step, inside one read transaction, so the copy holds exactly the
 * transactions committed before that step began — every write acknowledged before the backup started, none half
 * written. WAL mode lets writers go on meanwhile; a step restarted by a write in between copies a later snapshot.
 * The copy is written beside the target and renamed into place, so that an interrupted backup leaves no file that looks
 * whole; an existing target is refused, never overwritten. Its folder is made when missing.
 */
export async function backupSqlite(source: string, target: string): Promise<BackupReport> {
  // A PostgreSQL URL never comes here: `opencase backup` prints postgresBackupAdvice for it instead.
  if (!existsSync(source)) throw new OperationRefusedError(`no database at ${source}: --db names the SQLite file to back up`);
  if (existsSync(target)) throw new OperationRefusedError(`${target} exists: back up to a new file (a backup never overwrites one)`);
  const started = performance.now();
  const partial = `${target}.partial-${process.pid}`;
  await mkdir(dirname(target), { recursive: true });
  // Read-write though it only reads: a read-only connection cannot create the WAL's shared-memory file when no server runs.
  const database = new SQLite(source, { fileMustExist: true });
  try {
    // A checkpoint or a writer's brief exclusive moment waits rather than failing the backup.
    database.pragma('busy_timeout = 10000');
    const { totalPages } = await database.backup(partial, { progress: () => ALL_PAGES });
    await rename(partial, target);
    return { source, target, pages: totalPages, bytes: (await stat(target)).size, milliseconds: Math.round(performance.now() - started) };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    database.close();
  }
}
