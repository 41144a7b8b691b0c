import { authorize } from '../permissions/checks.js';
import type { Selectable } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import type { Store, Queryable } from '../db/store.js';
import type { CaseTemplatesTable } from '../db/tables.js';
import { formatWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import { newId } from '../wire/ids.js';
import { createCaseTemplatesRepository } from './repository.js';
import type { CreateTemplateInput, TemplateFieldInfo, TemplateInfo, UpdateTemplateInput } from './schemas.js';
import { narrows, normalizeFields } from './values.js';

type TemplateRow = Selectable<CaseTemplatesTable>;

/** A stored template's fields: written by normalizeFields only, so read back as they were written. */
export function fieldsOf(row: Pick<TemplateRow, 'fields_json'>): TemplateFieldInfo[] {
  return JSON.parse(row.fields_json) as TemplateFieldInfo[];
}

function toTemplateInfo(row: TemplateRow, timeZone: string): TemplateInfo {
  return {
    createdDate: formatWireDate(row.created_at, timeZone),
    description: row.description,
    fields: fieldsOf(row),
    id: row.id,
    lastModifiedDate: formatWireDate(row.last_modified_at, timeZone),
    name: row.name,
  };
}

function notFound(id: string): ApiError {
  return new ApiError('recordNotFound', `case template ${id} does not exist`);
}

/** A name already taken is a 409, as the unique constraint's refusal is when two creates race past this check (db/constraints.ts). */
async function requireUniqueName(q: Queryable, tenantId: string, name: string, exceptId?: string): Promise<void> {
  const existing = await createCaseTemplatesRepository(q).findTemplateByName(tenantId, name);
  if (existing && existing.id !== exceptId) throw new ApiError('conflict', `name ${name} is already used by case template ${existing.id}`);
}

/** opencase extension: a case template, the custom fields a case type's cases carry. */
export async function createTemplate(store: Store, tenant: TenantContext, input: CreateTemplateInput, now: number): Promise<{ templateId: string }> {
  const fields = normalizeFields(input.fields);
  await authorize(store, tenant, 'template.write');
  return store.transaction(async (tx) => {
    await requireUniqueName(tx, tenant.tenantId, input.name);
    const templateId = newId('template');
    await createCaseTemplatesRepository(tx).insertTemplate({
      tenant_id: tenant.tenantId, id: templateId, name: input.name, description: input.description ?? null,
      fields_json: JSON.stringify(fields), created_at: now, last_modified_at: now,
    });
    return { templateId };
  });
}

export async function getTemplate(store: Store, tenant: TenantContext, id: string): Promise<TemplateInfo> {
  await authorize(store, tenant, 'template.read');
  const row = await createCaseTemplatesRepository(store).findTemplate(tenant.tenantId, id);
  if (!row) throw notFound(id);
  return toTemplateInfo(row, tenant.timeZone);
}

export async function listTemplates(store: Store, tenant: TenantContext, start: number, limit: number): Promise<{ count: number; templates: TemplateInfo[] }> {
  await authorize(store, tenant, 'template.read');
  const repository = createCaseTemplatesRepository(store);
  const [count, rows] = await Promise.all([repository.countTemplates(tenant.tenantId), repository.listTemplates(tenant.tenantId, start, limit)]);
  return { count, templates: rows.map((row) => toTemplateInfo(row, tenant.timeZone)) };
}

/**
 * opencase extension: changes a template. New fields, and changes that only widen a field, always apply; removing a
 * field or narrowing it (another type, a shorter maxLength, a tighter range, fewer options) is a 409 while any case
 * holds a value for it, since that value would no longer be valid. Lock order: the template row (FOR UPDATE), which
 * case writes share-lock after their case row, so each waits for the other and neither deadlocks.
 */
export async function updateTemplate(store: Store, tenant: TenantContext, id: string, input: UpdateTemplateInput, now: number): Promise<void> {
  const fields = input.fields !== undefined ? normalizeFields(input.fields) : undefined;
  await authorize(store, tenant, 'template.write');
  await store.transaction(async (tx) => {
    const repository = createCaseTemplatesRepository(tx);
    const current = await repository.findTemplateForChange(tenant.tenantId, id);
    if (!current) throw notFound(id);
    if (input.name !== undefined) await requireUniqueName(tx, tenant.tenantId, input.name, id);
    if (fields) {
      const next = new Map(fields.map((field) => [field.name, field]));
      for (const before of fieldsOf(current)) {
        if (narrows(before, next.get(before.name)) && await repository.fieldHasValues(tenant.tenantId, id, before.name)) {
          throw new ApiError('conflict', `fields: ${before.name} holds values in cases of this template; it can be widened, not removed or narrowed`);
        }
      }
    }
    await repository.updateTemplate(tenant.tenantId, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(fields !== undefined && { fields_json: JSON.stringify(fields) }),
      last_modified_at: now,
    });
  });
}
