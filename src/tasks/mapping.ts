import type { Selectable } from 'kysely';
import type { TasksTable } from '../db/tables.js';
import { formatWireDate } from '../wire/dates.js';
import { formatSerialNumber } from '../wire/numbers.js';
import type { TaskInfo, TaskListItem } from './schemas.js';

/** A task row with its owner's current name, as the task queries select it. */
export type TaskRow = Selectable<TasksTable> & { owner_name: string | null };

export function toTaskInfo(row: TaskRow, timeZone: string): TaskInfo {
  return {
    attachment: row.attachment,
    closedDate: formatWireDate(row.closed_at, timeZone),
    contactId: row.contact_id,
    createdDate: formatWireDate(row.created_at, timeZone),
    creatorId: row.creator_id,
    creatorName: row.creator_name,
    description: row.description,
    dueDate: formatWireDate(row.due_at, timeZone),
    id: row.id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    priority: row.priority,
    relateId: row.relate_id,
    status: row.status,
    stayDate: formatWireDate(row.stay_at, timeZone),
    taskNo: formatSerialNumber(row.task_no),
    title: row.title,
    type: row.relate_type,
  };
}

export function toTaskListItem(row: TaskRow, timeZone: string): TaskListItem {
  const { id, ...info } = toTaskInfo(row, timeZone);
  return { ...info, taskId: id };
}

