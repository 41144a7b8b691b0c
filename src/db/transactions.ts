import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import { errorCode } from './error-code.js';
import { isRetryableConflict, lostEveryAttempt, TRANSACTION_ATTEMPTS } from './retry.js';

/** A change waiting for its turn in the next group commit. */
interface PendingChange {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Runs so far: a change rolled back for a deadlock or a serialization failure runs again in a later batch. */
  runs: number;
}

export interface GroupCommitOptions {
  /**
   * Batches in flight at once. SQLite: 1 (its writes take turns anyway). PostgreSQL: a few, so that a batch waiting for
   * a row lock or its commit's flush does not hold every other change of the process behind it.
   */
  concurrentBatches: number;
  /**
   * PostgreSQL: how long a change after the first of its batch may wait for a lock before it is rolled back to its
   * savepoint and put first in the next batch (lock_timeout). Absent: as long as it takes (SQLite, which has no row
   * locks). See #commitBatch for why the first change of a batch waits as long as it takes and the others do not.
   */
  lockWaitAfterFirstMs?: number;
}

const SAVEPOINT = CompiledQuery.raw('savepoint change');
const NO_LOCK_TIMEOUT = CompiledQuery.raw('set local lock_timeout to default');
/** lock_not_available: a lock wait ran out of lock_timeout. */
const LOCK_TIMEOUT_CODE = '55P03';
const RELEASE = CompiledQuery.raw('release savepoint change');
const ROLLBACK = CompiledQuery.raw('rollback to savepoint change');

/** Enough to share one commit among every connection of a busy server, few enough to keep a batch's latency short. */
const MAX_CHANGES_PER_COMMIT = 64;

/**
 * Group commit. On SQLite every commit in synchronous=FULL mode writes the WAL and waits for fsync, and on SQLite
 * writes are serialized anyway, so the changes that arrive in one turn of the event loop run one after another in
 * a single transaction, each inside a savepoint of its own: a change that fails is rolled back alone and its caller
 * gets its error; the others are acknowledged once the shared commit (and its fsync) has returned, never before.
 * If the commit itself fails, every change of the batch fails with it and none was acknowledged.
 *
 * On PostgreSQL a change that takes a tenant's counter rows (every change that writes a trace) holds their lock until
 * its commit has been flushed, so one tenant's changes take turns at the pace of the disk's flushes; in one batch they
 * share the lock and the flush. Measured in one run of `npm run bench` (durable PostgreSQL on this 2-core machine): see
 * docs/scaling.md, "Group commit on PostgreSQL".
 */
export class GroupCommit {
  readonly #queue: PendingChange[] = [];
  /** Batches scheduled or running. */
  #inFlight = 0;

  /** `set local lock_timeout` for a batch's changes after the first, when their lock waits are bounded. */
  readonly #lockWaitTimeout: CompiledQuery | undefined;

  constructor(private readonly db: Kysely<Database>, private readonly options: GroupCommitOptions = { concurrentBatches: 1 }) {
    const { lockWaitAfterFirstMs } = options;
    this.#lockWaitTimeout = lockWaitAfterFirstMs === undefined
      ? undefined
      : CompiledQuery.raw(`set local lock_timeout = ${Math.max(1, Math.round(lockWaitAfterFirstMs))}`);
  }

  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject, runs: 0 });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#inFlight >= this.options.concurrentBatches) return;
    this.#inFlight++;
    // After the I/O of this turn, so that every request read in it joins the batch.
    setImmediate(() => {
      void this.#commitBatch().finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#schedule();
      });
    });
  }

  async #commitBatch(): Promise<void> {
    const batch = this.#queue.splice(0, MAX_CHANGES_PER_COMMIT);
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown } | { ok: false; retry: true; first?: true }> = [];
    const lockWaitTimeout = this.#lockWaitTimeout;
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const [i, change] of batch.entries()) {
          // A batch holds the locks of each change it ran until it commits, taken change after change, outside the lock
          // order of docs/semantics.md: a later change that waits for a row another transaction holds, while that one
          // waits for a row an earlier change of the batch took, is a deadlock, which PostgreSQL takes deadlock_timeout
          // (1 s) to see. Only the first change of a batch holds nothing of the others when it waits, so only it waits
          // as long as it takes; after it, a wait longer than lockWaitAfterFirstMs sends the change to the head of the
          // queue, where it runs first in the next batch (measured: docs/scaling.md, "Group commit on PostgreSQL").
          if (i === 1 && lockWaitTimeout) await trx.executeQuery(lockWaitTimeout);
          await trx.executeQuery(SAVEPOINT);
          change.runs++;
          try {
            const value = await change.work(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            try {
              await trx.executeQuery(ROLLBACK);
              await trx.executeQuery(RELEASE);
            } catch {
              // SQLite ended the whole transaction itself (a full disk, an I/O error, a read-only file): the savepoint is
              // gone with every change of the batch, and this change's error is the cause each of them fails with.
              throw error;
            }
            if (i > 0 && lockWaitTimeout && errorCode(error) === LOCK_TIMEOUT_CODE) {
              // It waited too long behind another transaction: not a lost race, so it does not count as a run.
              change.runs--;
              outcomes.push({ ok: false, retry: true, first: true });
            } else if (isRetryableConflict(error)) {
              // PostgreSQL broke a deadlock (or a serialization failure) by failing this change's statement: rolled
              // back to its savepoint, the change has released its locks and runs again in a later batch.
              outcomes.push(change.runs < TRANSACTION_ATTEMPTS ? { ok: false, retry: true } : { ok: false, error: lostEveryAttempt(TRANSACTION_ATTEMPTS) });
            } else outcomes.push({ ok: false, error });
          }
        }
        // COMMIT takes a lock too when the batch notified (async.c's, one at a time per cluster): it must not time out.
        if (batch.length > 1 && lockWaitTimeout) await trx.executeQuery(NO_LOCK_TIMEOUT);
      });
    } catch (error) {
      batch.forEach((change, i) => {
        const outcome = outcomes[i];
        change.reject(outcome && 'error' in outcome ? outcome.error : error);
      });
      return;
    }
    const first: PendingChange[] = [];
    batch.forEach((change, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) change.resolve(outcome.value);
      else if (outcome && 'retry' in outcome) (outcome.first ? first : this.#queue).push(change);
      else change.reject(outcome?.error);
    });
    this.#queue.unshift(...first);
    if (this.#queue.length > 0) this.#schedule();
  }
}
