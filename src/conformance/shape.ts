/**
 * The kit's own description of AICC's wire objects, and the check of a reply against one. Written from AICC's pages,
 * never from opencase's schemas: a kit that shared the server's schemas would agree with the server's bugs.
 *
 * Problems name the path and the rule, never the value: a report may be shared, and values are customers' data.
 */

export type Format = 'id' | 'number30' | 'datetime' | 'day';

export type Shape =
  | { kind: 'string'; format?: Format; values?: readonly string[] }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'object'; keys: Readonly<Record<string, Field>>; others: 'none' | 'template' | 'any' }
  | { kind: 'array'; items: Shape }
  | { kind: 'nullable'; shape: Shape }
  | { kind: 'any' };

export interface Field {
  shape: Shape;
  /** The key must be present (AICC sends null, never leaves a key out, where its examples show null). */
  present: boolean;
  /** Another spelling AICC's pages give for the same field: either (or both) satisfies it. */
  alias?: string;
}

export const text = (values?: readonly string[]): Shape => (values ? { kind: 'string', values } : { kind: 'string' });
export const formatted = (format: Format): Shape => ({ kind: 'string', format });
export const number: Shape = { kind: 'number' };
export const boolean: Shape = { kind: 'boolean' };
export const anything: Shape = { kind: 'any' };
export const nullable = (shape: Shape): Shape => ({ kind: 'nullable', shape });
export const list = (items: Shape): Shape => ({ kind: 'array', items });

/** An object whose every key is present; `others` says which further keys are allowed. */
export function object(keys: Record<string, Shape | Field>, others: 'none' | 'template' | 'any' = 'none'): Shape {
  const fields: Record<string, Field> = {};
  for (const [key, value] of Object.entries(keys)) fields[key] = 'present' in value ? value : { shape: value, present: true };
  return { kind: 'object', keys: fields, others };
}

/** A field that may be left out. */
export const optional = (shape: Shape): Field => ({ shape, present: false });
/** A field under one of two spellings, as where AICC's table and its example disagree. */
export const spelledEither = (shape: Shape, alias: string): Field => ({ shape, present: true, alias });

/** A case template's field: `<Namespace>__<field>__CST`, possibly with a platform suffix (`.name`). */
export const TEMPLATE_KEY = /^[A-Za-z][A-Za-z0-9]*__[A-Za-z0-9_]+__CST(\..+)?$/;

const FORMATS: Record<Format, { test: RegExp; rule: string }> = {
  id: { test: /^[A-Za-z0-9]{20}$/, rule: 'a 20-character id of letters and digits' },
  number30: { test: /^[0-9]{30}$/, rule: 'a 30-digit number' },
  datetime: { test: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, rule: 'a date as YYYY-MM-DD HH:mm:ss' },
  day: { test: /^\d{4}-\d{2}-\d{2}$/, rule: 'a day as YYYY-MM-DD' },
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const expected: Record<Exclude<Shape['kind'], 'nullable' | 'any'>, string> = {
  string: 'a string', number: 'a number', boolean: 'a boolean', object: 'an object', array: 'an array',
};

/** Every way `value` departs from `shape`, each as "path rule" (at most `limit`, so that a broken list says it once). */
export function departures(value: unknown, shape: Shape, path: string, limit = 8): string[] {
  const found: string[] = [];
  walk(value, shape, path, found, limit);
  return found;
}

function walk(value: unknown, shape: Shape, path: string, found: string[], limit: number): void {
  if (found.length >= limit) return;
  switch (shape.kind) {
    case 'any':
      return;
    case 'nullable':
      if (value !== null) walk(value, shape.shape, path, found, limit);
      return;
    case 'string':
      if (typeof value !== 'string') {
        found.push(`${path} is ${typeName(value)}; AICC sends ${expected.string}`);
        return;
      }
      if (shape.format && !FORMATS[shape.format].test.test(value)) found.push(`${path} is not ${FORMATS[shape.format].rule}`);
      if (shape.values && !shape.values.includes(value)) found.push(`${path} is not one of ${shape.values.join(', ')}`);
      return;
    case 'number':
    case 'boolean':
      if (typeof value !== shape.kind) found.push(`${path} is ${typeName(value)}; AICC sends ${expected[shape.kind]}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        found.push(`${path} is ${typeName(value)}; AICC sends an array`);
        return;
      }
      value.forEach((item, index) => walk(item, shape.items, `${path}[${index}]`, found, limit));
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        found.push(`${path} is ${typeName(value)}; AICC sends an object`);
        return;
      }
      const record = value as Record<string, unknown>;
      const known = new Set<string>();
      for (const [key, field] of Object.entries(shape.keys)) {
        known.add(key);
        if (field.alias) known.add(field.alias);
        const present = Object.hasOwn(record, key) ? key : field.alias && Object.hasOwn(record, field.alias) ? field.alias : undefined;
        if (present === undefined) {
          if (field.present) found.push(`${path}.${key} is missing${field.alias ? ` (nor is it spelled ${field.alias})` : ''}`);
          continue;
        }
        walk(record[present], field.shape, `${path}.${present}`, found, limit);
        if (field.alias && present === key && Object.hasOwn(record, field.alias)) walk(record[field.alias], field.shape, `${path}.${field.alias}`, found, limit);
      }
      if (shape.others === 'any') return;
      for (const key of Object.keys(record)) {
        if (known.has(key) || (shape.others === 'template' && TEMPLATE_KEY.test(key))) continue;
        if (found.length >= limit) return;
        found.push(`${path} has a key AICC does not document: ${key.slice(0, 60)}`);
      }
      return;
    }
  }
}

/**
 * Objects whose keys are not in the order of AICC's examples (ascending by UTF-16 code units), as paths. A template's
 * fields (and the platform's raw `AICC__…__CST` keys) are left out: the pages say only that they come after the
 * documented fields, in a request.
 */
export function unsortedObjects(value: unknown, path: string, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item, index) => unsortedObjects(item, `${path}[${index}]`, found));
  else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).filter((key) => !TEMPLATE_KEY.test(key));
    for (let i = 1; i < keys.length; i++) {
      if (keys[i - 1]! > keys[i]!) {
        found.push(`${path}: ${keys[i - 1]} comes before ${keys[i]}`);
        break;
      }
    }
    for (const [key, child] of Object.entries(value)) unsortedObjects(child, `${path}.${key}`, found);
  }
  return found;
}
