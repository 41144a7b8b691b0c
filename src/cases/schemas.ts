import { Type, type Static } from 'typebox';
import { templateFieldProperties, withTemplateFields } from '../case-templates/schemas.js';
import { CASE_STATUS_BYTES } from '../case-types/schemas.js';
import { CustomerInfo } from '../contacts/schemas.js';
import { TaskInfo } from '../tasks/schemas.js';
import { TraceItem } from '../traces/schemas.js';
import { Utf8Text } from '../wire/bytes.js';
import { WireDate } from '../wire/dates.js';
import { Envelope } from '../wire/envelope.js';
import {
  CASE_CLASSIFICATIONS, CASE_ORIGIN_ALIASES, CASE_STATES, CASE_ORIGINS, CASE_OWNER_TYPES, CASE_PROCESS_TYPES, CASE_RESUMEN_TYPES, PRIORITIES,
  CASE_SORTS, CASE_STATE_FILTERS, CASE_VIEWS, SORT_ORDERS,
} from '../wire/enums.js';
import { OperatorId, WireId } from '../wire/ids.js';
import { alphabetical, ListStart, Nullable, StringEnum } from '../wire/schema.js';

const Text = Nullable(Type.String());

/**
 * A case as task detail's `caseInfos` items show it: the 24 fields of the seed's table 6, alphabetical,
 * with AICC's misspelling `extternalNo` kept on the wire.
 */
export const CaseInfo = Type.Object({
  attachment: Text,
  caseNo: Type.String(),
  closedDate: Text,
  contactId: Text,
  contactPhone: Text,
  createdDate: Type.String(),
  creatorId: Text,
  description: Type.String(),
  dueDate: Text,
  extternalNo: Text,
  id: Type.String(),
  isUpgraded: Type.Boolean(),
  origin: Text,
  ownerId: Text,
  parentId: Text,
  priority: Text,
  reason: Text,
  state: Type.String(),
  status: Type.String(),
  stayDate: Text,
  suspendAccumulatedTime: Nullable(Type.Integer()),
  suspendDate: Text,
  title: Text,
  type: Type.String(),
});
export type CaseInfo = Static<typeof CaseInfo>;

// Lengths as AICC's tables give them, in bytes of UTF-8 (a Chinese character is 3).
const Title = Utf8Text(128, { minLength: 1 });
const Description = Utf8Text(20000, { minLength: 1 });
const Attachment = Utf8Text(255);
const Phone = Utf8Text(20);
const Remark = Utf8Text(2000, { minLength: 1 });
const Status = Utf8Text(CASE_STATUS_BYTES, { minLength: 1 });
/** case/list's title and status filters (and cases/search's, the same filters). */
const TitleFilter = Utf8Text(128);
const StatusFilter = Utf8Text(CASE_STATUS_BYTES);
const Origin = StringEnum([...CASE_ORIGINS, ...Object.keys(CASE_ORIGIN_ALIASES)]);

/**
 * 创建工单. `isAtuoAssigned` (sic, AICC's table) or `isAutoAssigned` (a public client's spelling) is required; without
 * an owner the case is auto-assigned. That client also sends `state`, which a new case can only have as its status
 * gives it.
 */
export const CreateCaseBody = Type.Object({
  caseInfo: withTemplateFields({
    title: Title,
    description: Description,
    type: WireId,
    ownerId: Type.Optional(Nullable(WireId)),
    isAtuoAssigned: Type.Optional(Type.Boolean()),
    isAutoAssigned: Type.Optional(Type.Boolean()),
    state: Type.Optional(StringEnum(CASE_STATES)),
    priority: Type.Optional(Nullable(StringEnum(PRIORITIES))),
    origin: Type.Optional(Nullable(Origin)),
    dueDate: Type.Optional(Nullable(WireDate)),
    contactId: WireId,
    attachment: Type.Optional(Nullable(Attachment)),
    creatorId: Type.Optional(WireId),
    contactPhone: Type.Optional(Nullable(Phone)),
    beId: Type.Optional(Nullable(Utf8Text(20))),
  }),
});
export type CreateCaseInput = Static<typeof CreateCaseBody>['caseInfo'];

export const CreateCaseResponse = Envelope(Type.Object({ caseId: Type.String() }));

/** 修改工单: id, title and description required (AICC's table); other fields changed when sent, null clears. */
export const ModifyCaseBody = Type.Object({
  caseInfo: withTemplateFields({
    id: WireId,
    title: Title,
    description: Description,
    ownerId: Type.Optional(WireId),
    priority: Type.Optional(Nullable(StringEnum(PRIORITIES))),
    dueDate: Type.Optional(Nullable(WireDate)),
    contactId: Type.Optional(WireId),
    creatorId: OperatorId,
    contactPhone: Type.Optional(Nullable(Phone)),
    attachment: Type.Optional(Nullable(Attachment)),
  }),
});
export type ModifyCaseInput = Static<typeof ModifyCaseBody>['caseInfo'];

/** 分配工单. `ownerType` is on AICC's Chinese page only: optional here, `user` when absent. */
export const TransferCaseBody = Type.Object({
  id: WireId,
  ownerId: WireId,
  ownerType: Type.Optional(StringEnum(CASE_OWNER_TYPES)),
  creatorId: OperatorId,
  remark: Remark,
});
export type TransferCaseInput = Static<typeof TransferCaseBody>;

/** 处理工单: an internal note, an email or an SMS, recorded on the case (opencase sends no mail or SMS). */
export const ProcessCaseBody = Type.Object({
  caseId: WireId,
  creatorId: OperatorId,
  processInfo: Type.Object({
    type: StringEnum(CASE_PROCESS_TYPES),
    title: Title,
    description: Description,
    from: Type.Optional(Nullable(Utf8Text(20))),
    fromName: Type.Optional(Nullable(Utf8Text(80))),
    toAddress: Type.Optional(Nullable(Utf8Text(2000))),
    creatorId: Type.Optional(Nullable(WireId)),
  }),
});
export type ProcessCaseInput = Static<typeof ProcessCaseBody>;

/** 取消工单, and opencase's suspend and resume, which take the same fields. */
export const CancelCaseBody = Type.Object({ id: WireId, creatorId: OperatorId, remark: Remark });
export type CancelCaseInput = Static<typeof CancelCaseBody>;

/** 关闭工单 (path `close`, without `case/`): the key is `caseId`, as in case/process; `remark` is absent from one revision. */
export const CloseCaseBody = Type.Object({ caseId: WireId, creatorId: OperatorId, remark: Type.Optional(Remark) });
export type CloseCaseInput = Static<typeof CloseCaseBody>;

/** opencase extension: reopen a closed case, at `status` (a status of its flow before the last; the first by default). */
export const ReopenCaseBody = Type.Object({
  creatorId: Type.Optional(WireId),
  remark: Type.Optional(Remark),
  status: Type.Optional(Status),
});
export type ReopenCaseInput = Static<typeof ReopenCaseBody>;

export const CaseActionBody = Type.Object({ creatorId: Type.Optional(WireId), remark: Type.Optional(Remark) });
export type CaseActionInput = Static<typeof CaseActionBody>;

/** 修改工单状态 / 工单流转 (path `status/update`, without `case/`). */
export const UpdateCaseStatusBody = Type.Object({ id: WireId, creatorId: OperatorId, status: Status });
export type UpdateCaseStatusInput = Static<typeof UpdateCaseStatusBody>;

/** What a bulk change does to each of its cases: case/transfer, status/update or a case/modify of the priority. */
export const BULK_CASE_ACTIONS = ['assign', 'status', 'priority'] as const;
export type BulkCaseAction = (typeof BULK_CASE_ACTIONS)[number];

/** The most cases one bulk change takes: a queue page's worth, and a transaction short enough to hold their locks. */
export const MAX_BULK_CASES = 100;

/**
 * opencase extension: one change of up to 100 cases (the console's queue: select rows, then assign, move or
 * prioritize them), in one transaction, each case answered as its single call would answer. Which fields an action
 * takes is checked by the service (cases/bulk.ts bulkChangeOf): `ownerId` for assign, `status` for status,
 * `priority` for priority; `remark` is the trace's title, as case/transfer's remark is.
 */
export const BulkCaseBody = Type.Object({
  ids: Type.Array(WireId, { minItems: 1, maxItems: MAX_BULK_CASES, uniqueItems: true }),
  action: StringEnum(BULK_CASE_ACTIONS),
  ownerId: Type.Optional(WireId),
  ownerType: Type.Optional(StringEnum(CASE_OWNER_TYPES)),
  status: Type.Optional(Status),
  priority: Type.Optional(StringEnum(PRIORITIES)),
  remark: Type.Optional(Remark),
  creatorId: OperatorId,
});
export type BulkCaseInput = Static<typeof BulkCaseBody>;

/** One case of a bulk change: what its single call would have answered (`"0"` and the success message, or its error). */
export const BulkCaseItem = Type.Object({ id: Type.String(), resCode: Type.String(), resMsg: Type.String() });
export type BulkCaseItem = Static<typeof BulkCaseItem>;

/** The results in the order the ids were sent, and how many succeeded and failed. */
export const BulkCaseResult = Type.Object({
  results: Type.Array(BulkCaseItem),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
});
export type BulkCaseResult = Static<typeof BulkCaseResult>;

export const BulkCaseResponse = Envelope(BulkCaseResult);

/** case/list's priority and origin take a name or the list page's ordinal ("0".."3"). */
const ORDINALS = ['0', '1', '2', '3'] as const;

/** 查询工单列表. Only start and limit are required. */
export const ListCasesBody = withTemplateFields({
  start: ListStart,
  limit: Type.Integer({ minimum: 1, maximum: 100 }),
  title: Type.Optional(TitleFilter),
  status: Type.Optional(StatusFilter),
  priority: Type.Optional(StringEnum([...PRIORITIES, ...ORDINALS])),
  origin: Type.Optional(StringEnum([...CASE_ORIGINS, ...Object.keys(CASE_ORIGIN_ALIASES), ...ORDINALS])),
  ownerId: Type.Optional(WireId),
  type: Type.Optional(WireId),
  contactId: Type.Optional(WireId),
  contactPhone: Type.Optional(Phone),
  creatorId: Type.Optional(WireId),
  startTime: Type.Optional(WireDate),
  endTime: Type.Optional(WireDate),
  classification: Type.Optional(StringEnum(CASE_CLASSIFICATIONS)),
  queueId: Type.Optional(WireId),
  caseNo: Type.Optional(Type.String({ pattern: '^[0-9]{1,30}$' })),
  isReopen: Type.Optional(Type.Boolean()),
  isDirectResponse: Type.Optional(Type.Boolean()),
  resumenType: Type.Optional(StringEnum(CASE_RESUMEN_TYPES)),
  isExport: Type.Optional(Type.Boolean()),
});
export type ListCasesInput = Static<typeof ListCasesBody>;

/**
 * A caseList item: the case of the detail without its attachment and description, plus the list's own keys
 * (`isCanced` sic, `isSuspend`, and AppCube's dotted lookup keys), in AICC's key order.
 */
const { attachment: _attachment, description: _description, ...listedCaseFields } = CaseInfo.properties;
export const CaseListItem = Type.Object(alphabetical({
  ...listedCaseFields,
  isCanced: Type.Boolean(),
  isSuspend: Type.Boolean(),
  'type.__objectType': Type.String(),
  'type.name': Text,
  typeName: Text,
}), templateFieldProperties);
export type CaseListItem = Static<typeof CaseListItem>;

/** AICC wraps the page in a one-element array: `"result": [{"caseList": […], "count": N}]`. */
export const ListCasesResponse = Envelope(Type.Array(Type.Object({ caseList: Type.Array(CaseListItem), count: Type.Integer() })));

/**
 * opencase extension: the console's queue, which case/list cannot serve — views by ownership (a user's queues, the
 * unassigned cases), a state filter and a sort — with case/list's filters under the same names and types (template
 * fields included) and the same items. `userId` names whose view it is (a signed-in user's own; an API app's user
 * when absent). The created range has no 31-day limit here.
 */
export const SearchCasesBody = withTemplateFields({
  start: ListStart,
  limit: Type.Integer({ minimum: 1, maximum: 100 }),
  view: Type.Optional(StringEnum(CASE_VIEWS)),
  userId: Type.Optional(WireId),
  state: Type.Optional(StringEnum(CASE_STATE_FILTERS)),
  sort: Type.Optional(StringEnum(CASE_SORTS)),
  order: Type.Optional(StringEnum(SORT_ORDERS)),
  title: Type.Optional(TitleFilter),
  status: Type.Optional(StatusFilter),
  priority: Type.Optional(StringEnum(PRIORITIES)),
  origin: Type.Optional(StringEnum(CASE_ORIGINS)),
  type: Type.Optional(WireId),
  ownerId: Type.Optional(WireId),
  queueId: Type.Optional(WireId),
  contactId: Type.Optional(WireId),
  startTime: Type.Optional(WireDate),
  endTime: Type.Optional(WireDate),
});
export type SearchCasesInput = Static<typeof SearchCasesBody>;

/** One page of cases/search: the items case/list shows, and how many cases match in all (not wrapped in an array). */
export const SearchCasesResult = Type.Object({ caseList: Type.Array(CaseListItem), count: Type.Integer() });
export const SearchCasesResponse = Envelope(SearchCasesResult);

export const CaseIdParams = Type.Object({ id: WireId });

/**
 * 查询工单详情's `caseInfo`: the case as task detail shows it, plus what AICC's captured example of this call adds: the
 * creator's and the owner's names, and the AppCube platform's raw keys for the case's lookups and flags (the type's
 * object type and name, each select field's display name, the cancelled and suspended flags). opencase's select
 * fields have no display names apart from their values, so each `….name` holds the value.
 */
export const CaseDetailInfo = Type.Object(alphabetical({
  ...CaseInfo.properties,
  creatorName: Text,
  ownerName: Text,
  AICC__IsCanced__CST: Type.Boolean(),
  AICC__IsSuspend__CST: Type.Boolean(),
  'AICC__Origin__CST.name': Text,
  'AICC__Priority__CST.name': Text,
  'AICC__Reason__CST.name': Text,
  'AICC__State__CST.name': Type.String(),
  'AICC__Status__CST.name': Type.String(),
  'AICC__Type__CST.__objectType': Type.String(),
  'AICC__Type__CST.name': Text,
}), templateFieldProperties);
export type CaseDetailInfo = Static<typeof CaseDetailInfo>;

/** 查询工单详情. */
export const CaseDetail = Type.Object({
  caseInfo: CaseDetailInfo,
  caseTrace: Type.Array(TraceItem),
  customerInfo: Nullable(CustomerInfo),
  isFollower: Type.Boolean(),
  tasks: Type.Array(TaskInfo),
});
export type CaseDetail = Static<typeof CaseDetail>;

/**
 * AICC's captured example wraps the detail in a one-element array, as case/list does; its table shows the object.
 * The tenant's wire profile (`caseDetailResult`) chooses; the array is the default.
 */
export const CaseDetailResponse = Envelope(Type.Union([Type.Array(CaseDetail, { minItems: 1, maxItems: 1 }), CaseDetail], {
  description: 'A one-element array [{caseInfo, …}] as AICC\'s captured example shows (the default), or the object itself for a tenant whose wire profile sets caseDetailResult=object.',
}));

/** opencase extension: who follows a case (the caller's app user when no userId is sent). */
export const FollowBody = Type.Object({ userId: Type.Optional(WireId) });
