import { Type, type Static, type TSchema } from 'typebox';

/**
 * A key AICC always sends, with null when there is no value (never omitted). Written as a JSON-schema type
 * list rather than anyOf so that fast-json-stringify serializes it on its fast path.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const { type, ...rest } = schema as unknown as { type: string } & Record<string, unknown>;
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'] });
}
