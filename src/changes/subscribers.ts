import type { FeedSubscription } from './feed-subscription.js';

/** Live subscriptions of one ChangeSignal by tenant, so that a tenant's change wakes only that tenant's. */
export class Subscribers {
  readonly #byTenant = new Map<string, Set<FeedSubscription>>();
  readonly #limit: number;
  #count = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#count;
  }

  /** Refuses past the limit: each subscriber may hold a page, and each wake-up of everyone costs a query per subscriber. */
  assertRoom(): void {
    if (this.#count >= this.#limit) {
      throw new TooManySubscribersError(this.#limit);
    }
  }

  add(subscription: FeedSubscription): void {
    this.assertRoom();
    let tenant = this.#byTenant.get(subscription.tenantId);
    if (!tenant) this.#byTenant.set(subscription.tenantId, (tenant = new Set()));
    tenant.add(subscription);
    this.#count += 1;
  }

  remove(subscription: FeedSubscription): void {
    const tenant = this.#byTenant.get(subscription.tenantId);
    if (!tenant?.delete(subscription)) return;
    this.#count -= 1;
    if (tenant.size === 0) this.#byTenant.delete(subscription.tenantId);
  }

  wakeTenant(tenantId: string): void {
    for (const subscription of this.#byTenant.get(tenantId) ?? []) subscription.wake();
  }

  wakeAll(): void {
    for (const tenant of this.#byTenant.values()) for (const subscription of tenant) subscription.wake();
  }

  /** Ends every subscription (each removes itself as it ends). */
  endAll(): void {
    for (const tenant of [...this.#byTenant.values()]) for (const subscription of [...tenant]) subscription.end();
  }
}

export class TooManySubscribersError extends Error {
  constructor(limit: number) {
    super(`change signal: ${limit} subscribers already listen to this process's change feed; no more are taken`);
    this.name = 'TooManySubscribersError';
  }
}
