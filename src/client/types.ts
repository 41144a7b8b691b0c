import type { Static, TSchema } from 'typebox';
import type { TokenResponse } from '../auth/schemas.js';
import type { CaseTypeDetailResponse, ListCaseTypesBody, ListCaseTypesResponse } from '../case-types/schemas.js';
import type {
  CancelCaseBody, CaseDetailResponse, CreateCaseBody, CreateCaseResponse, ListCasesBody, ListCasesResponse, ModifyCaseBody,
  ProcessCaseBody, TransferCaseBody, UpdateCaseStatusBody,
} from '../cases/schemas.js';
import type { TaskDetailResponse } from '../tasks/detail-schema.js';
import type {
  CreateTaskBody, CreateTaskResponse, ListTasksBody, ListTasksResponse, ModifyTaskBody, ProcessTaskBody, TransferTaskBody,
  UpdateTaskStatusBody,
} from '../tasks/schemas.js';

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

export type CreateCaseRequest = Static<typeof CreateCaseBody>;
export type CreateCaseResult = ResultOf<typeof CreateCaseResponse>;
export type ListCasesRequest = Static<typeof ListCasesBody>;
/** AICC wraps the page in a one-element array; the client hands back the page itself. */
export type CaseList = ResultOf<typeof ListCasesResponse>[number];
export type CaseListItem = CaseList['caseList'][number];
export type CaseDetail = ResultOf<typeof CaseDetailResponse>;
export type ModifyCaseRequest = Static<typeof ModifyCaseBody>;
export type TransferCaseRequest = Static<typeof TransferCaseBody>;
export type ProcessCaseRequest = Static<typeof ProcessCaseBody>;
export type CancelCaseRequest = Static<typeof CancelCaseBody>;
export type UpdateCaseStatusRequest = Static<typeof UpdateCaseStatusBody>;

export type ListCaseTypesRequest = Static<typeof ListCaseTypesBody>;
export type CaseTypeList = ResultOf<typeof ListCaseTypesResponse>;
export type CaseTypeDetail = ResultOf<typeof CaseTypeDetailResponse>;
