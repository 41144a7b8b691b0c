/**
 * Who a hash is run for: the calling address for a token call, so that one address's flood only delays itself; the
 * operator (tenant creation, secret rotation, the demo seed), whose hashes no request can cause, is never refused.
 */
export type HashLane = string | typeof OPERATOR_LANE;
export const OPERATOR_LANE: unique symbol = Symbol('operator');

/**
 * Which queue a hash waits in. `clean`: the caller's address has no failure in the current window and no other call
 * in flight; `suspect`: it has. Clean callers are served first, so a flood, whose every call but the first per
 * address is suspect, cannot stand in front of a rightful caller.
 */
export type HashTier = 'clean' | 'suspect';

/** No slot can be waited for: too many calls of this address wait already, or too many addresses do. */
export class HashQueueFull extends Error {
  constructor(readonly scope: 'address' | 'server', readonly retryAfterSeconds: number) {
    super(scope === 'address' ? 'too many token calls from this address are waiting for a secret check' : 'too many token calls are waiting for a secret check');
  }
}

export interface HashSlotLimits {
  /** Hashes running at once. */
  concurrency: number;
  /** Addresses that may wait at once in each tier; one more is refused (503) rather than queued behind them all. */
  waitingLanes: number;
  /** Calls of one address that may wait at once in each tier; one more is refused (429). */
  waitingPerLane: number;
}

/** Waiters per lane, served round robin: the Map's order is the round, a lane served goes last, a new lane joins last. */
class RoundRobin {
  readonly lanes = new Map<HashLane, Array<() => void>>();

  /** Queues a waiter, or throws HashQueueFull when a bound is reached (never for the operator). */
  push(lane: HashLane, waiter: () => void, limits: HashSlotLimits): void {
    let queue = this.lanes.get(lane);
    if (lane !== OPERATOR_LANE) {
      if (!queue && this.lanes.size >= limits.waitingLanes) throw new HashQueueFull('server', 1);
      if (queue && queue.length >= limits.waitingPerLane) throw new HashQueueFull('address', 1);
    }
    if (!queue) this.lanes.set(lane, (queue = []));
    queue.push(waiter);
  }

  /** The next lane's first waiter; the lane goes to the end of the round if it still has waiters. */
  shift(): (() => void) | undefined {
    const next = this.lanes.entries().next();
    if (next.done) return undefined;
    const [lane, queue] = next.value;
    const waiter = queue.shift();
    this.lanes.delete(lane);
    if (queue.length > 0) this.lanes.set(lane, queue);
    return waiter;
  }

  get waiting(): number {
    let waiting = 0;
    for (const queue of this.lanes.values()) waiting += queue.length;
    return waiting;
  }
}

/**
 * Slots for running hashes. A freed slot goes to the clean tier first, then to the suspect tier; within a tier, round
 * robin among lanes (addresses) rather than first come first served, so a newcomer waits for at most one hash per
 * other waiting address of its tier, not for every hash of a flood queued before it. Every queue is bounded, so a
 * flood is refused at once instead of piling up.
 */
export class FairHashSlots {
  readonly #limits: HashSlotLimits;
  #running = 0;
  #started = 0;
  readonly #tiers: Record<HashTier, RoundRobin> = { clean: new RoundRobin(), suspect: new RoundRobin() };

  constructor(limits: HashSlotLimits) {
    this.#limits = limits;
  }

  /** Resolves once a slot is this caller's; throws HashQueueFull, without waiting, when it would wait past a bound. */
  async acquire(lane: HashLane, tier: HashTier = 'clean'): Promise<void> {
    if (this.#running < this.#limits.concurrency) {
      this.#running++;
      this.#started++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      try {
        this.#tiers[tier].push(lane, resolve, this.#limits);
      } catch (error) {
        reject(error);
      }
    });
  }

  /** Hands the slot straight to the next waiter, so no newcomer slips in between. */
  release(): void {
    const waiter = this.#tiers.clean.shift() ?? this.#tiers.suspect.shift();
    if (!waiter) {
      this.#running--;
      return;
    }
    this.#started++;
    waiter();
  }

  /** For tests and metrics: hashes started since the process began, running now, waiting now, and in how many lanes. */
  stats(): { started: number; running: number; waiting: number; lanes: number } {
    const { clean, suspect } = this.#tiers;
    return { started: this.#started, running: this.#running, waiting: clean.waiting + suspect.waiting, lanes: clean.lanes.size + suspect.lanes.size };
  }
}
