import { JSON_BYTES_PER_CHARACTER, jsonBytes } from '../wire/bytes.js';

/**
 * The header of a list reply whose page stopped short of its `limit` because the next row would have taken the reply
 * past the reply limit (OPENCASE_REPLY_LIMIT). The body says it too, the way paging does: `count` stays the exact
 * total, so a page holds fewer rows than asked for while `start` + rows < `count`; the header says where to go on.
 */
export const PARTIAL_HEADER = 'x-opencase-partial';

/** Room left around the rows for the envelope and the page's own keys (`{"resCode":"0","resMsg":…,"result":{"count":…`). */
const ENVELOPE_BYTES = 1024;

/** The most a number takes as JSON: `-2.2250738585072014e-308` is 24 characters. */
const NUMBER_BYTES = 24;

/**
 * The most a value can take as JSON, counted without serializing it: a UTF-16 unit of text is at most 6 bytes (a
 * control character written `\u0001`; any other is 3 bytes of UTF-8 at most), plus quotes, commas and colons.
 */
function jsonBytesAtMost(value: unknown): number {
  if (typeof value === 'string') return 2 + JSON_BYTES_PER_CHARACTER * value.length;
  if (typeof value !== 'object' || value === null) return NUMBER_BYTES;
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) total += jsonBytesAtMost(item) + 1;
    return total;
  }
  for (const [key, item] of Object.entries(value)) total += jsonBytesAtMost(key) + 1 + jsonBytesAtMost(item) + 1;
  return total;
}

/** How many of `rows`, from the first, fit in `room` bytes of JSON (with a comma each); at least one. */
function fittingCount(rows: readonly unknown[], room: number): number {
  let atMost = 0;
  for (const row of rows) atMost += jsonBytesAtMost(row) + 1;
  if (atMost <= room) return rows.length;
  let used = 0;
  let shown = 0;
  for (const row of rows) {
    const bytes = jsonBytes(row) + 1;
    if (shown > 0 && used + bytes > room) break;
    used += bytes;
    shown++;
  }
  return shown;
}

/** A page's rows as a reply of at most `limitBytes` can carry them, and, when cut short, what to tell the caller. */
export interface FittedRows<T> {
  rows: T[];
  /** The PARTIAL_HEADER value when rows were left out; undefined when every row fits. */
  partial: string | undefined;
}

/**
 * The rows of a page, in order, that fit in a reply of `limitBytes`. Rows read from the store are bounded field by
 * field (README, "Bounds"), so a page is nearly always far below the limit even at its largest possible size, and is
 * kept whole without serializing anything; only a page that could pass the limit is measured row by row, and stops
 * before the row that would pass it. At least one row is always kept, so that paging moves on: a row larger than the
 * limit alone (only rows stored before the bounds, or a limit set below the largest row the bounds allow) is served
 * alone. `next(shown)` says where the caller goes on (`start=137`, `after=90210`).
 */
export function fitRows<T>(rows: T[], limitBytes: number, next: (shown: number) => string): FittedRows<T> {
  const shown = fittingCount(rows, limitBytes - ENVELOPE_BYTES);
  if (shown === rows.length) return { rows, partial: undefined };
  return { rows: rows.slice(0, shown), partial: partialPage(shown, rows.length, limitBytes, next) };
}

/** PARTIAL_HEADER for a page of `shown` of its `pageRows` rows. */
export function partialPage(shown: number, pageRows: number, limitBytes: number, next: (shown: number) => string): string {
  return `${shown} of the ${pageRows} rows of this page: the next would take the reply past ${limitBytes} bytes (OPENCASE_REPLY_LIMIT); count is still the whole total; continue at ${next(shown)}`;
}

/** Where a start/limit list goes on after a page of `shown` rows that began at `start`. */
export function nextStart(start: number): (shown: number) => string {
  return (shown) => `start=${start + shown}`;
}

/**
 * A page (`{count, contacts}`…) with its `key` rows fitted to the reply limit (fitRows), and the reply's
 * PARTIAL_HEADER set when rows were left out.
 */
export function fitPage<K extends string, P extends { [key in K]: unknown[] }>(
  reply: { header(name: string, value: string): unknown }, page: P, key: K, limitBytes: number, next: (shown: number) => string,
): P {
  const { rows, partial } = fitRows(page[key], limitBytes, next);
  if (partial === undefined) return page;
  reply.header(PARTIAL_HEADER, partial);
  return { ...page, [key]: rows };
}

/**
 * A detail's history (`taskTrace`, `caseTrace`, a case's `tasks`: as many as the record has had) as a reply of at most
 * `limitBytes` can carry it beside the rest of the detail: the newest items that fit, still oldest first, and what
 * was left out, as a note for PARTIAL_HEADER (`taskTrace holds the newest 37 of 1000`). A detail is measured only
 * when its largest possible size could pass the limit; the newest item is always kept.
 */
export function fitNewest<K extends string, D extends { [key in K]: unknown[] }>(
  detail: D, key: K, limitBytes: number,
): { items: D[K]; note: string | undefined } {
  const items = detail[key];
  if (jsonBytesAtMost(detail) <= limitBytes - ENVELOPE_BYTES) return { items, note: undefined };
  const rest = jsonBytes({ ...detail, [key]: [] });
  const newestFirst = [...items].reverse();
  const shown = fittingCount(newestFirst, limitBytes - ENVELOPE_BYTES - rest);
  if (shown >= items.length) return { items, note: undefined };
  return { items: items.slice(items.length - shown) as D[K], note: `${key} holds the newest ${shown} of ${items.length}` };
}

/** PARTIAL_HEADER for a detail whose history was cut (fitNewest's notes), or undefined when nothing was. */
export function detailPartial(notes: Array<string | undefined>, limitBytes: number): string | undefined {
  const cut = notes.filter((note): note is string => note !== undefined);
  if (cut.length === 0) return undefined;
  return `${cut.join('; ')}: all of them would take the reply past ${limitBytes} bytes (OPENCASE_REPLY_LIMIT); every trace is in GET /opencase/v1/traces, every task of a case in task/list with its relateId`;
}
