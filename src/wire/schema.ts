import { Type, type Static, type TSchema } from 'typebox';

/**
 * A key AICC always sends, with null when there is no value (never omitted). Written as a JSON-schema type
 * list rather than anyOf so that fast-json-stringify serializes it on its fast path.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const { type, enum: values, ...rest } = schema as unknown as { type: string; enum?: unknown[] } & Record<string, unknown>;
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'], ...(values ? { enum: [...values, null] } : {}) });
}

/**
 * A string from a fixed list, written as JSON-schema `enum` so that a wrong value is reported as
 * "must be one of: …" rather than as a failed union.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * Query-string numbers arrive as text (the app does not coerce types, so that a JSON body's "0" is never taken
 * for 0): they are matched as digits and converted by the route.
 */
export const QUERY_INTEGER_PATTERN = '^[0-9]{1,15}$';
export const QUERY_INTEGER_RULE = 'must be a whole number';
export const QueryInteger = Type.String({ pattern: QUERY_INTEGER_PATTERN });

/** Query text (bodies are checked as they are parsed): a `%00` decodes to U+0000, which PostgreSQL's text refuses. */
export const QUERY_TEXT_PATTERN = '^[^\\u0000]*$';
export const QUERY_TEXT_RULE = 'must not contain the NUL character (%00)';
export function QueryText(maxLength: number) {
  return Type.String({ maxLength, pattern: QUERY_TEXT_PATTERN });
}

/**
 * A list's `start`: from 0 to a billion. Without an upper bound a start past 2^53 reached the database as a float
 * (found by the fuzz tests: a 500 from SQLite's OFFSET); no list holds a billion records of one tenant.
 */
export const MAX_START = 1_000_000_000;
export const ListStart = Type.Integer({ minimum: 0, maximum: MAX_START });

/**
 * An object's properties in the key order AICC's examples use: sorted by UTF-16 code units, as in
 * `customFied` < `customerName` and `type` < `type.name` < `typeName`. fast-json-stringify writes keys in this order.
 */
export function alphabetical<T extends Record<string, TSchema>>(properties: T): T {
  return Object.fromEntries(Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

/** The body of a call that takes no fields (sign-out's refresh, a password link, a queue membership): `{}` or none. */
export const NoFields = Type.Object({});
