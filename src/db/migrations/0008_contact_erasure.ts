import type { Kysely } from 'kysely';

/**
 * A contact's personal data erased on request (contacts/erase.ts): when, so that an operator can show it was done and a
 * second request finds nothing left to erase. The row stays, for the cases and tasks that name it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('erased_at', 'bigint').execute();
}
