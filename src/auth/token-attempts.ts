import type { Store } from '../db/store.js';
import { GuessAllowance } from './guess-allowance.js';
import { HashQueueFull } from './hash-slots.js';
import { issueToken, type IssuedToken } from './service.js';

/** What one token call's credentials came to, for the route to word. */
export type AttemptOutcome =
  | { issued: IssuedToken }
  /** Unknown client, revoked app or wrong secret: answered alike. */
  | { refused: 'credentials' }
  /** This address's failures (and calls in flight) reached the allowance, or too many of its calls wait for a hash. */
  | { refused: 'address'; reason: 'failures' | 'inFlight' | 'waiting'; retryAfterSeconds: number }
  /** Too many addresses wait for a hash: the server is busy. */
  | { refused: 'busy'; retryAfterSeconds: number };

export interface TokenAttemptOptions {
  /** Failed token calls (finished or in flight) one address may have in a window. */
  maxFailures: number;
  windowMs: number;
  /** Addresses whose failures are counted at once. */
  maxAddresses: number;
}

/**
 * The token route's defence against guessing, in one place. An address reserves its attempt before anything is
 * looked up, so guesses in flight count at once; past its allowance it spends no hash, and only a secret this
 * process verified before (which costs none) still gets its token. Within the allowance the secret's hash waits in
 * the address's own lane (hash-slots.ts), ahead of every address that has failed in the window or has other calls in
 * flight: a flood from elsewhere delays a rightful caller by the hashes already running, plus at most one hash per
 * other address that is itself clean. Nothing is counted per client_id: a client_id is not a secret, and the rightful
 * client's calls from its own address are never refused for others' failures.
 */
export class TokenAttempts {
  readonly #store: Store;
  readonly #guesses: GuessAllowance;

  constructor(store: Store, options: TokenAttemptOptions) {
    this.#store = store;
    this.#guesses = new GuessAllowance(options);
  }

  async attempt(
    credentials: { clientId: string; clientSecret: string },
    address: string,
    options: { clock: () => number; ttlSeconds: number },
  ): Promise<AttemptOutcome> {
    const now = options.clock();
    const reservation = this.#guesses.reserve(address, now);
    if ('retryAfterSeconds' in reservation) {
      const outcome = await issueToken(this.#store, credentials, { now, ttlSeconds: options.ttlSeconds, hashTurn: null });
      return 'issued' in outcome ? outcome : { refused: 'address', reason: reservation.reason, retryAfterSeconds: reservation.retryAfterSeconds };
    }
    try {
      const hashTurn = { lane: address, tier: reservation.clean ? 'clean' : 'suspect' } as const;
      const outcome = await issueToken(this.#store, credentials, { now, ttlSeconds: options.ttlSeconds, hashTurn });
      if ('issued' in outcome) {
        reservation.release();
        return outcome;
      }
      reservation.failed(options.clock());
      return { refused: 'credentials' };
    } catch (error) {
      // No secret was checked (the hash could not wait, or the database failed): the attempt does not count.
      reservation.release();
      if (!(error instanceof HashQueueFull)) throw error;
      return error.scope === 'address'
        ? { refused: 'address', reason: 'waiting', retryAfterSeconds: error.retryAfterSeconds }
        : { refused: 'busy', retryAfterSeconds: error.retryAfterSeconds };
    }
  }
}
