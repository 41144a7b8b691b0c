import { Type } from 'typebox';

/**
 * Byte bounds. AICC's field tables give text lengths in bytes (长度(字节)): title 128, description 20000, remark 2000,
 * attachment 255, contactPhone 20. ajv's maxLength counts characters (code points), so a 43-character Chinese title,
 * 129 bytes of UTF-8, passed a `maxLength: 128` that AICC's own server refuses. The AICC fields are therefore written
 * with Utf8Text below: `maxLength` (still a true upper bound, as a character is at least a byte, so OpenAPI tools and
 * generated clients stay right) and `x-maxUtf8Bytes`, the bound AICC means, checked by the keyword of that name.
 * opencase's own fields (users, contacts, queues, templates' definitions) keep their limits in characters, a
 * character at most 4 bytes of UTF-8 stored. In a reply a character is at most 6 bytes (a control character is
 * written `\u0001`). Values of any JSON (a contact's bindAccount items) have no characters to count: they are bounded
 * by their size serialized and by how deep they nest, with the two JSON keywords below.
 */
export const JSON_BYTES_PER_CHARACTER = 6;

/** The schema keywords, `x-` so that OpenAPI tools take them as extensions (BoundedJson writes them). */
export const MAX_JSON_BYTES = 'x-maxJsonBytes';
export const MAX_JSON_DEPTH = 'x-maxJsonDepth';
/** A string's most bytes of UTF-8 (Utf8Text writes it). */
export const MAX_UTF8_BYTES = 'x-maxUtf8Bytes';

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

/** A text's size in UTF-8, as AICC's tables count it: `'a'` is 1, `'工'` 3, `'😀'` 4 (a lone surrogate, as stored, 3). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
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

/**
 * Text of at most `maxBytes` bytes of UTF-8, as AICC's tables bound their fields: a 400 naming the field, its bytes and
 * the bound otherwise (`taskInfo.title is 129 bytes of UTF-8; at most 128 bytes (a Chinese character takes 3)`).
 * `maxLength` is the same number, a true bound in characters too, for OpenAPI and generated clients; the description
 * says the unit to people reading the document.
 */
export function Utf8Text(maxBytes: number, options: { minLength?: number; pattern?: string; description?: string } = {}) {
  return Type.String({
    description: `at most ${maxBytes} bytes of UTF-8 (a Chinese character takes 3)`,
    ...options,
    maxLength: maxBytes,
    [MAX_UTF8_BYTES]: maxBytes,
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
 * The keywords for Fastify's ajv (app.ts registers this plugin). Depth is checked first: the body parser already
 * refuses more than 32 levels, so the walk is short, and a value too deep is not serialized to be measured. The UTF-8
 * keyword passes anything but a string (the schema's type says what else is wrong); being registered without a type,
 * ajv checks it before the string keywords, so a title too long is reported in bytes, its unit, not as maxLength.
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
  ajv.addKeyword(keyword(MAX_UTF8_BYTES, (limit, data) => {
    if (typeof data !== 'string') return undefined;
    const bytes = utf8Bytes(data);
    return bytes <= limit ? undefined : { params: { limit, bytes }, message: `is ${bytes} bytes of UTF-8` };
  }));
  return ajv;
}
