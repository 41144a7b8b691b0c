import type { Insertable, Updateable } from 'kysely';
import { containsIgnoringCase } from '../db/like.js';
import { lockedForChange, lockedForReading } from '../db/database.js';
import { repository, type Queryable, type Tx } from '../db/store.js';
import type { CaseTypesTable } from '../db/tables.js';

export interface CaseTypeFilters {
  /** Matched case-insensitively, `%` and `_` literally. */
  typeNameContains?: string;
  status?: string;
}

function caseTypesQueries(q: Queryable) {
  const db = q.db;
  function withNames() {
    return db.selectFrom('case_types')
      .leftJoin('users as creator', (join) => join.onRef('creator.tenant_id', '=', 'case_types.tenant_id').onRef('creator.id', '=', 'case_types.creator_id'))
      .leftJoin('users as modifier', (join) => join.onRef('modifier.tenant_id', '=', 'case_types.tenant_id').onRef('modifier.id', '=', 'case_types.last_modified_by'))
      .leftJoin('case_templates', (join) => join.onRef('case_templates.tenant_id', '=', 'case_types.tenant_id').onRef('case_templates.id', '=', 'case_types.template_id'))
      .selectAll('case_types')
      .select(['creator.name as creator_name', 'modifier.name as last_modified_name', 'case_templates.name as template_name']);
  }

  function filtered(tenantId: string, filters: CaseTypeFilters) {
    let query = db.selectFrom('case_types').where('case_types.tenant_id', '=', tenantId);
    if (filters.typeNameContains !== undefined) {
      query = query.where(containsIgnoringCase('case_types.type_name', filters.typeNameContains));
    }
    if (filters.status !== undefined) query = query.where('case_types.status', '=', filters.status);
    return query;
  }

  return {
    async insertCaseType(caseType: Insertable<CaseTypesTable>): Promise<void> {
      await db.insertInto('case_types').values(caseType).execute();
    },

    async updateCaseType(tenantId: string, id: string, patch: Updateable<CaseTypesTable>): Promise<void> {
      await db.updateTable('case_types').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    findCaseType(tenantId: string, id: string) {
      return db.selectFrom('case_types').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },

    findCaseTypeByName(tenantId: string, typeName: string) {
      return db.selectFrom('case_types').select('id').where('tenant_id', '=', tenantId).where('type_name', '=', typeName).executeTakeFirst();
    },

    findCaseTypeWithNames(tenantId: string, id: string) {
      return withNames().where('case_types.tenant_id', '=', tenantId).where('case_types.id', '=', id).executeTakeFirst();
    },

    async countCaseTypes(tenantId: string, filters: CaseTypeFilters): Promise<number> {
      const row = await filtered(tenantId, filters).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    listCaseTypes(tenantId: string, filters: CaseTypeFilters, start: number, limit: number) {
      return filtered(tenantId, filters)
        .leftJoin('case_templates', (join) => join.onRef('case_templates.tenant_id', '=', 'case_types.tenant_id').onRef('case_templates.id', '=', 'case_types.template_id'))
        .selectAll('case_types')
        .select('case_templates.name as template_name')
        .orderBy('case_types.created_at', 'desc')
        .orderBy('case_types.id', 'desc')
        .limit(limit)
        .offset(start)
        .execute();
    },
  };
}

/** What only a change may do: locked reads, and the writes a trace goes with. */
function caseTypesChanges(tx: Tx) {
  const db = tx.db;
  return {
    /** The case type an update is about to change, locked until it commits: case writes that rely on its flow wait. */
    findCaseTypeForChange(tenantId: string, id: string) {
      return lockedForChange(tx, db.selectFrom('case_types').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)).executeTakeFirst();
    },

    /**
     * The case type a case write checks its flow (or template) against, share-locked until the write commits, so that
     * an update of the type waits for the write and the write for the update: neither commits on what the other changed.
     */
    findCaseTypeForCaseWrite(tenantId: string, id: string) {
      return lockedForReading(tx, db.selectFrom('case_types').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)).executeTakeFirst();
    },
  };
}

export const createCaseTypesRepository = repository(caseTypesQueries, caseTypesChanges);
