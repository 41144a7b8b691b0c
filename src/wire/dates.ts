import { Type } from 'typebox';

/**
 * AICC writes every date as `YYYY-MM-DD HH:mm:ss` with no zone. opencase stores UTC instants (epoch
 * milliseconds) and renders them in the tenant's IANA time zone, so one tenant in Shanghai and one in Paris
 * each read their own wall-clock times.
 */
export const WIRE_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$';
export const WIRE_DATE_RULE = 'must be a date as YYYY-MM-DD HH:mm:ss';

export const WireDate = Type.String({ pattern: WIRE_DATE_PATTERN, description: WIRE_DATE_RULE });

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instant: number, timeZone: string): WallClock {
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value);
  }
  return clock;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** The zone's offset from UTC, in milliseconds, at an instant, asked of Intl (exact, but microseconds a call). */
function offsetAt(instant: number, timeZone: string): number {
  const c = wallClockAt(instant, timeZone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * Offsets change only at daylight-saving and legal transitions, which fall on quarter hours of UTC in every
 * current zone. An offset is cached for a quarter hour when the zone has it at both ends of that quarter (two
 * transitions never fall within one); a quarter that holds a transition is asked of Intl every time.
 */
const QUARTER_HOUR = 15 * 60 * 1000;
const OFFSET_CACHE_LIMIT = 100_000;
const offsetCache = new Map<string, Map<number, number>>();

function cachedOffsetAt(instant: number, timeZone: string): number {
  let zoneCache = offsetCache.get(timeZone);
  if (!zoneCache) {
    zoneCache = new Map();
    offsetCache.set(timeZone, zoneCache);
  }
  const quarter = Math.floor(instant / QUARTER_HOUR);
  const cached = zoneCache.get(quarter);
  if (cached !== undefined) return cached;
  const start = offsetAt(quarter * QUARTER_HOUR, timeZone);
  const end = offsetAt((quarter + 1) * QUARTER_HOUR - 1000, timeZone);
  if (start !== end) return offsetAt(instant, timeZone);
  if (zoneCache.size >= OFFSET_CACHE_LIMIT) zoneCache.clear();
  zoneCache.set(quarter, start);
  return start;
}

/** An instant as AICC shows it, in the tenant's zone; null stays null (AICC sends null, never omits the key). */
export function formatWireDate(instant: number, timeZone: string): string;
export function formatWireDate(instant: number | null, timeZone: string): string | null;
export function formatWireDate(instant: number | null, timeZone: string): string | null {
  if (instant === null) return null;
  const local = new Date(instant + cachedOffsetAt(instant, timeZone));
  const year = local.getUTCFullYear();
  return `${year >= 1000 ? year : String(year).padStart(4, '0')}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())} `
    + `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}`;
}

const DAY_MS = 86_400_000;

/**
 * A wall-clock `YYYY-MM-DD HH:mm:ss` in the tenant's zone as a UTC instant, or null when the text is not a
 * real date (2023-02-30, 24:00:00). Where a daylight-saving change makes the wall clock ambiguous it resolves as
 * Temporal's and java.time's default ("compatible") does, and docs/semantics.md says so:
 * - a time the clocks skip (02:30 in Paris on the last Sunday of March) is moved forward by the jump: 03:30;
 * - a time the clocks show twice (02:30 on the last Sunday of October) is the first of the two, still in summer time.
 * It used to take the second of a repeated time, and to settle a skipped one by the same two passes, without a word.
 */
export function parseWireDate(text: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day
    || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  // The offsets a day either side: no zone changes its offset twice within two days, so these are the only two the
  // wall clock can have been read with.
  const offsetBefore = cachedOffsetAt(asUtc - DAY_MS, timeZone);
  const offsetAfter = cachedOffsetAt(asUtc + DAY_MS, timeZone);
  const earlier = asUtc - Math.max(offsetBefore, offsetAfter);
  const later = asUtc - Math.min(offsetBefore, offsetAfter);
  // A candidate is real when the zone has, at it, the offset it was computed with.
  if (cachedOffsetAt(earlier, timeZone) === asUtc - earlier) return earlier;
  if (cachedOffsetAt(later, timeZone) === asUtc - later) return later;
  // Neither: the time was skipped. Read with the offset in force before the jump, it lands as far past the jump.
  return asUtc - offsetBefore;
}

/**
 * AICC's statistics calls take bare calendar days (`YYYY-MM-DD`, 查询工单总览统计), counted in the tenant's zone.
 * Day arithmetic is on the calendar (Date.UTC), never by adding 24 hours: a day with a daylight-saving change
 * lasts 23 or 25 hours.
 */
export const WIRE_DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
export const WIRE_DAY_RULE = 'must be a date as YYYY-MM-DD';

export const WireDay = Type.String({ pattern: WIRE_DAY_PATTERN, description: WIRE_DAY_RULE });


function dayText(utcMidnight: Date): string {
  const year = utcMidnight.getUTCFullYear();
  return `${year >= 1000 ? year : String(year).padStart(4, '0')}-${pad2(utcMidnight.getUTCMonth() + 1)}-${pad2(utcMidnight.getUTCDate())}`;
}

/** The calendar day of an instant in a zone (the date part of formatWireDate, without formatting the time). */
export function dayOf(instant: number, timeZone: string): string {
  return dayText(new Date(instant + cachedOffsetAt(instant, timeZone)));
}

/** A `YYYY-MM-DD` as a UTC midnight, or null when it is no real day (2023-02-30). */
function calendarDay(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = match.slice(1).map(Number) as [number, number, number];
  const asUtc = Date.UTC(year, month - 1, date);
  const check = new Date(asUtc);
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === date ? asUtc : null;
}

export function isRealDay(day: string): boolean {
  return calendarDay(day) !== null;
}

function requireDay(day: string): number {
  const asUtc = calendarDay(day);
  if (asUtc === null) throw new RangeError(`${day} is not a day as YYYY-MM-DD`);
  return asUtc;
}

/** The day `days` calendar days after `day` (before it when negative). */
export function addDays(day: string, days: number): string {
  return dayText(new Date(requireDay(day) + days * DAY_MS));
}

/** How many calendar days `to` is after `from` (negative when before). */
export function daysBetween(from: string, to: string): number {
  return Math.round((requireDay(to) - requireDay(from)) / DAY_MS);
}

/**
 * The first instant of a day in a zone: its midnight, or, where a daylight-saving jump skips midnight (America/Asuncion
 * in October), the instant of the jump. The day is [startOfDay(D), startOfDay(D + 1)): exactly the instants dayOf
 * gives D. Local midnight as parseWireDate reads it (moved past the jump when skipped) is that instant on every day
 * of 2018 to 2026 in every zone Intl knows (1,373,966 days checked); the search between the widest offsets there are
 * (UTC-12 and UTC+14) stays for older offsets that parseWireDate's "no two changes within two days" might not cover.
 */
export function startOfDay(day: string, timeZone: string): number {
  const asUtc = requireDay(day);
  const midnight = parseWireDate(`${day} 00:00:00`, timeZone) ?? asUtc;
  if (dayOf(midnight, timeZone) === day && dayOf(midnight - 1, timeZone) < day) return midnight;
  let before = asUtc - 15 * 3_600_000; // still the day before, in every zone
  let from = asUtc + 13 * 3_600_000; // already the day, in every zone
  while (from - before > 1) {
    const middle = Math.floor((before + from) / 2);
    if (dayOf(middle, timeZone) < day) before = middle;
    else from = middle;
  }
  return from;
}
