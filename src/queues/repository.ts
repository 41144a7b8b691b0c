import type { Insertable } from 'kysely';
import type { Queryable } from '../db/store.js';
import type { QueueMembersTable, QueuesTable } from '../db/tables.js';

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

    async isMember(tenantId: string, queueId: string, userId: string): Promise<boolean> {
      const row = await db.selectFrom('queue_members').select('user_id')
        .where('tenant_id', '=', tenantId).where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
      return row !== undefined;
    },

    /** Adds a member; false when it was one already. */
    async addMember(member: Insertable<QueueMembersTable>): Promise<boolean> {
      const rows = await db.insertInto('queue_members').values(member)
        .onConflict((oc) => oc.columns(['tenant_id', 'queue_id', 'user_id']).doNothing()).returning('user_id').execute();
      return rows.length > 0;
    },

    async removeMember(tenantId: string, queueId: string, userId: string): Promise<boolean> {
      const rows = await db.deleteFrom('queue_members')
        .where('tenant_id', '=', tenantId).where('queue_id', '=', queueId).where('user_id', '=', userId).returning('user_id').execute();
      return rows.length > 0;
    },

    /** A queue's members, by user id, with their names. */
    listMembers(tenantId: string, queueId: string) {
      return db.selectFrom('queue_members')
        .innerJoin('users', (join) => join.onRef('users.tenant_id', '=', 'queue_members.tenant_id').onRef('users.id', '=', 'queue_members.user_id'))
        .select(['users.id', 'users.name'])
        .where('queue_members.tenant_id', '=', tenantId).where('queue_members.queue_id', '=', queueId)
        .orderBy('users.id').execute();
    },
  };
}
