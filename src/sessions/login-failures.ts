/** One login's failed sign-ins in its window, and the addresses they came from. */
interface LoginCount {
  windowStart: number;
  failures: number;
  failedFrom: Set<string>;
}

export interface LoginFailuresOptions {
  /** Failures of one login in a window past which only addresses that have not failed for it may try it. */
  maxFailures: number;
  windowMs: number;
  /** Logins counted at once; past it the least recently seen is forgotten. */
  maxLogins: number;
  /** Addresses remembered per login. */
  maxAddressesPerLogin: number;
}

/**
 * Failed sign-ins per login, without the lockout flaw of counting per name alone. A login is not a secret: if its
 * failures refused every caller, anyone could lock its user out by naming it. Past `maxFailures` in a window, a login
 * refuses only the addresses that have failed for it in that window; an address with no failure for it (the rightful
 * user at their desk, while someone else hammers the login) still signs in. Against one guessing address this adds
 * nothing to the per-address allowance; against many it holds each address to its first miss on this login, once the
 * login is under attack.
 *
 * Bounded: `maxLogins` counts, least recently seen forgotten first, and `maxAddressesPerLogin` addresses each. Past
 * that many addresses a login is refused to every address without a failure remembered too, until its window ends:
 * an attacker holding that many addresses can keep a login's user from signing in from a new address for a window,
 * which is the price of the bound (docs/security.md).
 */
export class LoginFailures {
  readonly #options: LoginFailuresOptions;
  /** In the order the logins were last seen, least recent first. */
  readonly #counts = new Map<string, LoginCount>();

  constructor(options: LoginFailuresOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#counts.size;
  }

  /** Seconds until `address` may try `login` again, or 0 when it may now. */
  refusal(login: string, address: string, now: number): number {
    const count = this.#current(login, now);
    if (!count || count.failures < this.#options.maxFailures) return 0;
    const full = count.failedFrom.size >= this.#options.maxAddressesPerLogin;
    if (!count.failedFrom.has(address) && !full) return 0;
    return Math.max(1, Math.ceil((count.windowStart + this.#options.windowMs - now) / 1000));
  }

  failed(login: string, address: string, now: number): void {
    let count = this.#current(login, now);
    if (count) {
      this.#counts.delete(login);
    } else {
      count = { windowStart: now, failures: 0, failedFrom: new Set() };
      if (this.#counts.size >= this.#options.maxLogins) {
        const oldest = this.#counts.keys().next();
        if (!oldest.done) this.#counts.delete(oldest.value);
      }
    }
    count.failures++;
    if (count.failedFrom.size < this.#options.maxAddressesPerLogin) count.failedFrom.add(address);
    this.#counts.set(login, count);
  }

  /** The login's count in its window; one whose window is over is dropped. */
  #current(login: string, now: number): LoginCount | undefined {
    const count = this.#counts.get(login);
    if (count && now >= count.windowStart + this.#options.windowMs) {
      this.#counts.delete(login);
      return undefined;
    }
    return count;
  }
}
