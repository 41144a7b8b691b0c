import { createCaseTemplatesRepository } from '../case-templates/repository.js';
import { createCaseTypesRepository } from '../case-types/repository.js';
import type { TemplateFieldInfo, TemplateValue } from '../case-templates/schemas.js';
import { fieldsOf } from '../case-templates/service.js';
import { canonicalValue, templateKeysOf, wireValue } from '../case-templates/values.js';
import type { Queryable, Tx } from '../db/store.js';
import type { FieldChange } from '../traces/record.js';
import { formatWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import { closestField } from '../wire/unknown-fields.js';

/** A case type's template as a case write or read needs it. */
export interface CaseTemplate {
  id: string;
  name: string;
  fields: TemplateFieldInfo[];
}

/** A stored template as case writes and reads use it. */
function toCaseTemplate(row: { id: string; name: string; fields_json: string }): CaseTemplate {
  return { id: row.id, name: row.name, fields: fieldsOf(row) };
}

/** The template of a case type (null: the type has none). */
export async function templateOfType(q: Queryable, tenantId: string, templateId: string | null): Promise<CaseTemplate | null> {
  if (!templateId) return null;
  const row = await createCaseTemplatesRepository(q).findTemplate(tenantId, templateId);
  return row ? toCaseTemplate(row) : null;
}

/** The template of a case type that a write relies on, share-locked until the write commits (null: the type has none). */
export async function templateForWrite(tx: Tx, tenantId: string, templateId: string | null): Promise<CaseTemplate | null> {
  if (!templateId) return null;
  const row = await createCaseTemplatesRepository(tx).findTemplateForWrite(tenantId, templateId);
  return row ? toCaseTemplate(row) : null;
}

/** The template fields a body object carries, by name (its `…__CST` keys). */
export function sentTemplateValues(object: object): Map<string, TemplateValue> {
  const record = object as Record<string, TemplateValue>;
  return new Map(templateKeysOf(object).map((key) => [key, record[key] ?? null]));
}

/**
 * The template values a case create or modify sends, checked against its type's template and made canonical (null:
 * clear the field): each must be a field of the template, of its type, within its bounds; a create must give every
 * required field, a modify may not clear one. 400s name the field as the body does (`caseInfo.AICC__x__CST`).
 */
export function checkTemplateValues(
  template: CaseTemplate | null, sent: Map<string, TemplateValue>, timeZone: string, options: { creating: boolean; typeId: string },
): Map<string, string | null> {
  const checked = new Map<string, string | null>();
  const fields = new Map((template?.fields ?? []).map((field) => [field.name, field]));
  for (const [name, value] of sent) {
    const field = fields.get(name);
    if (!field) {
      if (!template) throw new ApiError('invalidRequest', `unknown field caseInfo.${name}: case type ${options.typeId} has no template, so its cases take no template fields`);
      const meant = closestField(name, [...fields.keys()]);
      throw new ApiError('invalidRequest', `unknown field caseInfo.${name}: not a field of template ${template.name}${meant ? ` (did you mean caseInfo.${meant}?)` : ` (its fields: ${[...fields.keys()].join(', ')})`}`);
    }
    const canonical = canonicalValue(field, value, timeZone, `caseInfo.${name}`);
    if (canonical === null && field.required && !options.creating) {
      throw new ApiError('invalidRequest', `caseInfo.${name} is required by template ${template?.name ?? ''}: it cannot be cleared`);
    }
    checked.set(name, canonical);
  }
  if (options.creating) {
    const missing = [...fields.values()].filter((field) => field.required && (checked.get(field.name) ?? null) === null).map((field) => `caseInfo.${field.name}`);
    if (missing.length > 0) throw new ApiError('invalidRequest', `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required by template ${template?.name ?? ''}`);
  }
  return checked;
}

/** A canonical value as a trace records it: the wire's text (a date as the tenant reads it). */
function traceText(field: TemplateFieldInfo, canonical: string | null, timeZone: string): string | null {
  if (canonical === null) return null;
  return field.type === 'date' ? formatWireDate(Number(canonical), timeZone) : canonical;
}

/**
 * Writes the values of a create or modify in the caller's transaction and returns what changed for the trace:
 * set fields upserted, cleared ones deleted, unchanged ones left alone.
 */
export async function writeTemplateValues(
  tx: Tx, tenantId: string, caseId: string, template: CaseTemplate | null, checked: Map<string, string | null>, timeZone: string,
): Promise<FieldChange[]> {
  if (!template || checked.size === 0) return [];
  const repository = createCaseTemplatesRepository(tx);
  const current = new Map((await repository.valuesOf(tenantId, [caseId])).map((row) => [row.field, row.value]));
  const fields = new Map(template.fields.map((field) => [field.name, field]));
  const changes: FieldChange[] = [];
  const upserts: Array<{ tenant_id: string; case_id: string; field: string; value: string }> = [];
  const cleared: string[] = [];
  for (const [name, next] of checked) {
    const before = current.get(name) ?? null;
    const field = fields.get(name);
    if (next === before || !field) continue;
    changes.push({ field: name, from: traceText(field, before, timeZone), to: traceText(field, next, timeZone) });
    if (next === null) cleared.push(name);
    else upserts.push({ tenant_id: tenantId, case_id: caseId, field: name, value: next });
  }
  await repository.upsertValues(upserts);
  await repository.deleteValues(tenantId, caseId, cleared);
  return changes;
}

/**
 * The template fields of each case, as case detail and case/list show them: every field of its type's template, in
 * the template's order, with its value or null when unset.
 */
export async function templateFieldsOfCases(
  q: Queryable, tenantId: string, cases: ReadonlyArray<{ id: string; template: CaseTemplate | null }>, timeZone: string,
): Promise<Map<string, Record<string, TemplateValue>>> {
  const withTemplate = cases.filter((item) => item.template !== null);
  const stored = await createCaseTemplatesRepository(q).valuesOf(tenantId, withTemplate.map((item) => item.id));
  const byCase = new Map<string, Map<string, string>>();
  for (const row of stored) {
    let values = byCase.get(row.case_id);
    if (!values) byCase.set(row.case_id, (values = new Map()));
    values.set(row.field, row.value);
  }
  const result = new Map<string, Record<string, TemplateValue>>();
  for (const item of withTemplate) {
    const values = byCase.get(item.id);
    result.set(item.id, Object.fromEntries((item.template?.fields ?? []).map((field) => {
      const value = values?.get(field.name);
      return [field.name, value === undefined ? null : wireValue(field, value, timeZone)];
    })));
  }
  return result;
}

/** Every template of the tenant (a list's page may span types; templates are few, bounded by what admins make). */
export async function templatesOfTenant(q: Queryable, tenantId: string): Promise<CaseTemplate[]> {
  return (await createCaseTemplatesRepository(q).allTemplates(tenantId)).map(toCaseTemplate);
}

/**
 * case/list's template filters (`"AICC__x__CST": value` beside the documented filters) as canonical values: the field
 * is looked up in the filtered type's template, or in any of the tenant's when no `type` is given; a name no template
 * has is a 400 naming the closest one.
 */
export async function templateFilters(
  q: Queryable, tenant: { tenantId: string; timeZone: string }, input: object & { type?: string }, call = 'case/list',
): Promise<Array<{ field: string; value: string }>> {
  const sent = sentTemplateValues(input);
  if (sent.size === 0) return [];
  let candidates: CaseTemplate[];
  if (input.type !== undefined) {
    const typeRow = await createCaseTypesRepository(q).findCaseType(tenant.tenantId, input.type);
    const template = await templateOfType(q, tenant.tenantId, typeRow?.template_id ?? null);
    candidates = template ? [template] : [];
  } else {
    candidates = await templatesOfTenant(q, tenant.tenantId);
  }
  const known = candidates.flatMap((template) => template.fields);
  return [...sent].map(([name, value]) => {
    const field = known.find((candidate) => candidate.name === name);
    if (!field) {
      const meant = closestField(name, known.map((candidate) => candidate.name));
      const where = input.type !== undefined ? `the template of case type ${input.type}` : 'any case template of this tenant';
      throw new ApiError('invalidRequest', `unknown field ${name} in ${call}: not a field of ${where}${meant ? ` (did you mean ${meant}?)` : ''}`);
    }
    if (value === null) throw new ApiError('invalidRequest', `${name} must be a value to filter on, not null`);
    return { field: name, value: canonicalValue(field, value, tenant.timeZone, name) ?? '' };
  });
}
