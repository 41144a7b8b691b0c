import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import type { SyncReader } from './prepared.js';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver opens transactions with a plain BEGIN, which takes the write lock only at the first
 * write; two processes that both read first then deadlock and one fails at once with SQLITE_BUSY. BEGIN
 * IMMEDIATE takes the lock up front, so concurrent writers queue on busy_timeout instead.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  constructor(private readonly connection: SQLite.Database, config: ConstructorParameters<typeof SqliteDriver>[0]) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * On a full disk, an I/O error or a database that became read-only SQLite may already have rolled the whole
   * transaction back itself; a ROLLBACK then fails with "cannot rollback - no transaction is active", and Kysely would
   * throw that instead of the error that ended the transaction (measured: 50 creates on a full disk logged that line
   * 50 times and the real cause never). Nothing is left to undo, so the cause is what reaches the caller.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.connection.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

/**
 * SQLite runs DDL inside transactions, but Kysely's adapter says it does not, so its Migrator would run
 * migrations unlocked and two processes starting together would both try to create the tables. Declared
 * transactional, each migration run is one BEGIN IMMEDIATE transaction: the second process waits, then finds
 * the work done.
 */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Distinct SQL texts kept prepared; the queries opencase builds are a few dozen shapes, so this is never reached in use. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and preparing cost more than running on the task-detail path (profiled:
 * a quarter of the server's CPU). Queries are built with parameters, so their SQL text repeats and one
 * prepared statement per text serves them all; the single connection is used by one query at a time.
 */
function statementCache(database: SQLite.Database): (sql: string) => SQLite.Statement {
  const statements = new Map<string, SQLite.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const prepare = statementCache(database);
  return { close: () => database.close(), prepare };
}

class ImmediateTransactionDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase, private readonly connection: SQLite.Database) {
    super({ database });
    this.#database = database;
  }

  override createDriver() {
    return new ImmediateTransactionDriver(this.connection, { database: this.#database });
  }

  override createAdapter() {
    return new TransactionalDdlAdapter();
  }
}

/** How long a statement waits for another process's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * A read-only connection for reads outside transactions, opened on first use (the file exists by then: the
 * writer created it). WAL gives it the last committed state without waiting for the writer.
 */
function openReader(file: string): SyncReader & { close(): void } {
  let connection: SQLite.Database | undefined;
  let prepare: ((sql: string) => SQLite.Statement) | undefined;
  let versionStatement: SQLite.Statement | undefined;
  const statements = () => {
    if (!prepare) {
      connection = new SQLite(file, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
      prepare = statementCache(connection);
    }
    return prepare;
  };
  // This connection never writes, so every commit, of this process or another, moves it.
  const readVersion = () => (versionStatement ??= statements()('pragma data_version').pluck()).get() as number;

  // A read of data_version is three system calls (a lock on the -shm file, an fstat, the unlock: 6 µs measured here,
  // a profile's largest entry of cached task detail after the socket write), so the requests that arrived in one turn
  // of the event loop share one (12 requests a read on average under the benchmark's 32 connections). `shared` holds
  // it only while the waiters of that read take their next step: from the read until a microtask queued behind their
  // wake-ups. Whatever runs then was queued before the read, so a commit it could know of had returned before the
  // read and is in it; anything later reads again.
  let shared: number | undefined;
  let waiting: Array<() => void> = [];
  const share = () => {
    const wake = waiting;
    waiting = [];
    try {
      shared = readVersion();
    } catch {
      // Each waiter reads again, and meets the failure in its own request.
    }
    for (const resolve of wake) resolve();
    queueMicrotask(() => {
      shared = undefined;
    });
  };

  return {
    all(sql, parameters) {
      return statements()(sql).all(parameters);
    },
    dataVersion() {
      return shared ?? readVersion();
    },
    shareDataVersion() {
      return new Promise((resolve) => {
        // setImmediate runs after the poll phase: every request read from the sockets in this turn is waiting by then.
        if (waiting.push(resolve) === 1) setImmediate(share);
      });
    },
    close() {
      connection?.close();
    },
  };
}

export function openSqlite(path: string): { dialect: SqliteDialect; database: SQLite.Database; reader: SyncReader & { close(): void } } {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  // WAL lets readers run beside the one writer; synchronous=FULL makes every commit durable before the reply.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  return { dialect: new ImmediateTransactionDialect(withStatementCache(database), database), database, reader: openReader(file) };
}
