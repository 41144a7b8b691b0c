import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { QueuesTable } from '../db/tables.js';

export function createQueuesRepository(db: Db) {
  return {
    async insertQueue(queue: Insertable<QueuesTable>): Promise<void> {
      await db.insertInto('queues').values(queue).execute();
    },

    findQueue(tenantId: string, queueId: string) {
      return db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId).where('id', '=', queueId).executeTakeFirst();
    },

    listQueues(tenantId: string) {
      return db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    },
  };
}
