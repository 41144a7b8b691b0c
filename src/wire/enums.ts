/** AICC's documented values, spelled exactly as its pages spell them. */
export const TASK_STATUSES = ['Pending', 'Processing', 'Completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ['Critical', 'High', 'Medium', 'Low'] as const;

/** The only association type a task has: a case. */
export const RELATE_TYPES = ['Case'] as const;

export const TASK_CLASSIFICATIONS = ['Todo', 'Processed', 'Created'] as const;

/** `Iternal` (sic) is AICC's only documented task process type. */
export const TASK_PROCESS_TYPES = ['Iternal'] as const;

/** Trace types: the two AICC documents, then opencase's own for changes AICC records without naming them. */
export const TASK_TRACE_TYPES = ['CreateTask', 'StatusUpdate', 'ModifyTask', 'TransferTask', 'ProcessTask'] as const;
export type TaskTraceType = (typeof TASK_TRACE_TYPES)[number];
