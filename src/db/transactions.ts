import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';

/** A change waiting for its turn in the next group commit. */
interface PendingChange {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const SAVEPOINT = CompiledQuery.raw('savepoint change');
const RELEASE = CompiledQuery.raw('release savepoint change');
const ROLLBACK = CompiledQuery.raw('rollback to savepoint change');

/** Enough to share one commit among every connection of a busy server, few enough to keep a batch's latency short. */
const MAX_CHANGES_PER_COMMIT = 64;

/**
 * Group commit for SQLite. Every commit in synchronous=FULL mode writes the WAL and waits for fsync, and on SQLite
 * writes are serialized anyway, so the changes that arrive in one turn of the event loop run one after another in
 * a single transaction, each inside a savepoint of its own: a change that fails is rolled back alone and its caller
 * gets its error; the others are acknowledged once the shared commit (and its fsync) has returned, never before.
 * If the commit itself fails, every change of the batch fails with it and none was acknowledged.
 */
export class GroupCommit {
  readonly #queue: PendingChange[] = [];
  #scheduled = false;

  constructor(private readonly db: Kysely<Database>) {}

  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After the I/O of this turn, so that every request read in it joins the batch.
    setImmediate(() => {
      void this.#commitBatch().finally(() => {
        this.#scheduled = false;
        if (this.#queue.length > 0) this.#schedule();
      });
    });
  }

  async #commitBatch(): Promise<void> {
    const batch = this.#queue.splice(0, MAX_CHANGES_PER_COMMIT);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const change of batch) {
          await trx.executeQuery(SAVEPOINT);
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
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      batch.forEach((change, i) => {
        const outcome = outcomes[i];
        change.reject(outcome && !outcome.ok ? outcome.error : error);
      });
      return;
    }
    batch.forEach((change, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) change.resolve(outcome.value);
      else change.reject(outcome?.error);
    });
  }
}
