import type { Selectable } from 'kysely';
import type { CasesTable } from '../db/tables.js';
import { dayOf } from '../wire/dates.js';
import { COMPLETED_STATUS } from '../wire/enums.js';

/** The columns of a case its statistics are made of: a change that touches none of them moves no statistics. */
export const COUNTED_COLUMNS = ['type_id', 'created_at', 'state', 'closed_at', 'is_cancelled', 'cancelled_at', 'due_at'] as const;
export type CountedCase = Pick<Selectable<CasesTable>, (typeof COUNTED_COLUMNS)[number]>;

/** One (case type, day) row of `case_statistics`, or the amounts to add to it. */
export interface Bucket {
  typeId: string;
  day: string;
  newCases: number;
  finishedCases: number;
  finishedDurationMs: number;
  openDelta: number;
  overDelta: number;
}

type Delta = 'openDelta' | 'overDelta';

/**
 * What cases add to each (type, day), summed in memory so that each row is written once. A case contributes, from its
 * current record: new at the day it was created; finished and its duration (closed − created) at the day it was
 * completed; +1 open at the day it was created and −1 at the day it ended (completed or cancelled, the earlier), so
 * that the open cases at the end of day D are the sum of open_delta up to D; and the same for overdue from
 * max(due, created). An interval that ends where it starts (cancelled at once) contributes nothing.
 */
export class Buckets {
  readonly #byKey = new Map<string, Bucket>();

  constructor(private readonly timeZone: string) {}

  /** Adds a case's contribution (sign 1), or takes it away (sign −1: the case as it was before a change). */
  add(counted: CountedCase, sign: 1 | -1): void {
    const { created_at: createdAt } = counted;
    this.#at(counted.type_id, createdAt).newCases += sign;
    // A Completed case without closed_at (no call leaves one so) is done since its creation but finished on no day.
    const completedAt = counted.state === COMPLETED_STATUS ? (counted.closed_at ?? createdAt) : null;
    if (counted.state === COMPLETED_STATUS && counted.closed_at !== null) {
      const bucket = this.#at(counted.type_id, counted.closed_at);
      bucket.finishedCases += sign;
      bucket.finishedDurationMs += sign * (counted.closed_at - createdAt);
    }
    const cancelledAt = counted.is_cancelled === 1 ? (counted.cancelled_at ?? createdAt) : null;
    const end = completedAt === null ? cancelledAt : cancelledAt === null ? completedAt : Math.min(completedAt, cancelledAt);
    this.#interval(counted.type_id, createdAt, end, 'openDelta', sign);
    if (counted.due_at !== null) this.#interval(counted.type_id, Math.max(counted.due_at, createdAt), end, 'overDelta', sign);
  }

  /** The rows with something to add, by type then day. */
  rows(): Bucket[] {
    return [...this.#byKey.values()]
      .filter((b) => b.newCases !== 0 || b.finishedCases !== 0 || b.finishedDurationMs !== 0 || b.openDelta !== 0 || b.overDelta !== 0)
      .sort((a, b) => (a.typeId === b.typeId ? (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) : a.typeId < b.typeId ? -1 : 1));
  }

  /** +1 from the day of `from`, −1 from the day of `to` (open-ended when null); nothing when the interval is empty. */
  #interval(typeId: string, from: number, to: number | null, delta: Delta, sign: 1 | -1): void {
    if (to !== null && to <= from) return;
    this.#at(typeId, from)[delta] += sign;
    if (to !== null) this.#at(typeId, to)[delta] -= sign;
  }

  #at(typeId: string, instant: number): Bucket {
    const day = dayOf(instant, this.timeZone);
    const key = `${typeId} ${day}`;
    let bucket = this.#byKey.get(key);
    if (!bucket) {
      bucket = { typeId, day, newCases: 0, finishedCases: 0, finishedDurationMs: 0, openDelta: 0, overDelta: 0 };
      this.#byKey.set(key, bucket);
    }
    return bucket;
  }
}
