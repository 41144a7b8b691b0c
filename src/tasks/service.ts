import type { Selectable } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import { createCasesRepository } from '../cases/repository.js';
import { toCaseInfo } from '../cases/service.js';
import type { CaseInfo } from '../cases/schemas.js';
import { loadCustomerInfo } from '../contacts/service.js';
import type { Db } from '../db/database.js';
import type { TasksTable } from '../db/tables.js';
import { formatWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import { formatSerialNumber } from '../wire/numbers.js';
import { createTasksRepository } from './repository.js';
import type { TaskDetail, TaskInfo } from './schemas.js';

/** The only association type AICC documents for a task. */
export const RELATE_TYPE_CASE = 'Case';

function toTaskInfo(row: Selectable<TasksTable> & { owner_name: string | null }, timeZone: string): TaskInfo {
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

/** 查询任务详情: the task, its history, the case it belongs to and its contact, all within the caller's tenant. */
export async function getTaskDetail(db: Db, tenant: TenantContext, taskId: string): Promise<TaskDetail> {
  const tasks = createTasksRepository(db);
  const task = await tasks.findTaskWithOwnerName(tenant.tenantId, taskId);
  if (!task) throw new ApiError('recordNotFound', `task ${taskId} does not exist`);

  const [traces, relatedCase, customerInfo] = await Promise.all([
    tasks.findTraces(tenant.tenantId, taskId),
    task.relate_type === RELATE_TYPE_CASE && task.relate_id
      ? createCasesRepository(db).findCase(tenant.tenantId, task.relate_id)
      : undefined,
    loadCustomerInfo(db, tenant.tenantId, task.contact_id, tenant.timeZone),
  ]);

  const caseInfos: CaseInfo[] = relatedCase ? [toCaseInfo(relatedCase, tenant.timeZone)] : [];
  return {
    caseInfos,
    customerInfo,
    taskInfo: toTaskInfo(task, tenant.timeZone),
    taskTrace: traces.map((trace) => ({
      creatorId: trace.creator_id,
      creatorName: trace.creator_name,
      description: trace.description,
      relatedId: trace.related_id,
      title: trace.title,
      type: trace.type,
    })),
  };
}
