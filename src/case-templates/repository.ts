import type { Insertable, Updateable } from 'kysely';
import { lockedForChange, lockedForReading } from '../db/database.js';
import { repository, type Queryable, type Tx } from '../db/store.js';
import type { CaseFieldValuesTable, CaseTemplatesTable } from '../db/tables.js';

function caseTemplatesQueries(q: Queryable) {
  const db = q.db;
  return {
    async insertTemplate(template: Insertable<CaseTemplatesTable>): Promise<void> {
      await db.insertInto('case_templates').values(template).execute();
    },

    async updateTemplate(tenantId: string, id: string, patch: Updateable<CaseTemplatesTable>): Promise<void> {
      await db.updateTable('case_templates').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    findTemplate(tenantId: string, id: string) {
      return db.selectFrom('case_templates').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },

    findTemplateByName(tenantId: string, name: string) {
      return db.selectFrom('case_templates').select('id').where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();
    },

    /** Every template of the tenant: case/list resolves a filter's field among them. */
    allTemplates(tenantId: string) {
      return db.selectFrom('case_templates').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    },

    async countTemplates(tenantId: string): Promise<number> {
      const row = await db.selectFrom('case_templates').select((eb) => eb.fn.countAll<number | string>().as('count')).where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Newest first, then by id, as every list. */
    listTemplates(tenantId: string, start: number, limit: number) {
      return db.selectFrom('case_templates').selectAll().where('tenant_id', '=', tenantId)
        .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(start).execute();
    },

    /** Whether any case whose type uses the template holds a value for the field. */
    async fieldHasValues(tenantId: string, templateId: string, field: string): Promise<boolean> {
      const row = await db.selectFrom('case_field_values')
        .innerJoin('cases', (join) => join.onRef('cases.tenant_id', '=', 'case_field_values.tenant_id').onRef('cases.id', '=', 'case_field_values.case_id'))
        .innerJoin('case_types', (join) => join.onRef('case_types.tenant_id', '=', 'cases.tenant_id').onRef('case_types.id', '=', 'cases.type_id'))
        .select('case_field_values.case_id')
        .where('case_field_values.tenant_id', '=', tenantId)
        .where('case_field_values.field', '=', field)
        .where('case_types.template_id', '=', templateId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Whether any case of the type holds a template value: its template may not change then. */
    async typeHasValues(tenantId: string, typeId: string): Promise<boolean> {
      const row = await db.selectFrom('case_field_values')
        .innerJoin('cases', (join) => join.onRef('cases.tenant_id', '=', 'case_field_values.tenant_id').onRef('cases.id', '=', 'case_field_values.case_id'))
        .select('case_field_values.case_id')
        .where('case_field_values.tenant_id', '=', tenantId)
        .where('cases.type_id', '=', typeId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The values the cases hold, for the cases given (a detail, or a page of a list). */
    valuesOf(tenantId: string, caseIds: readonly string[]) {
      if (caseIds.length === 0) return Promise.resolve([]);
      return db.selectFrom('case_field_values').select(['case_id', 'field', 'value'])
        .where('tenant_id', '=', tenantId).where('case_id', 'in', caseIds).execute();
    },

    async upsertValues(rows: Array<Insertable<CaseFieldValuesTable>>): Promise<void> {
      if (rows.length === 0) return;
      await db.insertInto('case_field_values').values(rows)
        .onConflict((oc) => oc.columns(['tenant_id', 'case_id', 'field']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
    },

    async deleteValues(tenantId: string, caseId: string, fields: readonly string[]): Promise<void> {
      if (fields.length === 0) return;
      await db.deleteFrom('case_field_values').where('tenant_id', '=', tenantId).where('case_id', '=', caseId).where('field', 'in', fields).execute();
    },
  };
}

/** What only a change may do: locked reads, and the writes a trace goes with. */
function caseTemplatesChanges(tx: Tx) {
  const db = tx.db;
  return {
    /** The template a change is about to replace, locked against case writes that rely on it (see lockedForReading). */
    findTemplateForChange(tenantId: string, id: string) {
      return lockedForChange(tx, db.selectFrom('case_templates').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)).executeTakeFirst();
    },

    /** The template a case write validates against, share-locked until it commits. */
    findTemplateForWrite(tenantId: string, id: string) {
      return lockedForReading(tx, db.selectFrom('case_templates').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)).executeTakeFirst();
    },
  };
}

export const createCaseTemplatesRepository = repository(caseTemplatesQueries, caseTemplatesChanges);
