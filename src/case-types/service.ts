import type { Selectable } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import { createCaseTemplatesRepository } from '../case-templates/repository.js';
import { createCasesRepository } from '../cases/repository.js';
import type { Store, Queryable } from '../db/store.js';
import type { CaseTypesTable } from '../db/tables.js';
import { actingUser, authorize } from '../permissions/checks.js';
import { formatWireDate } from '../wire/dates.js';
import { COMPLETED_STATUS } from '../wire/enums.js';
import { utf8Bytes } from '../wire/bytes.js';
import { ApiError } from '../wire/errors.js';
import { eitherSpelling } from '../wire/spellings.js';
import { ID_LENGTH, ID_PATTERN, newId } from '../wire/ids.js';
import { createCaseTypesRepository } from './repository.js';
import {
  CASE_STATUS_BYTES, CASE_TYPE_NAME_BYTES, type CaseTypeInfo, type CaseTypeListItem, type CreateCaseTypeInput, type ListCaseTypesInput, type UpdateCaseTypeInput,
} from './schemas.js';

/** The flow every new tenant starts with, so that cases can be created before anyone configures one. */
export const DEFAULT_CASE_TYPE = {
  typeName: 'General',
  description: 'Default case type',
  caseStatuses: ['Pending', 'Processing', COMPLETED_STATUS],
} as const;

/** A case type's flow: its statuses in order, the last one Completed. */
export function flowOf(caseType: { case_statuses: string }): string[] {
  return caseType.case_statuses.split(',');
}

/**
 * `caseStatus` as a flow: comma-separated, each status non-empty, none twice, and Completed (the status that
 * closes a case, AICC's default) last.
 */
export function parseFlow(caseStatus: string, field: string): string[] {
  const statuses = caseStatus.split(',').map((s) => s.trim());
  // In bytes of UTF-8, as status/update's status is bounded: a status it could not name is no use in a flow.
  const long = statuses.find((s) => utf8Bytes(s) > CASE_STATUS_BYTES);
  if (statuses.includes('') || long !== undefined) {
    const rule = `${field} must list statuses of 1 to ${CASE_STATUS_BYTES} bytes of UTF-8 (a Chinese character takes 3), separated by commas`;
    throw new ApiError('invalidRequest', long === undefined ? rule : `${rule}; one is ${utf8Bytes(long)} bytes`);
  }
  if (new Set(statuses).size !== statuses.length) throw new ApiError('invalidRequest', `${field} must not list a status twice`);
  if (statuses.at(-1) !== COMPLETED_STATUS) throw new ApiError('invalidRequest', `${field} must end with ${COMPLETED_STATUS}`);
  return statuses;
}

export async function createDefaultCaseType(q: Queryable, tenantId: string, creatorId: string, now: number): Promise<string> {
  const id = newId('caseType');
  await createCaseTypesRepository(q).insertCaseType({
    tenant_id: tenantId,
    id,
    type_name: DEFAULT_CASE_TYPE.typeName,
    description: DEFAULT_CASE_TYPE.description,
    status: 'Active',
    case_statuses: DEFAULT_CASE_TYPE.caseStatuses.join(','),
    is_strict_order: 0,
    creator_id: creatorId,
    created_at: now,
    last_modified_by: creatorId,
    last_modified_at: now,
  });
  return id;
}

/** The fields AICC spells two ways, each spelling with the same value (see schemas.ts). */
function spellings(row: Selectable<CaseTypesTable>) {
  return {
    contentTempalteId: row.content_template_id,
    contentTemplateId: row.content_template_id,
    isStrctOrder: row.is_strict_order === 1,
    isStrictOrder: row.is_strict_order === 1,
    tempalteId: row.template_id,
    templateId: row.template_id,
  };
}

function toListItem(row: Selectable<CaseTypesTable> & { template_name: string | null }): CaseTypeListItem {
  return {
    ...spellings(row),
    caseStatus: row.case_statuses,
    description: row.description,
    id: row.id,
    parentId: row.parent_id,
    status: row.status,
    templateName: row.template_name,
    typeName: row.type_name,
  };
}

/** The template and strict-order fields of a create or update, whichever spelling was sent (undefined: not sent). */
function spelledFields(input: CreateCaseTypeInput | UpdateCaseTypeInput) {
  return {
    isStrictOrder: eitherSpelling(input, 'isStrictOrder', 'isStrctOrder'),
    templateId: eitherSpelling(input, 'templateId', 'tempalteId'),
    contentTemplateId: eitherSpelling(input, 'contentTemplateId', 'contentTempalteId'),
  };
}

function notFound(id: string): ApiError {
  return new ApiError('recordNotFound', `case type ${id} does not exist`);
}

/** 查询工单类型列表: newest first; typeName is a case-insensitive contains. */
export async function listCaseTypes(store: Store, tenant: TenantContext, input: ListCaseTypesInput) {
  await authorize(store, tenant, 'caseType.read');
  const filters = {
    ...(input.typeName !== undefined && { typeNameContains: input.typeName }),
    ...(input.status !== undefined && { status: input.status }),
  };
  const repository = createCaseTypesRepository(store);
  const [count, rows] = await Promise.all([
    repository.countCaseTypes(tenant.tenantId, filters),
    repository.listCaseTypes(tenant.tenantId, filters, input.start, input.limit),
  ]);
  return { caseTypes: rows.map(toListItem), count };
}

/** 查询工单类型详情. */
export async function getCaseType(store: Store, tenant: TenantContext, id: string): Promise<{ caseTypeInfo: CaseTypeInfo }> {
  await authorize(store, tenant, 'caseType.read');
  const row = await createCaseTypesRepository(store).findCaseTypeWithNames(tenant.tenantId, id);
  if (!row) throw notFound(id);
  return {
    caseTypeInfo: {
      ...spellings(row),
      caseStatus: row.case_statuses,
      createdDate: formatWireDate(row.created_at, tenant.timeZone),
      creatorName: row.creator_name,
      description: row.description,
      id: row.id,
      lastModifiedDate: formatWireDate(row.last_modified_at, tenant.timeZone),
      lastModifiedName: row.last_modified_name,
      parentId: row.parent_id,
      status: row.status,
      templateName: row.template_name,
      typeName: row.type_name,
    },
  };
}

/**
 * A name already taken is a 409, as the unique constraint's own refusal is when two creates race past this check
 * (db/constraints.ts): the request is well formed, the tenant's records are what refuse it.
 */
async function requireUniqueName(q: Queryable, tenantId: string, typeName: string, exceptId?: string): Promise<void> {
  const existing = await createCaseTypesRepository(q).findCaseTypeByName(tenantId, typeName);
  if (existing && existing.id !== exceptId) throw new ApiError('conflict', `typeName ${typeName} is already used by case type ${existing.id}`);
}

/** A case type's template must be a template of the tenant (made with POST /opencase/v1/case-templates). */
async function requireTemplate(q: Queryable, tenantId: string, templateId: string | null | undefined): Promise<void> {
  if (!templateId) return;
  if (!(await createCaseTemplatesRepository(q).findTemplate(tenantId, templateId))) {
    throw new ApiError('invalidRequest', `templateId ${templateId} is not a case template of this tenant (POST /opencase/v1/case-templates makes one)`);
  }
}

async function requireParent(q: Queryable, tenantId: string, parentId: string | null | undefined, selfId?: string): Promise<void> {
  if (!parentId) return;
  if (parentId === selfId) throw new ApiError('invalidRequest', 'parentId must not be the case type itself');
  if (!(await createCaseTypesRepository(q).findCaseType(tenantId, parentId))) {
    throw new ApiError('invalidRequest', `parentId ${parentId} is not a case type of this tenant`);
  }
}

/** opencase extension: a new case type with its flow. */
export async function createCaseType(store: Store, tenant: TenantContext, input: CreateCaseTypeInput, now: number): Promise<{ caseTypeId: string }> {
  const flow = parseFlow(input.caseStatus, 'caseStatus');
  const spelled = spelledFields(input);
  await authorize(store, tenant, 'caseType.write');
  return store.transaction(async (tx) => {
    const creator = await actingUser(tx, tenant, input.creatorId, 'creatorId');
    await requireUniqueName(tx, tenant.tenantId, input.typeName);
    await requireParent(tx, tenant.tenantId, input.parentId);
    await requireTemplate(tx, tenant.tenantId, spelled.templateId);
    const caseTypeId = newId('caseType');
    await createCaseTypesRepository(tx).insertCaseType({
      tenant_id: tenant.tenantId,
      id: caseTypeId,
      type_name: input.typeName,
      description: input.description ?? null,
      status: input.status ?? 'Active',
      case_statuses: flow.join(','),
      parent_id: input.parentId ?? null,
      is_strict_order: spelled.isStrictOrder ? 1 : 0,
      template_id: spelled.templateId ?? null,
      content_template_id: spelled.contentTemplateId ?? null,
      creator_id: creator.id,
      created_at: now,
      last_modified_by: creator.id,
      last_modified_at: now,
    });
    return { caseTypeId };
  });
}

/**
 * opencase extension: changes a case type. A status that cases are in cannot leave the flow (they would be
 * stranded on a node the flow no longer has): that is a 409 naming the status. The type row is locked first (FOR
 * UPDATE), and every case write that relies on its flow or template share-locks it, so the check below sees every
 * case write that committed before it and none commits on the old flow after it (docs/semantics.md, "Lock order").
 */
export async function updateCaseType(
  store: Store, tenant: TenantContext, id: string, input: UpdateCaseTypeInput, now: number,
): Promise<void> {
  const flow = input.caseStatus !== undefined ? parseFlow(input.caseStatus, 'caseStatus') : undefined;
  const spelled = spelledFields(input);
  await authorize(store, tenant, 'caseType.write');
  await store.transaction(async (tx) => {
    const repository = createCaseTypesRepository(tx);
    const current = await repository.findCaseTypeForChange(tenant.tenantId, id);
    if (!current) throw notFound(id);
    const modifier = await actingUser(tx, tenant, input.creatorId, 'creatorId');
    if (input.typeName !== undefined) await requireUniqueName(tx, tenant.tenantId, input.typeName, id);
    await requireParent(tx, tenant.tenantId, input.parentId, id);
    if (spelled.templateId !== undefined && spelled.templateId !== current.template_id) {
      await requireTemplate(tx, tenant.tenantId, spelled.templateId);
      if (await createCaseTemplatesRepository(tx).typeHasValues(tenant.tenantId, id)) {
        throw new ApiError('conflict', `templateId cannot change: cases of case type ${id} hold values of its template's fields`);
      }
    }
    if (flow) {
      const stranded = (await createCasesRepository(tx).statusesInUse(tenant.tenantId, id)).filter((status) => !flow.includes(status));
      if (stranded.length > 0) throw new ApiError('conflict', `caseStatus must keep ${stranded.join(', ')}: cases of this type are in it`);
    }
    await repository.updateCaseType(tenant.tenantId, id, {
      ...(input.typeName !== undefined && { type_name: input.typeName }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.status !== undefined && { status: input.status }),
      ...(flow !== undefined && { case_statuses: flow.join(',') }),
      ...(spelled.isStrictOrder !== undefined && { is_strict_order: spelled.isStrictOrder ? 1 : 0 }),
      ...(spelled.templateId !== undefined && { template_id: spelled.templateId }),
      ...(spelled.contentTemplateId !== undefined && { content_template_id: spelled.contentTemplateId }),
      ...(input.parentId !== undefined && { parent_id: input.parentId }),
      last_modified_by: modifier.id,
      last_modified_at: now,
    });
  });
}

const WIRE_ID = new RegExp(ID_PATTERN);

/**
 * Refuses a case type reference that is not an id, before the schema would say only "must be a 20-character id": a
 * new user sends the type's name (`"General"`), so the refusal names the id to send, found by that name.
 */
export async function refuseCaseTypeName(store: Store, tenant: TenantContext, field: string, value: unknown): Promise<void> {
  if (typeof value !== 'string' || WIRE_ID.test(value)) return;
  // Names are at most 128 bytes: a longer value is named by its start only and looked up not at all.
  const named = value.length > 0 && utf8Bytes(value) <= CASE_TYPE_NAME_BYTES ? await createCaseTypesRepository(store).findCaseTypeByName(tenant.tenantId, value) : undefined;
  const shown = JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  const rule = `${field} must be a case type id from caseType/list`;
  throw new ApiError('invalidRequest', named
    ? `${rule} (the type named ${shown} is ${named.id})`
    : `${rule} (${ID_LENGTH} letters and digits)${value === '' ? '' : `; no case type is named ${shown}`}`);
}
