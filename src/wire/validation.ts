import type { FastifySchemaValidationError, SchemaErrorDataVar } from 'fastify/types/schema.js';
import { WIRE_DATE_PATTERN, WIRE_DATE_RULE } from './dates.js';
import { ID_PATTERN, ID_RULE } from './ids.js';
import { QUERY_INTEGER_PATTERN, QUERY_INTEGER_RULE, QUERY_TEXT_PATTERN, QUERY_TEXT_RULE } from './schema.js';

const patternRules: Record<string, string> = {
  [ID_PATTERN]: ID_RULE,
  [WIRE_DATE_PATTERN]: WIRE_DATE_RULE,
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

/** "/taskInfo/title" -> "taskInfo.title"; the body itself is "body". */
function fieldName(instancePath: string, context: SchemaErrorDataVar): string {
  const path = instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
  if (path) return path;
  return context === 'params' ? 'path' : context;
}

function join(parent: string, child: string, context: SchemaErrorDataVar): string {
  return parent === context ? child : `${parent}.${child}`;
}

/**
 * One validation failure as a sentence that names the field and the rule it broke, e.g.
 * "taskInfo.title must be at most 128 characters". Only the first failure is reported: it is the one to fix.
 */
export function describeValidationError(errors: FastifySchemaValidationError[], context: SchemaErrorDataVar): string {
  const error = errors[0];
  if (!error) return `${context} is invalid`;
  const field = fieldName(error.instancePath, context);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${join(field, String(params.missingProperty), context)} is required`;
    case 'additionalProperties':
      return `${join(field, String(params.additionalProperty), context)} is not an allowed field`;
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
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}
