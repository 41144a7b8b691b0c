import type { Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { TasksTable } from '../db/tables.js';
import type { TaskTraceType } from '../wire/enums.js';
import { newId } from '../wire/ids.js';
import { createTasksRepository } from './repository.js';

/** One field a change altered, in wire names and wire values (dates as the tenant reads them). */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

/** "title: "a" → "b"; dueDate: null → "2023-07-08 00:00:00"": the trace's human-readable description. */
export function describeChanges(changes: FieldChange[]): string {
  return changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ');
}

export interface TaskChange {
  type: TaskTraceType;
  operator: { id: string; name: string };
  patch: Updateable<TasksTable>;
  changes: FieldChange[];
  title?: string | null;
  description?: string | null;
  attachment?: string | null;
}

/**
 * Writes a change to a task and its trace, in the caller's transaction: both land or neither does. The trace
 * records who (id and name as of now), when, and what changed.
 */
export async function recordTaskChange(trx: Db, tenantId: string, taskId: string, change: TaskChange, now: number): Promise<void> {
  const tasks = createTasksRepository(trx);
  const position = await tasks.applyChange(tenantId, taskId, { ...change.patch, last_modified_at: now });
  await tasks.insertTrace({
    tenant_id: tenantId,
    id: newId('trace'),
    task_id: taskId,
    position,
    type: change.type,
    creator_id: change.operator.id,
    creator_name: change.operator.name,
    related_id: null,
    title: change.title ?? null,
    description: change.description !== undefined ? change.description : describeChanges(change.changes),
    attachment: change.attachment ?? null,
    changes_json: change.changes.length > 0 ? JSON.stringify(change.changes) : null,
    created_at: now,
  });
}
