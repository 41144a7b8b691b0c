import { DataVersionWatch } from './data-version-watch.js';
import { FeedSubscription, type ChangeFeed, type FeedHost } from './feed-subscription.js';
import { LatestSeqs } from './latest-seqs.js';
import { PostgresListener } from './postgres-listener.js';
import { parsePayload } from './protocol.js';
import type { ChangeSource } from './source.js';
import { Subscribers } from './subscribers.js';

interface CommonOptions {
  source: ChangeSource;
  /** Live subscribers at most (10,000 by default); subscribe() throws TooManySubscribersError past it. */
  maxSubscribers?: number;
  log?: (message: string) => void;
}

export interface SqliteSignalOptions extends CommonOptions {
  backend: 'sqlite';
  /** `pragma data_version` of a connection that never writes: it moves on every commit, of any process. */
  dataVersion: () => number;
  /** How often data_version is read while there are subscribers (50 ms by default). */
  pollMs?: number;
}

export interface PostgresSignalOptions extends CommonOptions {
  backend: 'postgres';
  connectionString: string;
  /** How often the listener sends itself a heartbeat (25 ms by default). */
  heartbeatMs?: number;
  /** `fresh` holds while the last heartbeat back was sent at most this long ago (100 ms by default). */
  freshnessMs?: number;
  /** How long start() waits for the listener (10 s by default). */
  startTimeoutMs?: number;
}

export type ChangeSignalOptions = SqliteSignalOptions | PostgresSignalOptions;

export const DEFAULT_MAX_SUBSCRIBERS = 10_000;
const DEFAULT_POLL_MS = 50;
const DEFAULT_HEARTBEAT_MS = 25;
const DEFAULT_FRESHNESS_MS = 100;
const DEFAULT_START_TIMEOUT_MS = 10_000;
/** While the PostgreSQL listener is down nothing says when to read, so every subscriber reads this often. */
const OUTAGE_FEED_POLL_MS = 1000;

/**
 * What this process knows of the changes committed to one database, by any process: each tenant's latest change
 * sequence number, whether that knowledge is current (`fresh`), an `epoch` that moves whenever a revocation may have
 * happened, and each tenant's feed of traces as it grows. One per database per process.
 */
export class ChangeSignal {
  readonly #source: ChangeSource;
  readonly #log: (message: string) => void;
  readonly #latest = new LatestSeqs();
  readonly #subscribers: Subscribers;
  readonly #revocationListeners = new Set<() => void>();
  readonly #watch: DataVersionWatch | undefined;
  readonly #listener: PostgresListener | undefined;
  readonly #startTimeoutMs: number;
  readonly #host: FeedHost;
  #feedPoll: NodeJS.Timeout | undefined;
  /** SQLite: a read of the change sequences under way, and whether data_version moved again since it began. */
  #readingSeqs = false;
  #seqsMovedAgain = false;
  #epoch = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: ChangeSignalOptions) {
    this.#source = options.source;
    this.#log = options.log ?? ((message) => console.warn(message));
    this.#subscribers = new Subscribers(options.maxSubscribers ?? DEFAULT_MAX_SUBSCRIBERS);
    this.#host = {
      source: this.#source,
      latestSeq: (tenantId) => this.#latest.get(tenantId),
      release: (subscription) => {
        this.#subscribers.remove(subscription);
        this.#subscribersChanged();
      },
    };
    if (options.backend === 'sqlite') {
      this.#startTimeoutMs = 0;
      this.#watch = new DataVersionWatch({
        dataVersion: options.dataVersion,
        pollMs: options.pollMs ?? DEFAULT_POLL_MS,
        onMove: () => void this.#readLatestSeqs(),
        log: this.#log,
      });
    } else {
      this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
      this.#listener = new PostgresListener({
        connectionString: options.connectionString,
        heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
        freshnessMs: options.freshnessMs ?? DEFAULT_FRESHNESS_MS,
        log: this.#log,
        events: {
          message: (payload) => this.#message(payload),
          catchUp: () => this.#catchUp(),
          listening: () => {
            // Revocations sent while it was down were missed: caches filled before are void.
            this.#moveEpoch();
            this.#subscribersChanged();
            this.#subscribers.wakeAll();
          },
          outage: () => {
            this.#moveEpoch();
            this.#subscribersChanged();
          },
        },
      });
    }
  }

  /**
   * Whether every change committed (by any process) up to a moment ago is known here. PostgreSQL: listening, and the
   * last heartbeat back was sent within freshnessMs. SQLite: always until close() (requests check data_version themselves).
   */
  get fresh(): boolean {
    return this.#listener ? this.#listener.fresh : !this.#closed;
  }

  /**
   * Moves on every revocation (a notification from any process, or committed() here), on every reconnection and at
   * the start of every outage. What was cached of checked tokens is valid only while the epoch it was filled at
   * holds and `fresh` is true.
   */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * The highest change sequence number signalled for the tenant, if any: from notifications and the catch-up read
   * (PostgreSQL), the read that follows a data_version move (SQLite, while there are subscribers), committed() and
   * noteSeq().
   */
  latestSeq(tenantId: string): number | undefined {
    return this.#latest.get(tenantId);
  }

  /** A number the store read from the database (committed): raises latestSeq to it. */
  noteSeq(tenantId: string, seq: number): void {
    if (this.#latest.raise(tenantId, seq)) this.#subscribers.wakeTenant(tenantId);
  }

  /**
   * This process just committed: the tenants' highest numbers taken, and whether a token or app was revoked. Its own
   * subscribers are woken now rather than at the next poll or when the notification comes back.
   */
  committed(changes: ReadonlyMap<string, number>, revoked: boolean): void {
    for (const [tenantId, seq] of changes) {
      this.#latest.raise(tenantId, seq);
      this.#subscribers.wakeTenant(tenantId);
    }
    if (revoked) this.#moveEpoch();
  }

  /**
   * Called whenever the epoch moves: on a revocation, and whenever one may have been missed (outage, reconnection).
   * Returns the unsubscribe function.
   */
  onRevocation(listener: () => void): () => void {
    this.#revocationListeners.add(listener);
    return () => {
      this.#revocationListeners.delete(listener);
    };
  }

  /**
   * The tenant's feed entries with seq > afterSeq, in order, each once, as they commit. Ends on return(), on the
   * signal's abort, on close(), or (throwing) when the feed cannot be read.
   */
  subscribe(tenantId: string, afterSeq: number, options: { signal?: AbortSignal } = {}): ChangeFeed {
    if (this.#closed) throw new Error('change signal: closed');
    if (!Number.isSafeInteger(afterSeq)) throw new Error(`change signal: afterSeq must be an integer, not ${afterSeq}`);
    // Before the subscription exists: one refused must leave nothing behind (an abort listener).
    this.#subscribers.assertRoom();
    const subscription = new FeedSubscription(this.#host, tenantId, afterSeq, options.signal);
    this.#subscribers.add(subscription);
    this.#subscribersChanged();
    if (options.signal?.aborted) subscription.end();
    return subscription;
  }

  /** Resolves once the PostgreSQL listener listens and has caught up (rejects after startTimeoutMs); SQLite: at once. */
  start(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('change signal: closed'));
    if (!this.#listener) return Promise.resolve();
    this.#subscribersChanged();
    return this.#listener.start(this.#startTimeoutMs);
  }

  /** Ends every subscriber, the timers and the listener's connection. Idempotent. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closed = true;
      this.#subscribers.endAll();
      this.#watch?.setActive(false);
      this.#subscribersChanged();
      this.#revocationListeners.clear();
      this.#closing = this.#listener?.close() ?? Promise.resolve();
    }
    return this.#closing;
  }

  #message(payload: string): void {
    const message = parsePayload(payload);
    if (message?.kind === 'change') {
      if (this.#latest.raise(message.tenantId, message.seq)) this.#subscribers.wakeTenant(message.tenantId);
    } else if (message?.kind === 'revocation') {
      this.#moveEpoch();
    }
  }

  async #catchUp(): Promise<void> {
    for (const [tenantId, seq] of await this.#source.latestSeqs()) this.noteSeq(tenantId, seq);
  }

  /**
   * SQLite: data_version moved, so something was committed, by some tenant. One read of the change sequences wakes just
   * the tenants whose number grew, where waking everyone would cost a feed read per subscriber. If it fails, everyone
   * is woken: their reads then fail too, and their consumers learn why.
   */
  async #readLatestSeqs(): Promise<void> {
    if (this.#readingSeqs) {
      this.#seqsMovedAgain = true;
      return;
    }
    this.#readingSeqs = true;
    try {
      do {
        this.#seqsMovedAgain = false;
        try {
          for (const [tenantId, seq] of await this.#source.latestSeqs()) this.noteSeq(tenantId, seq);
        } catch {
          this.#subscribers.wakeAll();
        }
      } while (this.#seqsMovedAgain && !this.#closed);
    } finally {
      this.#readingSeqs = false;
    }
  }

  #moveEpoch(): void {
    this.#epoch += 1;
    for (const listener of [...this.#revocationListeners]) {
      try {
        listener();
      } catch (error) {
        this.#log(`change signal: a revocation listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Runs what polls only while someone waits on it: the data_version watch, or the feed poll of an outage. */
  #subscribersChanged(): void {
    const waiting = !this.#closed && this.#subscribers.size > 0;
    this.#watch?.setActive(waiting);
    const polling = waiting && this.#listener !== undefined && !this.#listener.listening;
    if (polling && !this.#feedPoll) {
      this.#feedPoll = setInterval(() => this.#subscribers.wakeAll(), OUTAGE_FEED_POLL_MS);
    } else if (!polling && this.#feedPoll) {
      clearInterval(this.#feedPoll);
      this.#feedPoll = undefined;
    }
  }
}
