import type { Kysely } from 'kysely';

/**
 * Case templates (a case type's custom fields, `<Namespace>__<field>__CST`) and the values cases hold for them: one
 * row per case and field, so that case/list can filter on a field by equality through an index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('case_templates')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // The fields in order, as TemplateFieldInfo objects: read whole with the template, never queried by SQL.
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_templates_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('case_templates_name_unique', ['tenant_id', 'name'])
    .execute();

  await db.schema.createTable('case_field_values')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    // The value in a canonical text: the text or option itself, a number's shortest form, true/false, a date's instant.
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_field_values_pk', ['tenant_id', 'case_id', 'field'])
    .execute();
  // case/list's equality filter: the cases holding a value, read from the index alone.
  await db.schema.createIndex('case_field_values_lookup_idx').on('case_field_values').columns(['tenant_id', 'field', 'value', 'case_id']).execute();
}
