import type { Static, TSchema } from 'typebox';
import type { TokenResponse } from '../auth/schemas.js';
import type {
  CreateTemplateBody, ListTemplatesResponse, TemplateCreatedResponse, TemplateResponse, TemplateValue as TemplateFieldValue, UpdateTemplateBody,
} from '../case-templates/schemas.js';
import type {
  CaseTypeCreatedResponse, CaseTypeDetailResponse, CreateCaseTypeBody, ListCaseTypesBody, ListCaseTypesResponse, UpdateCaseTypeBody,
} from '../case-types/schemas.js';
import type { CaseOverviewResponse, CaseReportBody, CaseReportResponse } from '../statistics/schemas.js';
import type {
  BulkCaseBody, BulkCaseResponse, CancelCaseBody, CaseActionBody, CaseDetail as CaseDetailSchema, CloseCaseBody, ReopenCaseBody, CreateCaseBody, FollowBody, CreateCaseResponse, ListCasesBody, ListCasesResponse, ModifyCaseBody,
  ProcessCaseBody, SearchCasesBody, TransferCaseBody, UpdateCaseStatusBody,
} from '../cases/schemas.js';
import type { ContactResponse, ContactsQuery, CreateContactBody, CreateContactResponse, EraseContactResponse, ListContactsResponse, UpdateContactBody } from '../contacts/schemas.js';
import type { SessionResponse, SignInBody } from '../sessions/schemas.js';
import type { CreateQueueBody, CreateQueueResponse, ListQueuesResponse, QueueMembersResponse } from '../queues/schemas.js';
import type {
  AttemptResponse, CreateWebhookBody, CreateWebhookResponse, DeliveriesResponse, ListWebhooksResponse, RotateSecretResponse, UpdateWebhookBody, WebhookResponse,
} from '../webhooks/schemas.js';
import type { TaskDetailResponse } from '../tasks/detail-schema.js';
import type { TracesQuery, TracesResponse } from '../traces/schemas.js';
import type {
  CreateUserBody, CreateUserResponse, ListUsersResponse, PageQuery, PasswordLinkResponse, UpdateUserBody, UserResponse,
} from '../users/schemas.js';
import type {
  CreateTaskBody, CreateTaskResponse, ListTasksBody, ListTasksResponse, ModifyTaskBody, ProcessTaskBody, TransferTaskBody,
  UpdateTaskStatusBody,
} from '../tasks/schemas.js';

/** A query string's integers: the schema takes their text; a number is sent as its text. */
type Query<Schema extends TSchema> = { [Key in keyof Static<Schema>]?: Static<Schema>[Key] | number };

/** What a call returns: the envelope's `result`, typed by the schema the server serializes it with. */
type ResultOf<Response extends TSchema> = Static<Response> extends { result: infer Result } ? Result : never;

export type TokenReply = Static<typeof TokenResponse>;

export type CreateTaskRequest = Static<typeof CreateTaskBody>;
export type CreateTaskResult = ResultOf<typeof CreateTaskResponse>;
export type ListTasksRequest = Static<typeof ListTasksBody>;
export type TaskList = ResultOf<typeof ListTasksResponse>;
export type TaskListItem = TaskList['taskList'][number];
export type TaskDetail = ResultOf<typeof TaskDetailResponse>;
export type ModifyTaskRequest = Static<typeof ModifyTaskBody>;
export type TransferTaskRequest = Static<typeof TransferTaskBody>;
export type UpdateTaskStatusRequest = Static<typeof UpdateTaskStatusBody>;
export type ProcessTaskRequest = Static<typeof ProcessTaskBody>;

/**
 * A case template's fields, `<Namespace>__<field>__CST`, beside the documented ones: the schemas allow them by pattern
 * (which TypeBox's static types cannot carry), so they are added here.
 */
/** What a template field holds: text, a number, yes or no, or null (not set). */
export type TemplateValue = TemplateFieldValue;
export type TemplateFields = { [field: `${string}__${string}__CST`]: TemplateValue };
type WithTemplateFields<T extends { caseInfo: object }> = Omit<T, 'caseInfo'> & { caseInfo: T['caseInfo'] & TemplateFields };

export type CreateCaseRequest = WithTemplateFields<Static<typeof CreateCaseBody>>;
export type CreateCaseResult = ResultOf<typeof CreateCaseResponse>;
export type ListCasesRequest = Static<typeof ListCasesBody> & TemplateFields;
/** AICC wraps the page in a one-element array; the client hands back the page itself. */
type ListedCases = ResultOf<typeof ListCasesResponse>[number];
export type CaseListItem = ListedCases['caseList'][number] & TemplateFields;
export type CaseList = Omit<ListedCases, 'caseList'> & { caseList: CaseListItem[] };
/** opencase's cases/search: views, a state filter and sorts case/list has not; the page as case/list's (not wrapped). */
export type SearchCasesRequest = Static<typeof SearchCasesBody> & TemplateFields;
/** The detail itself: the client unwraps AICC's one-element array (the default) and takes the object too. */
export type CaseDetail = WithTemplateFields<Static<typeof CaseDetailSchema>>;
export type ModifyCaseRequest = WithTemplateFields<Static<typeof ModifyCaseBody>>;
export type TransferCaseRequest = Static<typeof TransferCaseBody>;
export type ProcessCaseRequest = Static<typeof ProcessCaseBody>;
export type CancelCaseRequest = Static<typeof CancelCaseBody>;
export type UpdateCaseStatusRequest = Static<typeof UpdateCaseStatusBody>;
export type CloseCaseRequest = Static<typeof CloseCaseBody>;
export type ReopenCaseRequest = Static<typeof ReopenCaseBody>;

export type ListCaseTypesRequest = Static<typeof ListCaseTypesBody>;
export type CaseTypeList = ResultOf<typeof ListCaseTypesResponse>;
export type CaseTypeDetail = ResultOf<typeof CaseTypeDetailResponse>;
export type CreateCaseTypeRequest = Static<typeof CreateCaseTypeBody>;
export type CreateCaseTypeResult = ResultOf<typeof CaseTypeCreatedResponse>;
export type UpdateCaseTypeRequest = Static<typeof UpdateCaseTypeBody>;

export type CaseOverview = ResultOf<typeof CaseOverviewResponse>;
export type CaseReportRequest = Static<typeof CaseReportBody>;
export type CaseReport = ResultOf<typeof CaseReportResponse>;
export type CaseStatisticsItem = CaseReport['caseStatisticsList'][number];

// opencase's extensions (under /opencase/v1/): AICC has none of these.
export type CreateTemplateRequest = Static<typeof CreateTemplateBody>;
export type UpdateTemplateRequest = Static<typeof UpdateTemplateBody>;
export type CaseTemplate = ResultOf<typeof TemplateResponse>;
export type CaseTemplateList = ResultOf<typeof ListTemplatesResponse>;
export type CreateTemplateResult = ResultOf<typeof TemplateCreatedResponse>;
export type CaseActionRequest = Static<typeof CaseActionBody>;
/** One action on up to 100 cases; the result has one item per id, in the order sent (`resCode` "0" or the single call's error). */
export type BulkCaseRequest = Static<typeof BulkCaseBody>;
export type BulkCaseResult = ResultOf<typeof BulkCaseResponse>;
export type FollowRequest = Static<typeof FollowBody>;
export type CreateUserRequest = Static<typeof CreateUserBody>;
export type CreateUserResult = ResultOf<typeof CreateUserResponse>;
export type PageRequest = Query<typeof PageQuery>;
export type UserList = ResultOf<typeof ListUsersResponse>;
export type CreateQueueRequest = Static<typeof CreateQueueBody>;
export type CreateQueueResult = ResultOf<typeof CreateQueueResponse>;
export type QueueList = ResultOf<typeof ListQueuesResponse>;
export type QueueMembers = ResultOf<typeof QueueMembersResponse>;
export type SignInRequest = Static<typeof SignInBody>;
export type SignedIn = ResultOf<typeof SessionResponse>;
export type User = ResultOf<typeof UserResponse>;
export type UpdateUserRequest = Static<typeof UpdateUserBody>;
export type PasswordLink = ResultOf<typeof PasswordLinkResponse>;
export type CreateContactRequest = Static<typeof CreateContactBody>;
export type CreateContactResult = ResultOf<typeof CreateContactResponse>;
export type UpdateContactRequest = Static<typeof UpdateContactBody>;
export type ListContactsRequest = Query<typeof ContactsQuery>;
export type ContactList = ResultOf<typeof ListContactsResponse>;
export type Contact = ResultOf<typeof ContactResponse>;
export type ErasedContact = ResultOf<typeof EraseContactResponse>;
export type TracesRequest = Query<typeof TracesQuery>;
export type TracePage = ResultOf<typeof TracesResponse>;
export type Trace = TracePage['traces'][number];
export type CreateWebhookRequest = Static<typeof CreateWebhookBody>;
export type CreatedWebhook = ResultOf<typeof CreateWebhookResponse>;
export type UpdateWebhookRequest = Static<typeof UpdateWebhookBody>;
export type Webhook = ResultOf<typeof WebhookResponse>;
export type WebhookList = ResultOf<typeof ListWebhooksResponse>;
export type RotatedWebhookSecret = ResultOf<typeof RotateSecretResponse>;
export type WebhookDeliveries = ResultOf<typeof DeliveriesResponse>;
export type WebhookAttempt = ResultOf<typeof AttemptResponse>;
