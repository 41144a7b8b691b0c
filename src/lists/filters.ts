import { parseWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';

/** Two filters on one column that must both hold: the value they agree on, or `conflict` when they cannot. */
export function both<T>(a: T | undefined, b: T | undefined): T | undefined | 'conflict' {
  if (a !== undefined && b !== undefined && a !== b) return 'conflict';
  return a ?? b;
}

/** Two bounds on one value that must both hold (Math.max of lower bounds, Math.min of upper ones); either may be absent. */
export function tighterBound(pick: (a: number, b: number) => number, a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : pick(a, b);
}

/** A wire date in the tenant's zone as an instant; a 400 naming the field when it is no real date. */
export function instantOf(text: string, timeZone: string, field: string): number {
  const instant = parseWireDate(text, timeZone);
  if (instant === null) throw new ApiError('invalidRequest', `${field} is not a real date`);
  return instant;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * A list's `startTime`/`endTime` (creation time, both ends included) as instants. The start may not follow the
 * end; where AICC documents a longest range (case/list: 31 days), a longer one is a 400.
 */
export function createdRange(
  input: { startTime?: string; endTime?: string }, timeZone: string, maxDays?: number,
): { createdFrom?: number; createdTo?: number } {
  const createdFrom = input.startTime !== undefined ? instantOf(input.startTime, timeZone, 'startTime') : undefined;
  const createdTo = input.endTime !== undefined ? instantOf(input.endTime, timeZone, 'endTime') : undefined;
  if (createdFrom !== undefined && createdTo !== undefined) {
    if (createdFrom > createdTo) throw new ApiError('invalidRequest', 'startTime must not be after endTime');
    if (maxDays !== undefined && createdTo - createdFrom > maxDays * DAY) {
      throw new ApiError('invalidRequest', `startTime and endTime must be at most ${maxDays} days apart`);
    }
  }
  return { ...(createdFrom !== undefined && { createdFrom }), ...(createdTo !== undefined && { createdTo }) };
}
