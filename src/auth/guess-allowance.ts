/** One address's count in the current window: failed token calls, and calls whose check has not finished. */
interface AddressCount {
  windowStart: number;
  failures: number;
  inFlight: number;
}

/** A call admitted to check its credentials; settle it exactly once, when the check is over. */
export interface GuessReservation {
  /** The address had no failure in the window and no other call in flight: nothing to doubt it by yet. */
  readonly clean: boolean;
  /** The credentials were wrong (or the client unknown): the attempt counts against the address. */
  failed(now: number): void;
  /** The credentials were right, or no check could be made: the attempt does not count. */
  release(): void;
}

export interface GuessAllowanceOptions {
  /** Failed calls (finished or in flight) an address may have in one window. */
  maxFailures: number;
  windowMs: number;
  /** Addresses counted at once; past it the least recently seen is forgotten. */
  maxAddresses: number;
}

/**
 * Failed token calls per address, for a window (a minute) from the address's first call in it. A call reserves its
 * attempt before its credentials are checked, so a burst of concurrent guesses is held to the allowance as surely as
 * guesses one after another: an address whose failures and calls in flight reach the allowance is refused before any
 * hash. Addresses are the unit because a client_id is not a secret: counting per client_id would let anyone lock its
 * rightful client out.
 *
 * Bounded: at most `maxAddresses` counts, the least recently seen forgotten first, and counts whose window is over
 * dropped as they are met. Forgetting a count hands its address a fresh allowance, which only an attacker holding
 * more than `maxAddresses` addresses can cause; such an attacker has more allowance than the hashes can serve anyway.
 */
export class GuessAllowance {
  readonly #options: GuessAllowanceOptions;
  /** In the order the addresses were last seen, least recent first. */
  readonly #counts = new Map<string, AddressCount>();

  constructor(options: GuessAllowanceOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#counts.size;
  }

  /**
   * A reservation, or why the address may not try now (its failures, or its failures with the calls in flight, reach
   * the allowance) and in how many seconds it may.
   */
  reserve(address: string, now: number): GuessReservation | { reason: 'failures' | 'inFlight'; retryAfterSeconds: number } {
    const count = this.#touch(address, now);
    const { maxFailures, windowMs } = this.#options;
    if (count.failures >= maxFailures) {
      return { reason: 'failures', retryAfterSeconds: Math.max(1, Math.ceil((count.windowStart + windowMs - now) / 1000)) };
    }
    // What is in flight settles within a hash or two: the allowance may be back within a second.
    if (count.failures + count.inFlight >= maxFailures) return { reason: 'inFlight', retryAfterSeconds: 1 };
    const clean = count.failures === 0 && count.inFlight === 0;
    count.inFlight++;
    let settled = false;
    const settle = (failed: boolean, at: number) => {
      if (settled) return;
      settled = true;
      count.inFlight--;
      if (!failed) return;
      this.#renew(count, at);
      count.failures++;
    };
    return { clean, failed: (at) => settle(true, at), release: () => settle(false, 0) };
  }

  /** The address's count, fresh if its window is over, moved to the most recently seen end. */
  #touch(address: string, now: number): AddressCount {
    this.#dropStale(now);
    let count = this.#counts.get(address);
    if (count) {
      this.#counts.delete(address);
      this.#renew(count, now);
    } else {
      count = { windowStart: now, failures: 0, inFlight: 0 };
      if (this.#counts.size >= this.#options.maxAddresses) {
        const oldest = this.#counts.keys().next();
        if (!oldest.done) this.#counts.delete(oldest.value);
      }
    }
    this.#counts.set(address, count);
    return count;
  }

  #renew(count: AddressCount, now: number): void {
    if (now < count.windowStart + this.#options.windowMs) return;
    count.windowStart = now;
    count.failures = 0;
  }

  /** Counts at the least recent end that hold nothing any more: their window is over and nothing is in flight. */
  #dropStale(now: number): void {
    for (const [address, count] of this.#counts) {
      if (count.inFlight > 0 || now < count.windowStart + this.#options.windowMs) return;
      this.#counts.delete(address);
    }
  }
}
