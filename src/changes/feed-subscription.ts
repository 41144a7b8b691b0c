import type { ExportedTrace } from '../traces/schemas.js';
import type { ChangeSource } from './source.js';

/** Entries read at once: the most a subscriber ever holds in memory. */
export const FEED_PAGE_LIMIT = 100;

/** What a subscription needs of the ChangeSignal that made it. */
export interface FeedHost {
  readonly source: ChangeSource;
  latestSeq(tenantId: string): number | undefined;
  /** The subscription ended (return(), abort, close, a failed read): forget it. */
  release(subscription: FeedSubscription): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** A tenant's feed as a subscriber reads it: for await, or next() by hand; return() ends it. */
export interface ChangeFeed extends AsyncIterableIterator<ExportedTrace, undefined, undefined> {
  return(): Promise<IteratorReturnResult<undefined>>;
}

/**
 * One consumer's view of a tenant's feed: every entry after its starting point, in seq order, each once. It reads only
 * when pulled and only when something may be new, a page at a time from where the last page ended, so a slow consumer
 * costs one page of memory and no queries, and a wake-up that finds nothing costs one query.
 */
export class FeedSubscription implements ChangeFeed {
  readonly tenantId: string;
  readonly #host: FeedHost;
  /** The highest seq read so far: the next page starts after it. */
  #cursor: number;
  /**
   * Every entry numbered up to this has been read (at least up to the cursor; further when a short page was read after
   * the tenant's sequence was known to have reached a number: what had no trace up to there is a gap, not a delay).
   */
  #readThrough: number;
  #page: ExportedTrace[] = [];
  #pageIndex = 0;
  /** Something may have been committed since the last read began (a wake-up for this tenant, or for everyone). */
  #woken = true;
  #resumeWaiting: (() => void) | undefined;
  #ended = false;
  /** next() calls queue here: two pulls running at once could read one page twice. */
  #pulls: Promise<unknown> = Promise.resolve();
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.end();

  constructor(host: FeedHost, tenantId: string, afterSeq: number, signal: AbortSignal | undefined) {
    this.#host = host;
    this.tenantId = tenantId;
    this.#cursor = afterSeq;
    this.#readThrough = afterSeq;
    this.#signal = signal;
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Something may have been committed for this tenant: the next pull reads (and a waiting pull resumes). */
  wake(): void {
    this.#woken = true;
    this.#resume();
  }

  /** Ends the subscription: a waiting pull resolves as done, later pulls too. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#page = [];
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#host.release(this);
    this.#resume();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ExportedTrace, undefined>> {
    const pull = this.#pulls.then(() => this.#pull());
    this.#pulls = pull.catch(() => {});
    return pull;
  }

  /** Not queued behind a waiting pull: ending is what resolves it. */
  async return(): Promise<IteratorReturnResult<undefined>> {
    this.end();
    return DONE;
  }

  #resume(): void {
    const resume = this.#resumeWaiting;
    this.#resumeWaiting = undefined;
    resume?.();
  }

  async #pull(): Promise<IteratorResult<ExportedTrace, undefined>> {
    for (;;) {
      if (this.#ended) return DONE;
      const entry = this.#page[this.#pageIndex];
      if (entry) {
        this.#pageIndex += 1;
        if (this.#pageIndex >= this.#page.length) {
          this.#page = [];
          this.#pageIndex = 0;
        }
        return { done: false, value: entry };
      }
      if (this.#mayHaveNew()) {
        await this.#readPage();
        continue;
      }
      // Checked and set in one synchronous step, so a wake-up cannot fall between them and be lost.
      await new Promise<void>((resolve) => {
        this.#resumeWaiting = resolve;
      });
    }
  }

  #mayHaveNew(): boolean {
    const latest = this.#host.latestSeq(this.tenantId);
    return this.#woken || (latest !== undefined && latest > this.#readThrough);
  }

  async #readPage(): Promise<void> {
    // Cleared before the read: a wake-up during the read is for something the read may not see.
    this.#woken = false;
    // Signalled numbers have committed, so a read that begins after learning one sees every entry up to it.
    const known = this.#host.latestSeq(this.tenantId);
    let entries: ExportedTrace[];
    try {
      entries = await this.#host.source.readAfter(this.tenantId, this.#cursor, FEED_PAGE_LIMIT);
    } catch (error) {
      // The consumer learns of it (an event stream ends, its client resumes from its last entry) rather than waiting on
      // a feed that cannot be read.
      this.end();
      throw error;
    }
    if (this.#ended) return;
    const page: ExportedTrace[] = [];
    // In order and each once, whatever the source returns.
    for (const entry of entries) {
      if (entry.seq > this.#cursor) {
        page.push(entry);
        this.#cursor = entry.seq;
      }
    }
    this.#page = page;
    this.#pageIndex = 0;
    if (entries.length >= FEED_PAGE_LIMIT) {
      // A full page: there may be more now, whatever the signals say.
      this.#woken = true;
      this.#readThrough = Math.max(this.#readThrough, this.#cursor);
    } else {
      this.#readThrough = Math.max(this.#readThrough, this.#cursor, known ?? this.#cursor);
    }
  }
}
