import { hostname } from 'node:os';
import { committedChangeSeq } from '../changes/current-seq.js';
import type { Store } from '../db/store.js';
import type { ExportedTrace } from '../traces/schemas.js';
import { randomBase62 } from '../wire/ids.js';
import { eventTypeOf, matchesAny } from './events.js';
import { createWebhooksRepository } from './repository.js';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { changeMessage, postMessage } from './attempt.js';
import { succeeded, type Agents, type AttemptResult } from './send.js';

/** How often a process looks for endpoints with changes to deliver: a change goes out within this of its commit. */
export const POLL_MS = 250;
/**
 * An endpoint's lease. Its holder renews it every third of this while it works (an attempt may wait 10 s for an
 * answer), so a holder that dies hands the endpoint over at most this long after its last sign of life. The processes'
 * clocks must agree to well within it (NTP does): each compares the database's lease with its own time.
 */
export const LEASE_MS = 6000;
/** Endpoints one process delivers to at once: a dead one ties up one of these, never the others. */
export const ENDPOINTS_AT_ONCE = 64;
/** The pause after a look for work that failed (the database down or refusing writes). */
const AFTER_FAILED_LOOK_MS = 5000;
/** Feed entries read at once for an endpoint. */
const PAGE = 100;
/** The longest wait a Retry-After can ask for. */
const LONGEST_WAIT_S = 86_400;

export interface DelivererOptions {
  retryScheduleSeconds: readonly number[];
  allowPrivate: boolean;
  clock?: () => number;
  log?: (fields: Record<string, unknown>, message: string) => void;
}

/**
 * Delivers each tenant's change feed to its webhooks: at least once, and in change order per endpoint. An endpoint's
 * cursor (in the database) is the outbox's read position: it moves past a change only once the endpoint answered 2xx,
 * in the same statement that renews the lease, so a process that dies mid-delivery leaves the change to be sent again
 * (with the same webhook-id) by whichever process takes the lease next.
 */
export class WebhookDeliverer {
  /** Who holds a lease: this process, among every process on the database. */
  readonly owner = `${hostname()}/${process.pid}/${randomBase62(8)}`;
  readonly #store: Store;
  readonly #options: DelivererOptions;
  readonly #clock: () => number;
  readonly #inFlight = new Map<string, Promise<void>>();
  /**
   * One kept-alive connection per endpoint host at most (an endpoint is sent one change at a time): a new connection
   * per change held deliveries to 396 a second on a 2-core machine (bench, webhook row).
   */
  readonly #agents: Agents = {
    // An idle connection is closed after 4 s, before a Node.js endpoint's own 5 s would close it under a request.
    http: new HttpAgent({ keepAlive: true, maxSockets: ENDPOINTS_AT_ONCE, maxFreeSockets: ENDPOINTS_AT_ONCE, timeout: 4000 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: ENDPOINTS_AT_ONCE, maxFreeSockets: ENDPOINTS_AT_ONCE, timeout: 4000 }),
  };
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #stopped = false;

  constructor(store: Store, options: DelivererOptions) {
    this.#store = store;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  start(): void {
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      // A database that fails the look (down, read-only) is looked at again after a pause, not four times a second.
      this.#tick = this.tick().then(() => POLL_MS, (error: unknown) => {
        this.#options.log?.({ err: error }, 'webhook delivery: looking for work failed');
        return AFTER_FAILED_LOOK_MS;
      }).then((next) => this.#schedule(next));
    }, delayMs);
  }

  /** Takes the lease of every endpoint with work that no other process holds, and delivers to each in the background. */
  async tick(): Promise<void> {
    const room = ENDPOINTS_AT_ONCE - this.#inFlight.size;
    if (room <= 0 || this.#stopped) return;
    const repository = createWebhooksRepository(this.#store);
    const now = this.#clock();
    for (const row of await repository.dueEndpoints(this.owner, now, room + this.#inFlight.size)) {
      const key = `${row.tenant_id}/${row.id}`;
      if (this.#inFlight.has(key) || this.#inFlight.size >= ENDPOINTS_AT_ONCE || this.#stopped) continue;
      if (!(await repository.claim(row.tenant_id, row.id, this.owner, now, now + LEASE_MS))) continue;
      this.#inFlight.set(key, this.#deliver(row.tenant_id, row.id)
        .catch((error: unknown) => this.#options.log?.({ err: error, webhookId: row.id }, 'webhook delivery failed'))
        .finally(() => this.#inFlight.delete(key)));
    }
  }

  /** Stops looking for work and lets each delivery in flight finish its attempt (at most 10 s), then returns. */
  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
    await Promise.allSettled([...this.#inFlight.values()]);
    this.#agents.http?.destroy();
    this.#agents.https?.destroy();
  }

  /** Delivers the endpoint's changes, renewing its lease meanwhile; stops at once should the lease be lost. */
  async #deliver(tenantId: string, id: string): Promise<void> {
    const repository = createWebhooksRepository(this.#store);
    const lease = { lost: false };
    const heartbeat = setInterval(() => {
      repository.whileLeased(tenantId, id, this.owner, { lease_until: this.#clock() + LEASE_MS })
        .then((held) => { if (!held) lease.lost = true; }, () => { lease.lost = true; });
    }, LEASE_MS / 3);
    try {
      await this.#deliverLeased(tenantId, id, lease);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Delivers the endpoint's changes after its cursor, in order, until it is caught up, fails, or the process stops. */
  async #deliverLeased(tenantId: string, id: string, lease: { lost: boolean }): Promise<void> {
    const repository = createWebhooksRepository(this.#store);
    for (;;) {
      // Re-read each page: an admin may have changed the URL, the secret or the event types meanwhile.
      const endpoint = await repository.findWebhook(tenantId, id);
      if (!endpoint || endpoint.active !== 1 || endpoint.lease_owner !== this.owner) return;
      // Read before the page: every change numbered up to it is committed, so a short page has seen them all.
      const committed = await committedChangeSeq(this.#store, tenantId);
      const entries = await this.#store.feed.readAfter(tenantId, Number(endpoint.cursor), PAGE);
      const patterns = JSON.parse(endpoint.event_types) as string[];
      let cursor = Number(endpoint.cursor);
      // Failed attempts in a row at the change after the cursor: the row's, until a change of this page is taken.
      let failures = endpoint.failures;
      for (const entry of entries) {
        if (lease.lost) return;
        if (this.#stopped) {
          // Handed back at once, with the progress made: another process need not wait for the lease to run out.
          await repository.whileLeased(tenantId, id, this.owner, { cursor, lease_owner: null, lease_until: null });
          return;
        }
        const eventType = eventTypeOf(entry.objectType, entry.type);
        if (!matchesAny(patterns, eventType)) {
          cursor = entry.seq;
          continue;
        }
        const { result, logRow } = await postMessage(endpoint, changeMessage(endpoint.id, entry, eventType), this.#options.allowPrivate, this.#clock, this.#agents);
        const now = this.#clock();
        const delivered = succeeded(result);
        if (delivered) {
          cursor = entry.seq;
          failures = 0;
        }
        // The log's line and the cursor in one commit.
        const held = await this.#store.transaction(async (tx) => {
          const leased = createWebhooksRepository(tx);
          await leased.recordAttempt(logRow);
          return leased.whileLeased(tenantId, id, this.owner, delivered
            ? { cursor, failures: 0, next_attempt_at: null, lease_until: now + LEASE_MS }
            : { cursor, lease_owner: null, lease_until: null, ...this.#afterFailure(failures + 1, entry, eventType, result, now) });
        });
        if (!held) {
          await repository.deleteOrphanedDeliveries(tenantId, id);
          return;
        }
        if (!delivered) return;
      }
      if (entries.length < PAGE) {
        await repository.whileLeased(tenantId, id, this.owner, { cursor: Math.max(cursor, committed), lease_owner: null, lease_until: null });
        return;
      }
      if (!(await repository.whileLeased(tenantId, id, this.owner, { cursor, lease_until: this.#clock() + LEASE_MS }))) return;
    }
  }

  /** The endpoint's state after a failed attempt: a later retry on the schedule, or disabled with the reason why. */
  #afterFailure(failures: number, entry: ExportedTrace, eventType: string, result: AttemptResult, now: number) {
    const schedule = this.#options.retryScheduleSeconds;
    if (result.status === 410) {
      return { failures, active: 0, disabled_reason: `the endpoint answered 410 Gone to change ${entry.seq} (${eventType}): delivery stopped until it is made active again` };
    }
    if (failures > schedule.length) {
      return { failures, active: 0, disabled_reason: `change ${entry.seq} (${eventType}) failed ${failures} times in a row, the last: ${result.error ?? 'no answer'}; made active again, the endpoint starts from it` };
    }
    // ±10% jitter, so that endpoints that failed together do not all come back at the same instant.
    const waitS = Math.min(LONGEST_WAIT_S, Math.max(schedule[failures - 1]! * (0.9 + Math.random() * 0.2), result.retryAfterSeconds ?? 0));
    return { failures, next_attempt_at: now + Math.round(waitS * 1000) };
  }
}
