import { CHANGE_SEQUENCE } from '../db/counters.js';
import type { Store } from '../db/store.js';

/**
 * The tenant's change sequence as committed, read from the database (0 before its first change): where a stream
 * "from now" starts. Not the token's number, which a process that serves from its change signal may have checked
 * a moment ago: everything committed up to this read has a number at most this, and everything after it a higher one.
 */
export async function committedChangeSeq(store: Store, tenantId: string): Promise<number> {
  const row = await store.db.selectFrom('tenant_counters').select('value')
    .where('tenant_id', '=', tenantId).where('name', '=', CHANGE_SEQUENCE).executeTakeFirst();
  return row ? Number(row.value) : 0;
}
