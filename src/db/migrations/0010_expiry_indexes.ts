import type { Kysely } from 'kysely';

/**
 * Expired sessions and set-password links are deleted a few at a time as new ones are made (sessions/service.ts,
 * users/service.ts; API apps' tokens already had access_tokens_expiry_idx): each sweep reads the oldest by these
 * indexes. Before, they were never deleted, and the tables grew by every sign-in for good.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('sessions_expiry_idx').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('password_links_expiry_idx').on('password_links').column('expires_at').execute();
}
