import { Type } from 'typebox';

/**
 * Byte bounds. Text fields keep the limits AICC's tables give, counted in characters (Unicode code points, as ajv's
 * maxLength counts them), which is what opencase has always documented and enforced; a code point is at most 4 bytes
 * of UTF-8, so a 128-character title is at most 512 bytes stored. In a reply a character is at most 6 bytes (a control
 * character is written `\u0001`). Values of any JSON (a contact's bindAccount items) have no characters to count: they
 * are bounded by their size serialized and by how deep they nest, with the two schema keywords below.
 */
export const JSON_BYTES_PER_CHARACTER = 6;

/** The schema keywords, `x-` so that OpenAPI tools take them as extensions (BoundedJson writes them). */
export const MAX_JSON_BYTES = 'x-maxJsonBytes';
export const MAX_JSON_DEPTH = 'x-maxJsonDepth';

/**
 * A text's length in characters as ajv's maxLength counts them (code points: `'𝄞'` is one, though two UTF-16 units),
 * for the limits a service checks itself, so that both say "characters" of the same thing.
 */
export function characters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The UTF-8 size of a JSON value as JSON.stringify writes it (as the store keeps it, and as a reply carries it). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/** How many levels of arrays and objects a value nests: a scalar is 0, `[]` and `{"a": 1}` are 1, `[{"a": []}]` is 3. */
export function jsonDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, jsonDepth(child));
  return deepest + 1;
}

/** Any JSON value, at most `maxBytes` serialized (UTF-8) and `maxDepth` levels deep: a 400 naming the field otherwise. */
export function BoundedJson(bounds: { maxBytes: number; maxDepth: number; description?: string }) {
  return Type.Unknown({
    [MAX_JSON_BYTES]: bounds.maxBytes,
    [MAX_JSON_DEPTH]: bounds.maxDepth,
    description: bounds.description ?? `any JSON value, at most ${bounds.maxBytes} bytes serialized and ${bounds.maxDepth} levels deep`,
  });
}

/** A keyword that validates with a function, as ajv's addKeyword takes it (ajv is Fastify's, not a dependency here). */
interface FunctionKeyword {
  keyword: string;
  schemaType: 'number';
  errors: true;
  validate: ((limit: number, data: unknown) => boolean) & { errors?: KeywordError[] };
}

interface KeywordError {
  keyword: string;
  params: Record<string, number>;
  message: string;
}

/** A check of one number-valued keyword: the failure's params and message, or undefined when the value passes. */
function keyword(name: string, check: (limit: number, data: unknown) => { params: Record<string, number>; message: string } | undefined): FunctionKeyword {
  const validate: FunctionKeyword['validate'] = (limit, data) => {
    const failure = check(limit, data);
    validate.errors = failure ? [{ keyword: name, ...failure }] : [];
    return failure === undefined;
  };
  return { keyword: name, schemaType: 'number', errors: true, validate };
}

/**
 * The two keywords for Fastify's ajv (app.ts registers this plugin). Depth is checked first: the body parser already
 * refuses more than 32 levels, so the walk is short, and a value too deep is not serialized to be measured.
 */
export function jsonBounds<Ajv extends { addKeyword(definition: FunctionKeyword): unknown }>(ajv: Ajv): Ajv {
  ajv.addKeyword(keyword(MAX_JSON_DEPTH, (limit, data) => {
    const depth = jsonDepth(data);
    return depth <= limit ? undefined : { params: { limit, depth }, message: `nests ${depth} levels deep` };
  }));
  ajv.addKeyword(keyword(MAX_JSON_BYTES, (limit, data) => {
    const bytes = jsonBytes(data);
    return bytes <= limit ? undefined : { params: { limit, bytes }, message: `is ${bytes} bytes as JSON` };
  }));
  return ajv;
}
