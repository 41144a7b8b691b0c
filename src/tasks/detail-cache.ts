import fastJson from 'fast-json-stringify';
import { TaskDetailResponse } from './detail-schema.js';

/** The task-detail envelope serialized exactly as the route's response schema would (same keys, same order). */
export const serializeTaskDetail = fastJson(TaskDetailResponse);

/**
 * Serialized task-detail responses, each kept with the version stamp of what it was built from. A response is
 * served only while the database still shows that stamp, which every request reads (one indexed query instead of
 * the six that build a response): a change made by any process, in any way the API allows, changes the stamp.
 * Bounded: past `limit` entries the oldest is dropped.
 */
export class TaskDetailCache {
  readonly #entries = new Map<string, { stamp: string; body: string }>();

  constructor(private readonly limit = 10_000) {}

  get(key: string, stamp: string): string | undefined {
    const entry = this.#entries.get(key);
    return entry?.stamp === stamp ? entry.body : undefined;
  }

  set(key: string, stamp: string, body: string): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.limit) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { stamp, body });
  }
}
