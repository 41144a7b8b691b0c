import { Type, type Static, type TProperties } from 'typebox';
import { MAX_JSON_BYTES } from '../wire/bytes.js';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { alphabetical, Nullable, QueryInteger, StringEnum } from '../wire/schema.js';

/**
 * A template field's name, as AICC's platform names a tenant's custom fields: `<Namespace>__<field>__CST`
 * (`AICC__test1__CST` in AICC's captured case detail). Case bodies, replies and case/list filters carry them as keys.
 */
export const TEMPLATE_FIELD_PATTERN = '^[A-Za-z][A-Za-z0-9]{0,31}__[A-Za-z][A-Za-z0-9_]{0,62}__CST$';
export const TEMPLATE_FIELD_RULE = 'must be named <Namespace>__<field>__CST (letters, digits; the field part may hold _)';
export const templateFieldName = new RegExp(TEMPLATE_FIELD_PATTERN);

export const TEMPLATE_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'select'] as const;
export type TemplateFieldType = (typeof TEMPLATE_FIELD_TYPES)[number];

/** Bounds of a template: enough for any case form, small enough that no tenant can make a case's reply unbounded. */
export const MAX_TEMPLATE_FIELDS = 50;
export const MAX_TEXT_LENGTH = 2000;
export const DEFAULT_TEXT_LENGTH = 255;
export const MAX_SELECT_OPTIONS = 100;

export const TemplateField = Type.Object({
  name: Type.String({ pattern: TEMPLATE_FIELD_PATTERN, maxLength: 100 }),
  label: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  type: StringEnum(TEMPLATE_FIELD_TYPES),
  required: Type.Optional(Type.Boolean()),
  /** text: the longest value, in characters (default 255, at most 2000). */
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TEXT_LENGTH })),
  /** number: the smallest and largest values allowed. */
  minimum: Type.Optional(Type.Number()),
  maximum: Type.Optional(Type.Number()),
  /** select: the values allowed, in the order a form shows them. */
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: MAX_SELECT_OPTIONS })),
});
export type TemplateFieldInput = Static<typeof TemplateField>;

/** A field as stored and shown: every key present, null when it does not apply. */
export const TemplateFieldInfo = Type.Object(alphabetical({
  label: Nullable(Type.String()),
  maxLength: Nullable(Type.Integer()),
  maximum: Nullable(Type.Number()),
  minimum: Nullable(Type.Number()),
  name: Type.String(),
  options: Nullable(Type.Array(Type.String())),
  required: Type.Boolean(),
  type: StringEnum(TEMPLATE_FIELD_TYPES),
}));
export type TemplateFieldInfo = Static<typeof TemplateFieldInfo>;

/**
 * A template's fields as sent, at most this many bytes of JSON: without it 50 select fields of 100 options of 128
 * characters were a template of 3.8 MB (6 bytes a character written as `\u0001`), read and parsed by every write and
 * every list page of its cases. 64 KiB holds 50 select fields of 20 options of 15 CJK characters each (51 KB).
 */
export const MAX_TEMPLATE_FIELDS_BYTES = 64 * 1024;

const Fields = Type.Array(TemplateField, { minItems: 1, maxItems: MAX_TEMPLATE_FIELDS, [MAX_JSON_BYTES]: MAX_TEMPLATE_FIELDS_BYTES });

export const CreateTemplateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  fields: Fields,
});
export type CreateTemplateInput = Static<typeof CreateTemplateBody>;

/** The fields, when sent, replace the template's (in the order sent); a change that would invalidate stored values is a 409. */
export const UpdateTemplateBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  fields: Type.Optional(Fields),
});
export type UpdateTemplateInput = Static<typeof UpdateTemplateBody>;

export const TemplateInfo = Type.Object({
  createdDate: Type.String(),
  description: Nullable(Type.String()),
  fields: Type.Array(TemplateFieldInfo),
  id: Type.String(),
  lastModifiedDate: Type.String(),
  name: Type.String(),
});
export type TemplateInfo = Static<typeof TemplateInfo>;

export const TemplateIdParams = Type.Object({ id: WireId });
export const TemplatesQuery = Type.Object({ start: Type.Optional(QueryInteger), limit: Type.Optional(QueryInteger) });
export const TemplateCreatedResponse = Envelope(Type.Object({ templateId: Type.String() }));
export const TemplateResponse = Envelope(TemplateInfo);
export const ListTemplatesResponse = Envelope(Type.Object({ count: Type.Integer(), templates: Type.Array(TemplateInfo) }));

/** A template field's value on the wire: by its type, or null when unset. */
export type TemplateValue = string | number | boolean | null;
/** A JSON-schema type list rather than anyOf: validated and serialized on ajv's and fast-json-stringify's fast paths. */
export const TemplateValue = Type.Unsafe<TemplateValue>({ type: ['string', 'number', 'boolean', 'null'], maxLength: MAX_TEXT_LENGTH });

/**
 * What an object that carries a case's template fields adds to its schema: any key named like a template field, with a
 * value of a template field's types. Which keys a case takes is its type's template's business (cases/template-values.ts).
 */
export const templateFieldProperties = { patternProperties: { [TEMPLATE_FIELD_PATTERN]: TemplateValue } };

/**
 * A request object that takes template fields beside its own: at most its own fields and MAX_TEMPLATE_FIELDS more (a
 * template has no more), so that the object is bounded although its keys are open to a pattern.
 */
export function withTemplateFields<T extends TProperties>(properties: T) {
  return Type.Object(properties, { ...templateFieldProperties, maxProperties: Object.keys(properties).length + MAX_TEMPLATE_FIELDS });
}
