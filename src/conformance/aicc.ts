/**
 * AICC Case 2.0's wire objects as its pages give them (the page ids are in each name). Where a page's table and its
 * captured example disagree, both readings are accepted (`spelledEither`, or a result that is an object or a
 * one-element array) and the recorded profile says which one the server took.
 */
import { anything, boolean, formatted, list, nullable, number, object, optional, spelledEither, text } from './shape.js';

export const PRIORITIES = ['Critical', 'High', 'Medium', 'Low'] as const;
export const TASK_STATUSES = ['Completed', 'Pending', 'Processing'] as const;

const id = formatted('id');
const maybeId = nullable(id);
const datetime = nullable(formatted('datetime'));
const maybeText = nullable(text());

/** cec_07_0260: the token reply, not enveloped. */
export const TOKEN_REPLY = object({ access_token: text(), expires_in: number, token_type: text() });

/**
 * A case as the task detail's Table 6 lists it (24 fields), the keys of the founding example's `caseInfos` item.
 * `priority` may be "" (case list example); origin's values are the detail page's.
 */
const CASE_FIELDS = {
  attachment: maybeText,
  caseNo: formatted('number30'),
  closedDate: datetime,
  contactId: maybeId,
  contactPhone: maybeText,
  createdDate: formatted('datetime'),
  creatorId: maybeId,
  description: maybeText,
  dueDate: datetime,
  extternalNo: maybeText,
  id,
  isUpgraded: boolean,
  origin: nullable(text(['Voice', 'Whatsapp', 'webchat', 'Email', ''])),
  ownerId: maybeId,
  parentId: maybeId,
  priority: nullable(text([...PRIORITIES, ''])),
  reason: maybeText,
  state: text(['Completed', 'Pending', 'Processing']),
  status: text(),
  stayDate: maybeText,
  suspendAccumulatedTime: nullable(number),
  suspendDate: datetime,
  title: maybeText,
  type: id,
};

/** cec_07_0280 Table 6: an associated case, exactly the example's keys. */
export const TASK_DETAIL_CASE = object(CASE_FIELDS);

/** The contact of the founding example (`customerInfo.customerInfo`): its keys, its address and organization. */
const ADDRESS = object({
  addressLine1: maybeText, addressLine2: maybeText, addressLine3: maybeText, addressLine4: maybeText, addressLine5: maybeText,
  addtionalAddress: maybeText, area: maybeText, block: maybeText, buildingNo: maybeText, city: maybeText, country: maybeText,
  defaultBillingAddress: nullable(boolean), defaultShippingAddress: nullable(boolean), firstName: maybeText, id, label: maybeText,
  lastName: maybeText, middleName: maybeText, phoneNumber1: maybeText, phoneNumber2: maybeText, province: maybeText,
  roomNo: maybeText, street: maybeText, subjectId: maybeId, title: maybeText, town: maybeText, zip: maybeText,
});
const ORGANIZATION = object({
  description: maybeText, email: maybeText, fax: maybeText, fixedPhone: maybeText, id, industry: maybeText, logo: maybeText,
  organizationName: maybeText, scale: maybeText, summary: maybeText, website: maybeText,
});
const CONTACT = object({
  address: nullable(ADDRESS), age: nullable(number), bindAccount: nullable(list(anything)), birthDay: maybeText,
  cellPhone1: maybeText, cellPhone2: maybeText, cellPhone3: maybeText, channel: maybeText, createdDate: datetime,
  customFied: nullable(anything), customerName: maybeText, description: maybeText, email: maybeText, email1: maybeText,
  email2: maybeText, fax: maybeText, firstName: maybeText, gender: maybeText, id, lastModifiedDate: datetime,
  lastName: maybeText, level: maybeText, middleName: maybeText, name: maybeText, nickName: maybeText,
  organization: nullable(ORGANIZATION), organizationId: maybeId, phone: maybeText, phone1: maybeText, phone2: maybeText,
  phone3: maybeText, picture: maybeText, remark: maybeText, status: maybeText, title: maybeText, website: maybeText,
}, 'template');
/** "nested twice"; the outer object presumably has sibling keys the pages do not show. */
const CUSTOMER_INFO = nullable(object({ customerInfo: optional(nullable(CONTACT)) }, 'any'));

/** cec_07_0280 Table 4: the task (response version), 18 fields. */
export const TASK_INFO = object({
  attachment: maybeText,
  closedDate: datetime,
  contactId: maybeId,
  createdDate: formatted('datetime'),
  creatorId: maybeId,
  creatorName: maybeText,
  description: maybeText,
  dueDate: datetime,
  id,
  ownerId: maybeId,
  ownerName: maybeText,
  priority: nullable(text([...PRIORITIES, ''])),
  relateId: maybeId,
  status: text(TASK_STATUSES),
  stayDate: maybeText,
  taskNo: formatted('number30'),
  title: text(),
  type: nullable(text(['Case', ''])),
});

/** cec_07_0280 Table 5: a trace, six fields. */
export const TRACE = object({
  creatorId: maybeId, creatorName: maybeText, description: maybeText, relatedId: maybeText, title: maybeText, type: text(),
});

/** cec_07_0280 Table 3: the task detail's result. `caseInfos` is declared a Case but the example sends an array. */
export const TASK_DETAIL = object({
  caseInfos: nullable(list(TASK_DETAIL_CASE)),
  customerInfo: CUSTOMER_INFO,
  taskInfo: TASK_INFO,
  taskTrace: nullable(list(TRACE)),
});

/** cec_07_0279: a task list item; the page names four fields and shows no example, so others are allowed. */
export const TASK_LIST_ITEM = object({ taskId: id, taskNo: formatted('number30'), title: text(), ownerId: maybeId }, 'any');
export const TASK_LIST = object({ count: number, taskList: list(TASK_LIST_ITEM) });

/** cec_07_0267: a case list item, the example's keys (template fields may follow). */
export const CASE_LIST_ITEM = object({
  ...CASE_FIELDS,
  isCanced: boolean,
  isSuspend: boolean,
  'type.__objectType': text(),
  'type.name': maybeText,
  typeName: maybeText,
  // The list example shows neither; the table lists the detail's fields.
  attachment: optional(maybeText),
  description: optional(maybeText),
}, 'template');
export const CASE_LIST = object({ caseList: list(CASE_LIST_ITEM), count: number });

/**
 * cec_07_0268: the case detail. Its table is cut at field 21, and the captured example (§8.4) adds the names and the
 * platform's raw keys (`AICC__State__CST.name`, …), so caseInfo takes template-style keys beside the table's.
 */
export const CASE_DETAIL = object({
  caseInfo: object({ ...CASE_FIELDS, creatorName: optional(maybeText), ownerName: optional(maybeText) }, 'template'),
  caseTrace: nullable(list(object({}, 'any'))),
  customerInfo: CUSTOMER_INFO,
  isFollower: boolean,
  tasks: nullable(list(object({}, 'any'))),
});

/** cec_07_0263 and cec_07_0264: a case type; the table and the example spell three fields differently. */
const CASE_TYPE_FIELDS = {
  caseStatus: maybeText,
  contentTempalteId: spelledEither(maybeId, 'contentTemplateId'),
  description: maybeText,
  id,
  isStrctOrder: spelledEither(nullable(boolean), 'isStrictOrder'),
  parentId: maybeId,
  status: text(['Active', 'Inactive']),
  typeName: text(),
};
export const CASE_TYPE_LIST = object({
  caseTypes: list(object({ ...CASE_TYPE_FIELDS, templateId: spelledEither(maybeId, 'tempalteId'), templateName: maybeText })),
  count: number,
});
export const CASE_TYPE_DETAIL = object({
  caseTypeInfo: object({
    ...CASE_TYPE_FIELDS,
    tempalteId: spelledEither(maybeId, 'templateId'),
    templateName: optional(maybeText),
    creatorName: maybeText,
    createdDate: datetime,
    lastModifiedName: maybeText,
    lastModifiedDate: datetime,
  }),
});

const COUNTERS = { averageDuration: number, finishedCases: number, newCases: number, overCases: number, unfinishedCases: number };
/** cec_07_0275: today's overview, five numbers. */
export const CASE_OVERVIEW = object(COUNTERS);
/** cec_07_0276: statistics by day. */
export const CASE_REPORT = object({
  caseStatisticsList: list(object({ ...COUNTERS, caseType: maybeId, caseTypeName: maybeText, date: formatted('day') })),
  count: number,
});

/** cec_07_0266 / cec_07_0278: what a create replies. */
export const CASE_CREATED = object({ caseId: id });
export const TASK_CREATED = object({ taskId: id });

/** A result AICC shows wrapped in a one-element array in one place and as the object in another. */
export function unwrapped(result: unknown): { value: unknown; wrapped: boolean } | undefined {
  if (Array.isArray(result)) return result.length === 1 ? { value: result[0], wrapped: true } : undefined;
  return { value: result, wrapped: false };
}
