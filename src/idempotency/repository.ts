import type { ExpressionBuilder, Insertable } from 'kysely';
import { lockedForChange } from '../db/database.js';
import { repository, type Queryable, type Tx } from '../db/store.js';
import { deleteExpiredRows } from '../db/sweep.js';
import type { Database, IdempotencyKeysTable } from '../db/tables.js';

/** A key's place: the tenant, the key the client sent, and the route it sent it to. */
export interface KeyPlace {
  tenantId: string;
  key: string;
  route: string;
}

/** A reply as it was sent, to be sent again byte for byte. */
export interface KeptReply {
  status: number;
  type: string | null;
  partial: string | null;
  body: string;
}

/** Every query of a key changes or locks it: none runs outside a change. */
function idempotencyQueries(_q: Queryable) {
  return {};
}

function idempotencyChanges(tx: Tx) {
  const db = tx.db;
  /** The one row of a key's place. */
  const atPlace = (place: KeyPlace) => (eb: ExpressionBuilder<Database, 'idempotency_keys'>) =>
    eb.and({ tenant_id: place.tenantId, key: place.key, route: place.route });
  return {
    findKeyForChange(place: KeyPlace) {
      return lockedForChange(tx, db.selectFrom('idempotency_keys').selectAll().where(atPlace(place))).executeTakeFirst();
    },

    /** A new claim; false when a concurrent claim of the same key committed first (PostgreSQL waits for it, then skips). */
    async insertKey(row: Insertable<IdempotencyKeysTable>): Promise<boolean> {
      const inserted = await db.insertInto('idempotency_keys').values(row)
        .onConflict((oc) => oc.columns(['tenant_id', 'key', 'route']).doNothing()).returning('key').executeTakeFirst();
      return inserted !== undefined;
    },

    /** Claims an expired or abandoned key anew, for this request. */
    async reclaimKey(place: KeyPlace, requestHash: string, now: number, expiresAt: number): Promise<void> {
      await db.updateTable('idempotency_keys')
        .set({ request_hash: requestHash, state: 'pending', reply_status: null, reply_type: null, reply_partial: null, reply_body: null, claimed_at: now, expires_at: expiresAt })
        .where(atPlace(place))
        .execute();
    },

    /** In the work's own transaction: its change committed (db/request-commit.ts). */
    async markCommitted(place: KeyPlace): Promise<void> {
      await db.updateTable('idempotency_keys').set({ state: 'committed' }).where(atPlace(place)).where('state', '=', 'pending').execute();
    },

    /** Keeps the reply of a claim still held; false when the claim is gone (taken over, or expired and deleted). */
    async keepReply(place: KeyPlace, reply: KeptReply): Promise<boolean> {
      const rows = await db.updateTable('idempotency_keys')
        .set({ state: 'done', reply_status: reply.status, reply_type: reply.type, reply_partial: reply.partial, reply_body: reply.body })
        .where(atPlace(place)).where('state', 'in', ['pending', 'committed'])
        .returning('key').execute();
      return rows.length > 0;
    },

    /** Gives a claim up when its work did not commit (a 5xx, a 429): the next call with the key does the work. */
    async releaseUncommitted(place: KeyPlace): Promise<boolean> {
      const rows = await db.deleteFrom('idempotency_keys').where(atPlace(place)).where('state', '=', 'pending').returning('key').execute();
      return rows.length > 0;
    },

    /** A few keys past their 24 hours, any tenant's (idempotency_keys_expiry_idx): each claim sweeps some. */
    async deleteExpired(now: number): Promise<void> {
      await deleteExpiredRows(db, 'idempotency_keys', now);
    },
  };
}

export const createIdempotencyRepository = repository(idempotencyQueries, idempotencyChanges);
