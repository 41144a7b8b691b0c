/** One open change stream: aborted to end it (its client went away, the app closes); released once it has ended. */
export interface OpenStream {
  readonly signal: AbortSignal;
  end(): void;
  /** Gives its tenant's place back. Idempotent. */
  release(): void;
}

/** Why a stream was not opened. */
export type StreamRefusal = 'tenantFull' | 'closing';

/**
 * The change streams one app has open, by tenant: at most `maxPerTenant` each, so that one tenant's clients cannot
 * take every subscriber the process's change signal allows (which bounds all tenants together), and all of them
 * ended at once when the app closes, since an open stream never ends by itself and would hold the shutdown until its
 * deadline.
 */
export class OpenStreams {
  readonly #maxPerTenant: number;
  readonly #byTenant = new Map<string, number>();
  readonly #open = new Set<OpenStream>();
  #closing = false;

  constructor(maxPerTenant: number) {
    this.#maxPerTenant = maxPerTenant;
  }

  get maxPerTenant(): number {
    return this.#maxPerTenant;
  }

  /** How many are open, over every tenant. */
  get size(): number {
    return this.#open.size;
  }

  /** A place for one more stream of the tenant, taken at once (before any await, so concurrent opens cannot overshoot). */
  open(tenantId: string): OpenStream | StreamRefusal {
    if (this.#closing) return 'closing';
    const count = this.#byTenant.get(tenantId) ?? 0;
    if (count >= this.#maxPerTenant) return 'tenantFull';
    this.#byTenant.set(tenantId, count + 1);
    const controller = new AbortController();
    let released = false;
    const stream: OpenStream = {
      signal: controller.signal,
      end: () => controller.abort(),
      release: () => {
        if (released) return;
        released = true;
        this.#open.delete(stream);
        const left = (this.#byTenant.get(tenantId) ?? 1) - 1;
        if (left > 0) this.#byTenant.set(tenantId, left);
        else this.#byTenant.delete(tenantId);
      },
    };
    this.#open.add(stream);
    return stream;
  }

  /** Ends every open stream and refuses new ones: the app is closing. */
  endAll(): void {
    this.#closing = true;
    for (const stream of [...this.#open]) stream.end();
  }
}
