import { ApiError } from '../wire/errors.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables.js';
import { errorCode } from './error-code.js';

/**
 * PostgreSQL's answers to a transaction that lost a race with another, rolled back whole and safe to run again:
 * serialization_failure (40001) and deadlock_detected (40P01). With every change taking its locks in one order
 * (docs/semantics.md, "Lock order") a deadlock should not form; these are what remains, and they are the client's
 * race, not its mistake: retried here, then a 503, never a 500.
 */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

export function isRetryableConflict(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** The first run and three more: a deadlock costs deadlock_timeout (1 s by default) to detect, so few are worth waiting for. */
export const TRANSACTION_ATTEMPTS = 4;

/** The wait before retry n (1, 2, 3): 10, 20, 40 ms, each scaled by a random 0.5 to 1.5 so that the two losers of a race do not meet again. */
function backoffMs(retry: number): number {
  return 10 * 2 ** (retry - 1) * (0.5 + Math.random());
}

/** What a change that lost every attempt answers: a 503 saying to retry, nothing written. */
export function lostEveryAttempt(attempts: number): ApiError {
  return new ApiError('unavailable', `the change lost a race with concurrent changes of the same records ${attempts} times `
    + '(a deadlock or serialization failure); nothing was written: retry in a moment');
}

export interface RetryOptions {
  /** Runs in all, the first included (TRANSACTION_ATTEMPTS unless told). */
  attempts?: number;
}

/**
 * Runs `work` in a PostgreSQL transaction of its own, and again, in a new transaction, when the database rolled it
 * back for a deadlock or a serialization failure. `work` may therefore run more than once: it must do nothing but
 * database work in its transaction (no reply, cache or signal before the commit), which is how every service's work
 * is written. When every attempt lost, the caller gets a 503 saying to retry: nothing was written.
 */
export async function runRetried<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? TRANSACTION_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (!isRetryableConflict(error)) throw error;
      if (attempt >= attempts) throw lostEveryAttempt(attempts);
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}
