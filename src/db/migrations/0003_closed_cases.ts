import type { Kysely } from 'kysely';

/**
 * 关闭工单 (close case): a closed case is final. A column of its own, because a case at its flow's last status
 * (state Completed) may still be worked on, or moved back, until someone closes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('is_closed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
