import { Type, type Static } from 'typebox';
import { CaseInfo } from '../cases/schemas.js';
import { CustomerInfo } from '../contacts/schemas.js';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { Nullable } from '../wire/schema.js';

const Text = Nullable(Type.String());

/** Task detail's `taskInfo`: the 18 fields of the seed's table 4, alphabetical as in AICC's example. */
export const TaskInfo = Type.Object({
  attachment: Text,
  closedDate: Text,
  contactId: Text,
  createdDate: Type.String(),
  creatorId: Type.String(),
  creatorName: Type.String(),
  description: Text,
  dueDate: Text,
  id: Type.String(),
  ownerId: Type.String(),
  ownerName: Text,
  priority: Text,
  relateId: Text,
  status: Type.String(),
  stayDate: Text,
  taskNo: Type.String(),
  title: Type.String(),
  type: Text,
});
export type TaskInfo = Static<typeof TaskInfo>;

/** One `taskTrace` item: exactly the six keys of the seed's table 5. */
export const TaskTraceItem = Type.Object({
  creatorId: Type.String(),
  creatorName: Type.String(),
  description: Text,
  relatedId: Text,
  title: Text,
  type: Type.String(),
});
export type TaskTraceItem = Static<typeof TaskTraceItem>;

/**
 * The `result` of 查询任务详情. `caseInfos` is declared as a single Case in AICC's table but is an array in
 * its example, so it is an array here (empty when the task relates to no case); `customerInfo` nests the
 * contact twice, as the example does, and is null when the task has no contact.
 */
export const TaskDetail = Type.Object({
  caseInfos: Type.Array(CaseInfo),
  customerInfo: Nullable(CustomerInfo),
  taskInfo: TaskInfo,
  taskTrace: Type.Array(TaskTraceItem),
});
export type TaskDetail = Static<typeof TaskDetail>;

export const TaskDetailResponse = Envelope(TaskDetail);

export const TaskIdParams = Type.Object({ id: WireId });

/** AICC's pages also list `id` as a body field of the detail call; when sent, it must match the path. */
export const TaskDetailBody = Type.Object({ id: Type.Optional(WireId) });
