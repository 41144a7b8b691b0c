/** AICC's documented values, spelled exactly as its pages spell them. */
export const TASK_STATUSES = ['Pending', 'Processing', 'Completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ['Critical', 'High', 'Medium', 'Low'] as const;

/** The only association type a task has: a case. */
export const RELATE_TYPE_CASE = 'Case';
export const RELATE_TYPES = [RELATE_TYPE_CASE] as const;

export const TASK_CLASSIFICATIONS = ['Todo', 'Processed', 'Created'] as const;

/** `Iternal` (sic) is AICC's only documented task process type. */
export const TASK_PROCESS_TYPES = ['Iternal'] as const;

/** Trace types: the two AICC documents, then opencase's own for changes AICC records without naming them. */
export const TASK_TRACE_TYPES = ['CreateTask', 'StatusUpdate', 'ModifyTask', 'TransferTask', 'ProcessTask'] as const;
export type TaskTraceType = (typeof TASK_TRACE_TYPES)[number];

export const CASE_TYPE_STATUSES = ['Active', 'Inactive'] as const;

/** Case `state`: where the case is overall, whatever its flow calls its current node. */
export const CASE_STATES = ['Pending', 'Processing', 'Completed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** The flow node every case type ends in (AICC: "0.Completed (default)"). */
export const COMPLETED_STATUS = 'Completed';

/**
 * Case origins in the order of case/list's ordinal form (0.Email 1.Voice 2.webchat 3.Whatsapp). The create page
 * spells one "Whatapp"; it is accepted and stored as Whatsapp, the spelling of case detail and list.
 */
export const CASE_ORIGINS = ['Email', 'Voice', 'webchat', 'Whatsapp'] as const;
export const CASE_ORIGIN_ALIASES: Record<string, (typeof CASE_ORIGINS)[number]> = { Whatapp: 'Whatsapp' };

/** Priorities in case/list's ordinal form (0.Low 1.Medium 2.High 3.Critical). */
export const PRIORITY_ORDINALS = ['Low', 'Medium', 'High', 'Critical'] as const;

export const CASE_CLASSIFICATIONS = ['Todo', 'Follow', 'Created', 'Processed'] as const;
/**
 * opencase extension (cases/search): whose cases a queue view holds, relative to a user — owned by it, owned by a queue
 * it is a member of, owned by no one or by a queue (no person has taken them), followed by it, created by it, or all.
 */
export const CASE_VIEWS = ['mine', 'myQueues', 'unassigned', 'followed', 'created', 'all'] as const;
export type CaseView = (typeof CASE_VIEWS)[number];

/**
 * cases/search's `state`: a case state (Pending and Processing without the cancelled cases), or `open` (neither
 * Completed nor cancelled), `cancelled` or `suspended`.
 */
export const CASE_STATE_FILTERS = ['open', ...CASE_STATES, 'cancelled', 'suspended'] as const;
export type CaseStateFilter = (typeof CASE_STATE_FILTERS)[number];

/**
 * cases/search's orders: by creation, last change, due date (those without one last) or priority (Critical first, none
 * last). `desc` is each one's natural direction (newest, latest, most urgent first) except for `due`, soonest first.
 */
export const CASE_SORTS = ['created', 'updated', 'due', 'priority'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const CASE_RESUMEN_TYPES = ['newCases', 'finishedCases', 'unfinishedCases', 'overCases'] as const;
export const CASE_OWNER_TYPES = ['user', 'queue'] as const;
export const CASE_PROCESS_TYPES = ['Iternal', 'Email', 'SMS'] as const;

export const CASE_TRACE_TYPES = [
  'CreateCase', 'ModifyCase', 'TransferCase', 'ProcessCase', 'StatusUpdate', 'CancelCase', 'SuspendCase', 'ResumeCase', 'CloseCase', 'ReopenCase', 'CreateTask',
  // opencase: a contact's personal data erased on request (contacts/erase.ts).
  'EraseContact',
] as const;
export type CaseTraceType = (typeof CASE_TRACE_TYPES)[number];
