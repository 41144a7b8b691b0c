import type { Insertable } from 'kysely';
import type { Queryable } from '../db/store.js';
import type { QueuesTable } from '../db/tables.js';

export function createQueuesRepository(q: Queryable) {
  const db = q.db;
  return {
    async insertQueue(queue: Insertable<QueuesTable>): Promise<void> {
      await db.insertInto('queues').values(queue).execute();
    },

    findQueue(tenantId: string, queueId: string) {
      return db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId).where('id', '=', queueId).executeTakeFirst();
    },

    async countQueues(tenantId: string): Promise<number> {
      const row = await db.selectFrom('queues').select((eb) => eb.fn.countAll<number | string>().as('count')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    listQueues(tenantId: string, start: number, limit: number) {
      return db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').limit(limit).offset(start).execute();
    },
  };
}
