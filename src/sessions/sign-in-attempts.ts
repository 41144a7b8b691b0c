import { GuessAllowance } from '../auth/guess-allowance.js';
import { HashQueueFull } from '../auth/hash-slots.js';
import type { Store } from '../db/store.js';
import type { Role } from '../db/tables.js';
import { LoginFailures } from './login-failures.js';
import type { SignInInput } from './schemas.js';
import { checkPassword } from './service.js';

/** What a sign-in's credentials came to, for the route to word. */
export type SignInOutcome =
  | { user: { tenant_id: string; id: string; role: Role; status: string } }
  /** Unknown login or wrong password: answered alike. */
  | { refused: 'credentials' }
  /** This address's failures reached its allowance, or this login's failures from this address did. */
  | { refused: 'address' | 'login'; retryAfterSeconds: number }
  /** Too many of this address's sign-ins, or of every address's, wait for a hash. */
  | { refused: 'waiting' | 'busy'; retryAfterSeconds: number };

export interface SignInLimits {
  /** Failed sign-ins (finished or in flight) one address may have in a minute. */
  failuresPerAddress: number;
  /** Failed sign-ins of one login in 15 minutes past which only addresses without a failure for it may try. */
  failuresPerLogin: number;
}

const MINUTE_MS = 60_000;
const LOGIN_WINDOW_MS = 15 * MINUTE_MS;

/**
 * The sign-in route's defence against guessing, as the token route's (auth/token-attempts.ts), plus a count per login
 * that cannot lock its user out (login-failures.ts). An address reserves its attempt before anything is looked up;
 * the password's scrypt waits in the address's lane of the hash queue shared with the token route, clean callers
 * first. Per process, as every limit here.
 */
export class SignInAttempts {
  readonly #store: Store;
  readonly #addresses: GuessAllowance;
  readonly #logins: LoginFailures;

  constructor(store: Store, limits: SignInLimits) {
    this.#store = store;
    // 10,000 addresses and logins, as the token route's counts and the token cache: a few MB at most.
    this.#addresses = new GuessAllowance({ maxFailures: limits.failuresPerAddress, windowMs: MINUTE_MS, maxAddresses: 10_000 });
    this.#logins = new LoginFailures({ maxFailures: limits.failuresPerLogin, windowMs: LOGIN_WINDOW_MS, maxLogins: 10_000, maxAddressesPerLogin: 1_000 });
  }

  async attempt(input: SignInInput, address: string, clock: () => number): Promise<SignInOutcome> {
    const now = clock();
    // Per login, whatever tenantId is sent: a made-up tenantId must not give a guesser a fresh count.
    const loginKey = input.login;
    const loginWait = this.#logins.refusal(loginKey, address, now);
    if (loginWait > 0) return { refused: 'login', retryAfterSeconds: loginWait };
    const reservation = this.#addresses.reserve(address, now);
    if ('retryAfterSeconds' in reservation) return { refused: 'address', retryAfterSeconds: reservation.retryAfterSeconds };
    try {
      const user = await checkPassword(this.#store, input, { lane: address, tier: reservation.clean ? 'clean' : 'suspect' });
      if (user) {
        reservation.release();
        return { user };
      }
      reservation.failed(clock());
      this.#logins.failed(loginKey, address, clock());
      return { refused: 'credentials' };
    } catch (error) {
      // No password was checked (a login in several tenants, a full hash queue, a failed read): nothing counts.
      reservation.release();
      if (!(error instanceof HashQueueFull)) throw error;
      return { refused: error.scope === 'address' ? 'waiting' : 'busy', retryAfterSeconds: error.retryAfterSeconds };
    }
  }
}
