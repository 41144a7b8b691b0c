import fastJson from 'fast-json-stringify';
import { LruMap } from 'toad-cache';
import { TaskDetailResponse } from './detail-schema.js';

/** The task-detail envelope serialized exactly as the route's response schema would (same keys, same order). */
export const serializeTaskDetail = fastJson(TaskDetailResponse);

/**
 * Serialized task-detail responses, as bytes (flat and off the JS heap, see lists/response-cache.ts), each kept with what it was built from: the tenant's change sequence and the
 * task's version stamp. While the sequence has not moved (every change of the tenant moves it, in any process) the
 * response is served with no query of its own; once it has, the stamp (one indexed query instead of the six that
 * build a response) tells whether this task's response changed. Bounded: past `limit` entries the least recently used goes.
 */
export class TaskDetailCache {
  readonly #entries: LruMap<{ changeSeq: number; stamp: string; body: Buffer }>;

  constructor(limit = 10_000) {
    this.#entries = new LruMap(limit);
  }

  /** The response, if it was cached when the tenant's change sequence stood at `changeSeq`. */
  current(key: string, changeSeq: number): Buffer | undefined {
    const entry = this.#entries.get(key);
    return entry?.changeSeq === changeSeq ? entry.body : undefined;
  }

  /**
   * The response, if it was built from `stamp`. Stamps only grow, so the response is current as the stamp was read,
   * and so at `changeSeq` (read before the stamp): the next request at that number is served without the stamp query.
   */
  unchanged(key: string, stamp: string, changeSeq: number): Buffer | undefined {
    const entry = this.#entries.get(key);
    if (entry?.stamp !== stamp) return undefined;
    entry.changeSeq = Math.max(entry.changeSeq, changeSeq);
    return entry.body;
  }

  set(key: string, changeSeq: number, stamp: string, body: Buffer): void {
    this.#entries.set(key, { changeSeq, stamp, body });
  }
}
