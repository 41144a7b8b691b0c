import { errorCode } from './error-code.js';

/**
 * Faults of the database's storage rather than of the request: a full disk, a file or server that only reads, an I/O
 * error. Nothing was written, and the same call succeeds once an operator has fixed the cause, so the client gets a
 * 503 with Retry-After and the cause in words, never a 500 (measured before: every write on a full disk was a 500
 * "internal error").
 */
export interface StorageFault {
  /** What is wrong, for the reply, the log and /readyz: "the database's disk is full". */
  cause: string;
  /** Seconds a client should wait: an operator has to act, so retrying at once is pointless. */
  retryAfterSeconds: number;
}

const RETRY_AFTER_SECONDS = 30;

/** SQLite's primary result codes (better-sqlite3 reports extended codes such as SQLITE_IOERR_WRITE; the prefix decides). */
const SQLITE_FAULTS: Array<[prefix: string, cause: string]> = [
  ['SQLITE_FULL', "the database's disk is full"],
  ['SQLITE_READONLY', 'the database is read-only (check the permissions of its file and folder, and the file system)'],
  ['SQLITE_IOERR', "the database's disk failed to read or write (I/O error)"],
  ['SQLITE_CANTOPEN', 'the database file cannot be opened (check that it and its folder exist and are writable)'],
  ['SQLITE_CORRUPT', 'the database file is damaged (restore it from a backup)'],
  ['SQLITE_NOTADB', 'the database file is not a SQLite database'],
];

/** PostgreSQL's SQLSTATEs for the same faults. */
const POSTGRES_FAULTS = new Map<string, string>([
  ['53100', "the database server's disk is full"],
  ['53200', 'the database server is out of memory'],
  ['25006', 'the database is read-only (a standby, or default_transaction_read_only is on)'],
  ['58030', 'the database server failed to read or write its disk (I/O error)'],
  ['XX001', 'the database server found damaged data (restore it from a backup)'],
]);

export function storageFault(error: unknown): StorageFault | undefined {
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const cause = code.startsWith('SQLITE_')
    ? SQLITE_FAULTS.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1]
    : POSTGRES_FAULTS.get(code);
  return cause === undefined ? undefined : { cause, retryAfterSeconds: RETRY_AFTER_SECONDS };
}
