import { Type, type Static } from 'typebox';
import { Utf8Text } from '../wire/bytes.js';
import { WireDate } from '../wire/dates.js';
import { Envelope } from '../wire/envelope.js';
import { PRIORITIES, RELATE_TYPES, TASK_CLASSIFICATIONS, TASK_PROCESS_TYPES, TASK_STATUSES } from '../wire/enums.js';
import { OperatorId, WireId } from '../wire/ids.js';
import { alphabetical, ListStart, Nullable, StringEnum } from '../wire/schema.js';

const Text = Nullable(Type.String());

// Lengths as AICC's tables give them, in bytes of UTF-8 (a Chinese character is 3).
const Title = Utf8Text(128, { minLength: 1 });
const Description = Utf8Text(20000);
const Attachment = Utf8Text(255);
const Priority = StringEnum(PRIORITIES);
const RelateType = StringEnum(RELATE_TYPES);
const TaskStatus = StringEnum(TASK_STATUSES);

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

export const TaskIdParams = Type.Object({ id: WireId });

/** AICC's pages also list `id` as a body field of the detail call; when sent, it must match the path. */
export const TaskDetailBody = Type.Object({ id: Type.Optional(WireId) });

/** 创建任务: `{taskInfo}`; `type` and `relateId` come together. */
export const CreateTaskBody = Type.Object({
  taskInfo: Type.Object({
    title: Title,
    description: Type.Optional(Nullable(Description)),
    type: Type.Optional(Nullable(RelateType)),
    relateId: Type.Optional(Nullable(WireId)),
    ownerId: WireId,
    contactId: Type.Optional(Nullable(WireId)),
    creatorId: OperatorId,
    priority: Type.Optional(Nullable(Priority)),
    dueDate: Type.Optional(Nullable(WireDate)),
    attachment: Type.Optional(Nullable(Attachment)),
  }),
});
export type CreateTaskInput = Static<typeof CreateTaskBody>['taskInfo'];

export const CreateTaskResponse = Envelope(Type.Object({ taskId: Type.String() }));

/**
 * 修改任务: the fields sent are changed, the others kept; null clears an optional field. Owner and status
 * change through task/transfer and task/status/update, as AICC documents. `creatorId` is the operator.
 */
export const ModifyTaskBody = Type.Object({
  taskInfo: Type.Object({
    id: WireId,
    title: Type.Optional(Title),
    description: Type.Optional(Nullable(Description)),
    type: Type.Optional(Nullable(RelateType)),
    relateId: Type.Optional(Nullable(WireId)),
    contactId: Type.Optional(Nullable(WireId)),
    priority: Type.Optional(Nullable(Priority)),
    dueDate: Type.Optional(Nullable(WireDate)),
    attachment: Type.Optional(Nullable(Attachment)),
    creatorId: Type.Optional(WireId),
  }),
});
export type ModifyTaskInput = Static<typeof ModifyTaskBody>['taskInfo'];

/** 分配任务. */
export const TransferTaskBody = Type.Object({ id: WireId, ownerId: WireId, creatorId: OperatorId });
export type TransferTaskInput = Static<typeof TransferTaskBody>;

/** 修改任务状态: any status to any other ("non-strict", as AICC documents). */
export const UpdateTaskStatusBody = Type.Object({ id: WireId, creatorId: OperatorId, status: TaskStatus });
export type UpdateTaskStatusInput = Static<typeof UpdateTaskStatusBody>;

/** 处理任务: the key is `taskId` here, not `id`, as AICC documents. */
export const ProcessTaskBody = Type.Object({
  taskId: WireId,
  creatorId: OperatorId,
  processInfo: Type.Object({
    type: StringEnum(TASK_PROCESS_TYPES),
    title: Title,
    description: Utf8Text(20000, { minLength: 1 }),
    attachment: Type.Optional(Nullable(Attachment)),
  }),
});
export type ProcessTaskInput = Static<typeof ProcessTaskBody>;

/** 查询任务列表. `creatorId` is required by AICC: it is the acting user that `classification` is relative to. */
export const ListTasksBody = Type.Object({
  start: ListStart,
  limit: Type.Integer({ minimum: 1, maximum: 100 }),
  creatorId: OperatorId,
  title: Type.Optional(Utf8Text(128)),
  status: Type.Optional(TaskStatus),
  priority: Type.Optional(Priority),
  ownerId: Type.Optional(WireId),
  type: Type.Optional(RelateType),
  relateId: Type.Optional(WireId),
  classification: Type.Optional(StringEnum(TASK_CLASSIFICATIONS)),
  contactId: Type.Optional(WireId),
  startTime: Type.Optional(WireDate),
  endTime: Type.Optional(WireDate),
});
export type ListTasksInput = Static<typeof ListTasksBody>;

/** A `taskList` item: task detail's `taskInfo` with the id under `taskId`, as the list page names it. */
const { id: _id, ...listedTaskFields } = TaskInfo.properties;
export const TaskListItem = Type.Object(alphabetical({ ...listedTaskFields, taskId: Type.String() }));
export type TaskListItem = Static<typeof TaskListItem>;

export const TaskListPage = Type.Object({ count: Type.Integer(), taskList: Type.Array(TaskListItem) });

/** 查询任务列表's reply as opencase sends it by default: `result` an object (AICC shows no example of it). */
export const ListTasksResponse = Envelope(TaskListPage);

/** The same page wrapped in a one-element array, as case/list's is: the wire profile's `taskListResult=array`. */
export const ListTasksArrayResponse = Envelope(Type.Array(TaskListPage, { minItems: 1, maxItems: 1 }));

/** What the route documents: either shape, by the tenant's wire profile. */
export const ListTasksEitherResponse = Envelope(Type.Union([TaskListPage, Type.Array(TaskListPage, { minItems: 1, maxItems: 1 })], {
  description: 'An object {count, taskList} (the default: AICC shows no example), or a one-element array of it for a tenant whose wire profile sets taskListResult=array.',
}));
