import { requestCommitWork } from './request-commit.js';
import { Kysely, type Transaction } from 'kysely';
import { Histogram } from 'prom-client';
import { CheckedTokens } from '../auth/checked-tokens.js';
import { VerifiedSecrets } from '../auth/secrets.js';
import { ListResponseCache } from '../lists/response-cache.js';
import { TaskDetailCache } from '../tasks/detail-cache.js';
import type { Database } from './tables.js';
import { GroupCommit } from './transactions.js';
import { runRetried } from './retry.js';
import type { CompiledStatement, SyncReader } from './prepared.js';
import type { TenantContext } from '../auth/service.js';
import { ChangeSignal, kyselyChangeSource, sendChangeNotifications, type ChangeSource } from '../changes/index.js';

export type Db = Kysely<Database>;

export type DialectName = 'sqlite' | 'postgres';

/**
 * PostgreSQL group commit: how long a change after the first of its batch may wait for a lock before it runs first in
 * the next batch instead (db/transactions.ts): far below deadlock_timeout (1 s), above a batch's usual hold of a
 * tenant's counter rows.
 */
const BATCH_LOCK_WAIT_MS = 50;

/**
 * One change in progress: the Kysely transaction it runs in, and what it has done that every process must hear of
 * once it commits (the tenants whose change sequence it advanced, a revocation). Functions that may only run inside a
 * change (locked reads, applyChange, nextSerial, the trace writers) take a Tx: a Store does not compile there.
 */
export class Tx {
  readonly #advanced = new Map<string, number>();
  /** What a statement of this change already notified, in the statement itself (tenant → the number it sent). */
  readonly #announced = new Map<string, number>();
  #revoked = false;

  constructor(readonly store: Store, readonly db: Transaction<Database>) {}

  /** The tenant's change sequence reached `seq` in this change. */
  advanced(tenantId: string, seq: number): void {
    if ((this.#advanced.get(tenantId) ?? -1) < seq) this.#advanced.set(tenantId, seq);
  }

  /**
   * The tenant's change sequence reached `seq` in a statement that also sent its notification (PostgreSQL): the end of
   * the change need not send it again unless the change advanced the sequence further.
   */
  announced(tenantId: string, seq: number): void {
    this.advanced(tenantId, seq);
    if ((this.#announced.get(tenantId) ?? -1) < seq) this.#announced.set(tenantId, seq);
  }

  /** This change revokes a token or an API app: every process drops the tokens it has checked. */
  revokes(): void {
    this.#revoked = true;
  }

  /** What this change signals: each tenant's highest sequence number taken, and whether it revoked anything. */
  get signals(): { advanced: ReadonlyMap<string, number>; revoked: boolean } {
    return { advanced: this.#advanced, revoked: this.#revoked };
  }

  /** The tenants whose highest number no statement of this change has notified yet, with that number. */
  get unannounced(): ReadonlyMap<string, number> {
    if (this.#announced.size === 0) return this.#advanced;
    return new Map([...this.#advanced].filter(([tenantId, seq]) => this.#announced.get(tenantId) !== seq));
  }
}

/** Where a query may run: the store (outside any change) or a change's transaction. */
export type Queryable = Store | Tx;

export interface StoreParts {
  dialect: DialectName;
  db: Db;
  location: string;
  /** SQLite's read-only connection for prepared reads outside a change. */
  reader?: SyncReader;
  /** PostgreSQL's named statements by SQL text, which the pool's connections prepare once each (db/postgres.ts). */
  statementNames?: Map<string, string>;
  /** What this process hears of every commit to the database, its own and other processes' (changes/). */
  changes: ChangeSignal;
  /** The tenants' change feeds, as the signal's subscribers and the trace export read them. */
  feed: ChangeSource;
  /**
   * PostgreSQL: whether a request may be answered from what this process keeps (checked tokens, each tenant's change
   * sequence as signalled) while the change signal is fresh, rather than with a query of its own.
   */
  servedFromSignal?: boolean;
  /** PostgreSQL: batches of changes committed at once (db/transactions.ts); 0 or absent gives each change its own. */
  groupCommitBatches?: number;
  close(): Promise<void>;
}

/**
 * Everything that belongs to one database, created once and shared by whatever uses it (apps, the CLI): the Kysely
 * instance, SQLite's read connection and group commit, the compiled statements, the caches (checked tokens, verified
 * secrets, task details, task lists) and the change signal. Nothing of the kind lives in module-level maps, so two
 * databases in one process (tests) never share a cache or a statement.
 */
export class Store {
  readonly dialect: DialectName;
  readonly db: Db;
  /** Where the database is, safe to print (a URL's password is masked). */
  readonly location: string;
  readonly reader: SyncReader | undefined;
  /** Compiled prepared queries by name (db/prepared.ts): a name is compiled once per store. */
  readonly compiled = new Map<string, CompiledStatement>();
  readonly statementNames: Map<string, string> | undefined;
  /** Prepared queries' run time by name; every app on the store shows it. */
  readonly queryDuration = new Histogram({
    name: 'opencase_db_query_duration_seconds', help: 'Run time of prepared database queries, by query',
    labelNames: ['query'] as const, registers: [],
    buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
  });
  readonly tokens = new CheckedTokens();
  readonly secrets = new VerifiedSecrets();
  readonly taskDetails = new TaskDetailCache();
  readonly taskLists = new ListResponseCache();
  readonly changes: ChangeSignal;
  readonly feed: ChangeSource;
  readonly #servedFromSignal: boolean;
  readonly #groupCommit: GroupCommit | undefined;
  readonly #close: () => Promise<void>;
  #closed: Promise<void> | undefined;

  constructor(parts: StoreParts) {
    this.dialect = parts.dialect;
    this.db = parts.db;
    this.location = parts.location;
    this.reader = parts.reader;
    this.statementNames = parts.statementNames;
    this.changes = parts.changes;
    this.feed = parts.feed;
    this.#servedFromSignal = parts.servedFromSignal ?? false;
    this.#close = parts.close;
    this.#groupCommit = parts.dialect === 'sqlite' || parts.groupCommitBatches
      ? new GroupCommit(parts.db, {
        concurrentBatches: parts.groupCommitBatches ?? 1,
        ...(parts.dialect === 'postgres' && { lockWaitAfterFirstMs: BATCH_LOCK_WAIT_MS }),
      })
      : undefined;
  }

  /** A store is where its own queries run (see Queryable). */
  get store(): Store {
    return this;
  }

  /**
   * A number under which the tokens this process checked stay valid, read before the data it vouches for; undefined
   * when none may be trusted, and every token is checked against the database.
   * - SQLite: data_version, read without touching a table (two lock calls): it moves whenever anything is committed,
   *   by any process, so a token checked under it is unrevoked and its tenant's change sequence unchanged.
   * - PostgreSQL: the change signal's epoch, which moves on every revocation in any process, while the signal is fresh
   *   (every commit up to a moment ago is known here) and the store serves from it; the tenant's change sequence then
   *   comes from the signal (currentTenant).
   */
  tokenVersion(): number | undefined {
    if (this.reader) return this.reader.dataVersion();
    return this.#servedFromSignal && this.changes.fresh ? this.changes.epoch : undefined;
  }

  /**
   * A checked token's tenant with its change sequence brought up to what this process knows (PostgreSQL: signalled by
   * other processes since the token was checked, or committed here). On SQLite a token is reused only while nothing
   * was committed, so the number it was checked with is current.
   */
  currentTenant(tenant: TenantContext): TenantContext {
    const latest = this.reader ? undefined : this.changes.latestSeq(tenant.tenantId);
    return latest !== undefined && latest > tenant.changeSeq ? { ...tenant, changeSeq: latest } : tenant;
  }

  /** Starts hearing the database's change signal (PostgreSQL: its listening connection); caches wait for it. */
  start(): Promise<void> {
    return this.changes.start();
  }

  /**
   * Runs one change in a transaction: all of it lands or none of it does, and the returned promise settles only after
   * the commit is durable. On SQLite the transaction is shared with the changes that arrived alongside (group commit,
   * db/transactions.ts); on PostgreSQL each change has a transaction of its own, whose server groups commits itself,
   * and one rolled back for a deadlock or a serialization failure is run again (db/retry.ts): `work` may run more than
   * once there, so it must do nothing outside its transaction. What the change signals is sent inside it (so that it is
   * heard only on commit) and told to this process's listeners once it committed.
   */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let committed: Tx | undefined;
    // The calling request's own work (db/request-commit.ts: its Idempotency-Key marked committed), taken here, in the
    // caller's context: group commit runs the change from another request's, where the store would be that one's.
    const alongside = requestCommitWork.getStore();
    const run = async (trx: Transaction<Database>) => {
      const tx = new Tx(this, trx);
      const value = await work(tx);
      if (alongside) await alongside(tx);
      // PostgreSQL delivers a notification when its transaction commits and drops it on rollback: every process hears
      // of exactly the changes it can read. SQLite's other processes see data_version move instead.
      if (this.dialect === 'postgres') await sendChangeNotifications(trx, tx.unannounced, tx.signals.revoked);
      committed = tx;
      return value;
    };
    const value = this.#groupCommit ? await this.#groupCommit.run(run) : await runRetried(this.db, run);
    // After the commit, before the caller replies: this process's own next request already knows.
    if (committed) this.changes.committed(committed.signals.advanced, committed.signals.revoked);
    return value;
  }

  /** Closes the database once, however many times it is asked (bound: `const { close } = store` works). */
  readonly close = (): Promise<void> => {
    this.#closed ??= this.changes.close().then(() => this.#close());
    return this.#closed;
  };
}

/**
 * A repository whose change methods (locked reads, applyChange, trace inserts) exist only when it is made on a Tx, so
 * that calling one outside a change does not compile; its other queries run on either.
 */
export function repository<Queries extends object, Changes extends object>(
  queries: (q: Queryable) => Queries, changes: (tx: Tx) => Changes,
) {
  function create(q: Tx): Queries & Changes;
  function create(q: Queryable): Queries;
  function create(q: Queryable): Queries | (Queries & Changes) {
    return q instanceof Tx ? { ...queries(q), ...changes(q) } : queries(q);
  }
  return create;
}

/**
 * A change around a transaction that Kysely's Migrator opened (a data migration reuses the services' change code): the
 * store around it is a throwaway one, with no reader and no listener, since no process serves while migrating.
 */
export function migrationTx(trx: Transaction<Database>, dialect: DialectName): Tx {
  const feed = kyselyChangeSource(trx);
  const changes = new ChangeSignal({ backend: 'sqlite', dataVersion: () => 0, source: feed });
  return new Tx(new Store({ dialect, db: trx, location: 'migration', changes, feed, close: async () => undefined }), trx);
}
