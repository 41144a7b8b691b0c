import type { Updateable } from 'kysely';
import type { Tx } from '../db/store.js';
import type { TasksTable } from '../db/tables.js';
import { insertTrace } from '../traces/insert.js';
import { traceRow, type TraceInput } from '../traces/record.js';
import type { TaskTraceType } from '../wire/enums.js';
import { createTasksRepository } from './repository.js';

export interface TaskTrace extends TraceInput {
  type: TaskTraceType;
}

/** Writes a task's trace at a given position of its history, in the caller's transaction. */
export async function writeTaskTrace(tx: Tx, tenantId: string, taskId: string, position: number, trace: TaskTrace, now: number): Promise<void> {
  await insertTrace(tx, { ...traceRow(tenantId, position, trace, now), task_id: taskId });
}

/**
 * Applies a change to a task and writes its trace, in the caller's transaction: both land or neither does.
 */
export async function recordTaskChange(
  tx: Tx, tenantId: string, taskId: string, patch: Updateable<TasksTable>, trace: TaskTrace, now: number,
): Promise<void> {
  const position = await createTasksRepository(tx).applyChange(tenantId, taskId, { ...patch, last_modified_at: now });
  await writeTaskTrace(tx, tenantId, taskId, position, trace, now);
}
