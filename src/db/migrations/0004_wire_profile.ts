import type { Kysely } from 'kysely';

/** Each tenant's wire profile (src/wire/profile.ts): one column per switch, each defaulting to opencase's default. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column, fallback] of [
    ['wire_case_detail_result', 'array'],
    ['wire_task_list_result', 'object'],
    ['wire_success_message', '成功'],
    ['wire_unknown_fields', 'reject'],
  ] as const) {
    await db.schema.alterTable('tenants').addColumn(column, 'text', (c) => c.notNull().defaultTo(fallback)).execute();
  }
}
