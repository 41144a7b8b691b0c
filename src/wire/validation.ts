import type { FastifySchemaValidationError, SchemaErrorDataVar } from 'fastify/types/schema.js';
import { MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_UTF8_BYTES } from './bytes.js';
import { WIRE_DATE_PATTERN, WIRE_DATE_RULE, WIRE_DAY_PATTERN, WIRE_DAY_RULE } from './dates.js';
import { ID_PATTERN, ID_RULE } from './ids.js';
import { QUERY_INTEGER_PATTERN, QUERY_INTEGER_RULE, QUERY_TEXT_PATTERN, QUERY_TEXT_RULE } from './schema.js';
import { closestField, locate, unknownKeys } from './unknown-fields.js';

/** What failed validation: the route's schema of that part of the request, the value sent, and the call's name. */
export interface ValidationSubject {
  schema: unknown;
  data: unknown;
  /** `task/list`, or `PATCH /opencase/v1/contacts/:id`: how the caller knows the call. */
  call: string;
}

/** A reply names at most this many missing fields: enough to fix a body in one go, bounded whatever the schema. */
const MAX_NAMED_FIELDS = 10;

function listOf(names: string[]): string {
  const shown = names.slice(0, MAX_NAMED_FIELDS);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown.join('');
}

const patternRules: Record<string, string> = {
  [ID_PATTERN]: ID_RULE,
  [WIRE_DATE_PATTERN]: WIRE_DATE_RULE,
  [WIRE_DAY_PATTERN]: WIRE_DAY_RULE,
  [QUERY_INTEGER_PATTERN]: QUERY_INTEGER_RULE,
  [QUERY_TEXT_PATTERN]: QUERY_TEXT_RULE,
};

const typeNames: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  array: 'an array',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  null: 'null',
};

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => typeNames[String(t)] ?? String(t)).join(' or ');
}

/** "/taskInfo/title" -> "taskInfo.title", "/bindAccount/3" -> "bindAccount[3]" (as the services name items); the body itself is "body". */
function fieldName(instancePath: string, context: SchemaErrorDataVar): string {
  const path = instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((joined, segment) => (/^\d+$/.test(segment) ? `${joined}[${segment}]` : joined ? `${joined}.${segment}` : segment), '');
  if (path) return path;
  return context === 'params' ? 'path' : context;
}

function join(parent: string, child: string, context: SchemaErrorDataVar): string {
  return parent === context ? child : `${parent}.${child}`;
}

/**
 * Every required field missing beside the first one ajv reports (it stops at one), and for each an unknown field
 * sent in its place: `caseId is required (the body has id: did you mean caseId?)`.
 */
function describeMissing(first: string, field: string, context: SchemaErrorDataVar, at: ReturnType<typeof locate>): string {
  const data = at?.data;
  const missing = at && typeof data === 'object' && data !== null
    ? (at.schema.required ?? []).filter((name) => !(name in data))
    : [first];
  const names = missing.length > 0 ? missing : [first];
  const unknown = at ? unknownKeys(at.schema, data) : [];
  const hints = unknown.flatMap((key) => {
    const meant = closestField(key, names);
    return meant ? [`${context === 'body' && field === context ? 'the body' : field} has ${key}: did you mean ${meant}?`] : [];
  }).slice(0, MAX_NAMED_FIELDS);
  const sentence = `${listOf(names.map((name) => join(field, name, context)))} ${names.length > 1 ? 'are' : 'is'} required`;
  return hints.length > 0 ? `${sentence} (${hints.join('; ')})` : sentence;
}

/** `unknown field caseId in task/list (did you mean relateId?)`, else the fields the object takes. */
function describeUnknown(key: string, field: string, context: SchemaErrorDataVar, at: ReturnType<typeof locate>, call: string): string {
  const known = Object.keys(at?.schema.properties ?? {});
  const meant = closestField(key, known);
  const where = call ? ` in ${call}` : '';
  if (meant) return `unknown field ${join(field, key, context)}${where} (did you mean ${join(field, meant, context)}?)`;
  if (known.length === 0) return `unknown field ${join(field, key, context)}${where} (${field === context ? 'this call takes no fields: send {} or no body' : `${field} takes no fields`})`;
  return `unknown field ${join(field, key, context)}${where} (${field === context ? 'the fields are' : `${field} takes`}: ${listOf(known)})`;
}

/**
 * One validation failure as a sentence that names the field and the rule it broke, e.g. "taskInfo.title is 129 bytes
 * of UTF-8; at most 128 bytes (a Chinese character takes 3)". Only the first failure is reported (it is the one to
 * fix), except that every missing required field of one object is named at once, and an unknown field is named with
 * the closest known one, when the route's schema and the value are given.
 */
export function describeValidationError(errors: FastifySchemaValidationError[], context: SchemaErrorDataVar, subject?: ValidationSubject): string {
  const error = errors[0];
  if (!error) return `${context} is invalid`;
  const field = fieldName(error.instancePath, context);
  const params = error.params as Record<string, unknown>;
  const at = subject ? locate(subject.schema, subject.data, error.instancePath) : undefined;
  switch (error.keyword) {
    case 'required':
      return describeMissing(String(params.missingProperty), field, context, at);
    case 'additionalProperties':
      return describeUnknown(String(params.additionalProperty), field, context, at, subject?.call ?? '');
    case 'type':
      if (field === 'body' && params.type === 'object') return 'body must be a JSON object';
      return `${field} must be ${describeType(params.type)}`;
    case 'maxLength':
      return `${field} must be at most ${String(params.limit)} characters`;
    case 'minLength':
      return params.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${String(params.limit)} characters`;
    case 'pattern':
      return `${field} ${patternRules[String(params.pattern)] ?? `must match ${String(params.pattern)}`}`;
    case 'enum':
      return `${field} must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `${field} must be ${JSON.stringify(params.allowedValue)}`;
    case 'minimum':
      return `${field} must be at least ${String(params.limit)}`;
    case 'maximum':
      return `${field} must be at most ${String(params.limit)}`;
    case 'maxItems':
      return `${field} must have at most ${String(params.limit)} items`;
    case 'minItems':
      return `${field} must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'maxProperties':
      return `${field} must have at most ${String(params.limit)} fields`;
    case MAX_JSON_BYTES:
      return `${field} is ${String(params.bytes)} bytes as JSON; at most ${String(params.limit)} bytes`;
    case MAX_UTF8_BYTES:
      return `${field} is ${String(params.bytes)} bytes of UTF-8; at most ${String(params.limit)} bytes (a Chinese character takes 3)`;
    case MAX_JSON_DEPTH:
      return `${field} nests ${String(params.depth)} levels deep; at most ${String(params.limit)} levels`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}
