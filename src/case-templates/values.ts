import { characters } from '../wire/bytes.js';
import { formatWireDate, parseWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import {
  DEFAULT_TEXT_LENGTH, MAX_TEXT_LENGTH, templateFieldName, type TemplateFieldInfo, type TemplateFieldInput, type TemplateValue,
} from './schemas.js';

/** Keys of case detail's caseInfo that look like template fields but are the platform's own (cases/schemas.ts). */
const PLATFORM_KEYS = new Set(['AICC__IsCanced__CST', 'AICC__IsSuspend__CST']);

function invalid(message: string): ApiError {
  return new ApiError('invalidRequest', message);
}

/**
 * A template's fields as sent, checked and completed: names unique and not the platform's, each setting only where
 * its type has a use for it (a select needs its options, a number's minimum is not above its maximum…).
 */
export function normalizeFields(fields: TemplateFieldInput[]): TemplateFieldInfo[] {
  const seen = new Set<string>();
  return fields.map((field, index) => {
    const at = `fields[${index}]`;
    if (seen.has(field.name)) throw invalid(`${at}.name ${field.name} is already a field of this template: names must be unique`);
    if (PLATFORM_KEYS.has(field.name)) throw invalid(`${at}.name ${field.name} is a key of AICC's platform: choose another name`);
    seen.add(field.name);
    const misplaced = (['maxLength', 'minimum', 'maximum', 'options'] as const).find((key) => field[key] !== undefined && !appliesTo(key, field.type));
    if (misplaced) throw invalid(`${at}.${misplaced} does not apply to a ${field.type} field`);
    if (field.type === 'select') {
      if (!field.options) throw invalid(`${at}.options is required for a select field`);
      if (new Set(field.options).size !== field.options.length) throw invalid(`${at}.options must not list a value twice`);
    }
    if (field.minimum !== undefined && field.maximum !== undefined && field.minimum > field.maximum) {
      throw invalid(`${at}.minimum must not be above ${at}.maximum`);
    }
    return {
      label: field.label ?? null,
      maxLength: field.type === 'text' ? field.maxLength ?? DEFAULT_TEXT_LENGTH : null,
      maximum: field.maximum ?? null,
      minimum: field.minimum ?? null,
      name: field.name,
      options: field.options ?? null,
      required: field.required ?? false,
      type: field.type,
    };
  });
}

function appliesTo(setting: 'maxLength' | 'minimum' | 'maximum' | 'options', type: TemplateFieldInfo['type']): boolean {
  if (setting === 'maxLength') return type === 'text';
  if (setting === 'options') return type === 'select';
  return type === 'number';
}

/**
 * A value sent for a field, as the canonical text it is stored and compared in (null: the field is cleared): the text
 * or option itself, a number's shortest form, `true`/`false`, a date's instant in epoch milliseconds. A value of the
 * wrong kind is a 400 naming the field (`path`) and the rule.
 */
export function canonicalValue(field: TemplateFieldInfo, value: TemplateValue, timeZone: string, path: string): string | null {
  if (value === null) return null;
  switch (field.type) {
    case 'text': {
      if (typeof value !== 'string') throw invalid(`${path} must be a string (a text field)`);
      const limit = field.maxLength ?? MAX_TEXT_LENGTH;
      if (characters(value) > limit) throw invalid(`${path} must be at most ${limit} characters`);
      return value;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${path} must be a number`);
      if (field.minimum !== null && value < field.minimum) throw invalid(`${path} must be at least ${field.minimum}`);
      if (field.maximum !== null && value > field.maximum) throw invalid(`${path} must be at most ${field.maximum}`);
      return String(value);
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(`${path} must be a boolean (true or false)`);
      return String(value);
    case 'date': {
      const instant = typeof value === 'string' ? parseWireDate(value, timeZone) : null;
      if (instant === null) throw invalid(`${path} must be a date as YYYY-MM-DD HH:mm:ss`);
      return String(instant);
    }
    case 'select':
      if (typeof value !== 'string' || !field.options?.includes(value)) throw invalid(`${path} must be one of: ${(field.options ?? []).join(', ')}`);
      return value;
  }
}

/** A stored value as the wire shows it. */
export function wireValue(field: TemplateFieldInfo, stored: string, timeZone: string): TemplateValue {
  switch (field.type) {
    case 'number': return Number(stored);
    case 'boolean': return stored === 'true';
    case 'date': return formatWireDate(Number(stored), timeZone);
    default: return stored;
  }
}

/** The keys of a body object that name template fields (the rest are the call's documented fields). */
export function templateKeysOf(object: object): string[] {
  return Object.keys(object).filter((key) => templateFieldName.test(key));
}

/** Whether a field's new definition (undefined: removed) could refuse a value the old one took: then stored values forbid it. */
export function narrows(before: TemplateFieldInfo, after: TemplateFieldInfo | undefined): boolean {
  if (!after || after.type !== before.type) return true;
  if ((after.maxLength ?? MAX_TEXT_LENGTH) < (before.maxLength ?? MAX_TEXT_LENGTH)) return true;
  if (after.minimum !== null && (before.minimum === null || after.minimum > before.minimum)) return true;
  if (after.maximum !== null && (before.maximum === null || after.maximum < before.maximum)) return true;
  return (before.options ?? []).some((option) => !(after.options ?? []).includes(option));
}
