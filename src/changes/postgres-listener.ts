import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CHANGES_CHANNEL, heartbeatPayload, parsePayload } from './protocol.js';

/** What the listener tells its owner. */
export interface ListenerEvents {
  /** A payload of the channel other than this listener's own heartbeats, in delivery (commit) order. */
  message(payload: string): void;
  /** Runs after each LISTEN took effect, before the listener counts as listening: reads what may have been missed. */
  catchUp(): Promise<void>;
  /** Listening and caught up: the first time, and after each reconnection. */
  listening(): void;
  /** The connection was lost while listening (notifications may have been missed until the next `listening`). */
  outage(reason: string): void;
}

export interface ListenerOptions {
  connectionString: string;
  heartbeatMs: number;
  freshnessMs: number;
  log: (message: string) => void;
  events: ListenerEvents;
}

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5000;
/** A connection attempt, or a heartbeat, that takes longer than this counts as a lost connection. */
const CONNECTION_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = 5000;

type State = 'idle' | 'connecting' | 'listening' | 'closed';

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

/**
 * One dedicated PostgreSQL connection that LISTENs on the changes channel, reconnects whenever it is lost, and
 * measures its own freshness: PostgreSQL delivers notifications in commit order, so when a heartbeat this listener
 * sent comes back, every notification committed before it was sent has arrived.
 */
export class PostgresListener {
  readonly #options: ListenerOptions;
  /** Tells this process's heartbeats from those of the other processes on the channel. */
  readonly #processId = randomBytes(8).toString('hex');
  #state: State = 'idle';
  #client: pg.Client | undefined;
  /** The connection attempt under way, awaited by close() so that no client is left behind. */
  #attempt: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryMs = FIRST_RETRY_MS;
  /** True from the first failure of an outage (or of the start) to the next success: one log line per outage. */
  #failing = false;
  #lastFailure = 'not connected yet';
  #startWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  #heartbeatTimer: NodeJS.Timeout | undefined;
  #heartbeatInFlight = false;
  #heartbeatNumber = 0;
  /** When each heartbeat not yet back was sent (one, or a few when they come back late). */
  readonly #heartbeatsSent = new Map<number, number>();
  /** When the latest heartbeat that came back was sent. */
  #lastHeartbeatSentAt: number | undefined;

  constructor(options: ListenerOptions) {
    this.#options = options;
  }

  get listening(): boolean {
    return this.#state === 'listening';
  }

  /** Listening, and every notification committed more than freshnessMs ago has arrived. */
  get fresh(): boolean {
    return this.#state === 'listening' && this.#lastHeartbeatSentAt !== undefined
      && Date.now() - this.#lastHeartbeatSentAt <= this.#options.freshnessMs;
  }

  /** Resolves once listening and caught up; rejects after `timeoutMs` (the listener goes on trying until closed). */
  start(timeoutMs: number): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new Error('change signal: closed'));
    if (this.#state === 'listening') return Promise.resolve();
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#startWaiters = this.#startWaiters.filter((waiter) => waiter !== entry);
        reject(new Error(`change signal: not listening on PostgreSQL after ${timeoutMs} ms (${this.#lastFailure})`));
      }, timeoutMs);
      const entry = {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (error: Error) => { clearTimeout(timer); reject(error); },
      };
      this.#startWaiters.push(entry);
    });
    if (this.#state === 'idle') this.#connect();
    return started;
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#heartbeatTimer);
    for (const waiter of this.#startWaiters.splice(0)) waiter.reject(new Error('change signal: closed before it was listening'));
    // An attempt under way sees the state and ends its client itself; wait for it (bounded by the connection timeout).
    await this.#attempt;
    const client = this.#client;
    this.#client = undefined;
    if (client) await client.end().catch(() => {});
  }

  #connect(): void {
    this.#state = 'connecting';
    this.#attempt = this.#listen().finally(() => {
      this.#attempt = undefined;
    });
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      application_name: 'opencase change listener',
    });
    // A lost connection is reported here (and to a query under way); without a handler it would crash the process.
    client.on('error', (error) => this.#lost(client, reasonOf(error)));
    client.on('end', () => this.#lost(client, 'connection ended'));
    client.on('notification', (notification) => {
      if (client === this.#client && notification.channel === CHANGES_CHANNEL) this.#received(notification.payload ?? '');
    });
    this.#client = client;
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
      if (this.#client !== client) return;
      // After LISTEN, so that anything committed from here on is notified and anything before is read.
      await this.#options.events.catchUp();
    } catch (error) {
      this.#lost(client, reasonOf(error));
      return;
    }
    if (this.#client !== client) return;
    if (this.#state === 'closed') {
      this.#client = undefined;
      await client.end().catch(() => {});
      return;
    }
    this.#state = 'listening';
    this.#retryMs = FIRST_RETRY_MS;
    if (this.#failing) this.#options.log('change signal: listening on PostgreSQL again');
    this.#failing = false;
    this.#heartbeatsSent.clear();
    this.#lastHeartbeatSentAt = undefined;
    this.#options.events.listening();
    for (const waiter of this.#startWaiters.splice(0)) waiter.resolve();
    this.#beat(client);
  }

  /** The client failed, ended, or could not listen: drop it and try again later. Reports after the first are ignored. */
  #lost(client: pg.Client, reason: string): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    if (this.#state === 'closed') return;
    const wasListening = this.#state === 'listening';
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
    this.#heartbeatInFlight = false;
    this.#lastFailure = reason;
    if (!this.#failing) {
      this.#options.log(wasListening
        ? `change signal: lost the PostgreSQL listener (${reason}); reconnecting, with backoff up to ${LAST_RETRY_MS / 1000} s`
        : `change signal: cannot listen on PostgreSQL (${reason}); retrying, with backoff up to ${LAST_RETRY_MS / 1000} s`);
      this.#failing = true;
    }
    this.#state = 'connecting';
    if (wasListening) this.#options.events.outage(reason);
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state === 'connecting' && !this.#client) this.#connect();
    }, delay);
  }

  #received(payload: string): void {
    const message = parsePayload(payload);
    if (message?.kind !== 'heartbeat') {
      this.#options.events.message(payload);
      return;
    }
    if (message.processId !== this.#processId) return;
    const sentAt = this.#heartbeatsSent.get(message.n);
    if (sentAt === undefined) return;
    for (const n of this.#heartbeatsSent.keys()) if (n <= message.n) this.#heartbeatsSent.delete(n);
    this.#lastHeartbeatSentAt = Math.max(this.#lastHeartbeatSentAt ?? sentAt, sentAt);
  }

  /** Sends the next heartbeat; the one after is due heartbeatMs after this one was sent, never while it is in flight. */
  #beat(client: pg.Client): void {
    this.#heartbeatTimer = undefined;
    if (client !== this.#client || this.#state !== 'listening' || this.#heartbeatInFlight) return;
    this.#heartbeatInFlight = true;
    this.#heartbeatNumber += 1;
    const sentAt = Date.now();
    this.#heartbeatsSent.set(this.#heartbeatNumber, sentAt);
    // Kept small whatever happens to the replies: only the latest few can still matter.
    for (const n of this.#heartbeatsSent.keys()) if (n < this.#heartbeatNumber - 8) this.#heartbeatsSent.delete(n);
    // Inlined rather than bound: the simple protocol is one message instead of five, and the payload is letters, digits
    // and colons only (protocol.ts checks it), so it cannot break out of the literal.
    client.query(`select pg_notify('${CHANGES_CHANNEL}', '${heartbeatPayload(this.#processId, this.#heartbeatNumber)}')`).then(
      () => {
        if (client !== this.#client) return;
        this.#heartbeatInFlight = false;
        const wait = Math.max(0, sentAt + this.#options.heartbeatMs - Date.now());
        this.#heartbeatTimer = setTimeout(() => this.#beat(client), wait);
      },
      (error: unknown) => this.#lost(client, `heartbeat failed: ${reasonOf(error)}`),
    );
  }
}
