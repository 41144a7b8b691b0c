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

/** An instant as AICC shows it, in the tenant's zone; null stays null (AICC sends null, never omits the key). */
export function formatWireDate(instant: number, timeZone: string): string;
export function formatWireDate(instant: number | null, timeZone: string): string | null;
export function formatWireDate(instant: number | null, timeZone: string): string | null {
  if (instant === null) return null;
  const c = wallClockAt(instant, timeZone);
  return `${String(c.year).padStart(4, '0')}-${pad2(c.month)}-${pad2(c.day)} ${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}`;
}

/** The zone's offset from UTC, in milliseconds, at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const c = wallClockAt(instant, timeZone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * A wall-clock `YYYY-MM-DD HH:mm:ss` in the tenant's zone as a UTC instant, or null when the text is not a
 * real date (2023-02-30, 24:00:00). A time skipped by a daylight-saving jump resolves to the instant after it.
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
  // Two passes settle the offset on either side of a daylight-saving change.
  let instant = asUtc - offsetAt(asUtc, timeZone);
  instant = asUtc - offsetAt(instant, timeZone);
  return instant;
}
