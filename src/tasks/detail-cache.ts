import fastJson from 'fast-json-stringify';
import { TaskDetailResponse } from './detail-schema.js';

/** The task-detail envelope serialized exactly as the route's response schema would (same keys, same order). */
export const serializeTaskDetail = fastJson(TaskDetailResponse);

/**
 * Serialized task-detail responses, as bytes (flat and off the JS heap, see lists/response-cache.ts), each kept with what it was built from: the tenant's change sequence and the
 * task's version stamp. While the sequence has not moved (every change of the tenant moves it, in any process) the
 * response is served with no query of its own; once it has, the stamp (one indexed query instead of the six that
 * build a response) tells whether this task's response changed. Bounded by entries and by bytes: past `limit` entries,
 * or past `budgetBytes` of bodies, entries go, the oldest first unless read since they were last passed over (the
 * "second chance" order: a read only sets a flag, 40 ns measured, as the LRU map this replaced took 35 ns, where
 * moving the entry to the end of the map, as a strict LRU on a Map does, took 250 ns). The bytes matter as much as the count: a detail is
 * bounded field by field but runs to hundreds of KB at its largest (README, "Bounds"): 10,000 of them could be GBs.
 */
/** A cached reply: its bytes, and its PARTIAL_HEADER value when its history was cut to the reply limit. */
export interface CachedDetail {
  readonly body: Buffer;
  readonly partial: string | undefined;
}

export class TaskDetailCache {
  readonly #entries = new Map<string, { changeSeq: number; stamp: string; body: Buffer; partial: string | undefined; read: boolean }>();
  #bytes = 0;

  constructor(private readonly limit = 10_000, private readonly budgetBytes = 64 * 1024 * 1024) {}

  #get(key: string) {
    const entry = this.#entries.get(key);
    if (entry) entry.read = true;
    return entry;
  }

  /** Whether a response is kept under `key` at all, whatever it was built from (not counted as a read). */
  holds(key: string): boolean {
    return this.#entries.has(key);
  }

  /**
   * The response, if it was cached when the tenant's change sequence stood at `changeSeq`, with what its
   * PARTIAL_HEADER says (a history cut to the reply limit): one lookup on the hot path.
   */
  current(key: string, changeSeq: number): CachedDetail | undefined {
    const entry = this.#get(key);
    return entry?.changeSeq === changeSeq ? entry : undefined;
  }

  /**
   * The response, if it was built from `stamp`. Stamps only grow, so the response is current as the stamp was read,
   * and so at `changeSeq` (read before the stamp): the next request at that number is served without the stamp query.
   */
  unchanged(key: string, stamp: string, changeSeq: number): CachedDetail | undefined {
    const entry = this.#get(key);
    if (entry?.stamp !== stamp) return undefined;
    entry.changeSeq = Math.max(entry.changeSeq, changeSeq);
    return entry;
  }

  set(key: string, changeSeq: number, stamp: string, body: Buffer, partial?: string): void {
    this.#drop(key);
    if (body.length > this.budgetBytes) return;
    while (this.#entries.size >= this.limit || this.#bytes + body.length > this.budgetBytes) this.#evictOne();
    this.#entries.set(key, { changeSeq, stamp, body, partial, read: false });
    this.#bytes += body.length;
  }

  /** The oldest entry not read since it was last passed over; those read go to the end, their flag cleared. */
  #evictOne(): void {
    for (const [key, entry] of this.#entries) {
      if (!entry.read) {
        this.#drop(key);
        return;
      }
      entry.read = false;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}
