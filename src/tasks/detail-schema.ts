import { Type, type Static } from 'typebox';
import { CaseInfo } from '../cases/schemas.js';
import { CustomerInfo } from '../contacts/schemas.js';
import { TraceItem } from '../traces/schemas.js';
import { Envelope } from '../wire/envelope.js';
import { Nullable } from '../wire/schema.js';
import { TaskInfo } from './schemas.js';

// Task detail's result lives apart from the other task schemas because it embeds cases, and case detail
// embeds tasks: this way neither schema module imports the other.

/**
 * The `result` of 查询任务详情. `caseInfos` is declared as a single Case in AICC's table but is an array in
 * its example, so it is an array here (empty when the task relates to no case); `customerInfo` nests the
 * contact twice, as the example does, and is null when the task has no contact.
 */
export const TaskDetail = Type.Object({
  caseInfos: Type.Array(CaseInfo),
  customerInfo: Nullable(CustomerInfo),
  taskInfo: TaskInfo,
  taskTrace: Type.Array(TraceItem),
});
export type TaskDetail = Static<typeof TaskDetail>;

export const TaskDetailResponse = Envelope(TaskDetail);

