import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { TasksTable, TaskTracesTable } from '../db/tables.js';

export function createTasksRepository(db: Db) {
  return {
    async insertTask(task: Insertable<TasksTable>): Promise<void> {
      await db.insertInto('tasks').values(task).execute();
    },

    async insertTrace(trace: Insertable<TaskTracesTable>): Promise<void> {
      await db.insertInto('task_traces').values(trace).execute();
    },

    /** The task with its owner's current name (a left join: an owner removed later leaves the task readable). */
    findTaskWithOwnerName(tenantId: string, taskId: string) {
      return db.selectFrom('tasks')
        .leftJoin('users as owner', (join) => join
          .onRef('owner.tenant_id', '=', 'tasks.tenant_id')
          .onRef('owner.id', '=', 'tasks.owner_id'))
        .selectAll('tasks')
        .select('owner.name as owner_name')
        .where('tasks.tenant_id', '=', tenantId)
        .where('tasks.id', '=', taskId)
        .executeTakeFirst();
    },

    /** A task's history, oldest first. */
    findTraces(tenantId: string, taskId: string) {
      return db.selectFrom('task_traces')
        .select(['creator_id', 'creator_name', 'description', 'related_id', 'title', 'type'])
        .where('tenant_id', '=', tenantId)
        .where('task_id', '=', taskId)
        .orderBy('position')
        .execute();
    },
  };
}

export type TasksRepository = ReturnType<typeof createTasksRepository>;
