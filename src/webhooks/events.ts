import type { CaseTraceType, TaskTraceType } from '../wire/enums.js';

/**
 * Webhook event types: one per kind of change the feed records, named `<object>.<what happened>` as Zendesk's and
 * GitHub's are. Typed by the trace types, so that a new one must be named here.
 */
const EVENT_OF_TRACE: { Task: Record<TaskTraceType, string>; Case: Record<CaseTraceType, string> } = {
  Task: {
    CreateTask: 'task.created',
    ModifyTask: 'task.modified',
    TransferTask: 'task.transferred',
    StatusUpdate: 'task.status_changed',
    ProcessTask: 'task.processed',
  },
  Case: {
    CreateCase: 'case.created',
    ModifyCase: 'case.modified',
    TransferCase: 'case.transferred',
    StatusUpdate: 'case.status_changed',
    ProcessCase: 'case.processed',
    CancelCase: 'case.cancelled',
    CloseCase: 'case.closed',
    SuspendCase: 'case.suspended',
    ResumeCase: 'case.resumed',
    ReopenCase: 'case.reopened',
    EraseContact: 'case.contact_erased',
    // A task made on the case: the case's history says so too.
    CreateTask: 'case.task_created',
  },
};

/** Every event type there is, as the API lists them (and refuses others). */
export const EVENT_TYPES: readonly string[] = [...new Set(Object.values(EVENT_OF_TRACE).flatMap((types) => Object.values<string>(types)))].sort();

/** `CancelCase` on a case is `case.cancelled`; a type not in the table (an old row's), `case.some_thing`. */
export function eventTypeOf(objectType: 'Task' | 'Case', traceType: string): string {
  const known = (EVENT_OF_TRACE[objectType] as Record<string, string | undefined>)[traceType];
  if (known) return known;
  const words = traceType.replace(/(Task|Case)$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return `${objectType.toLowerCase()}.${words}`;
}

/** What an endpoint's `eventTypes` may hold: an event type, `task.*`, `case.*`, or `*`. */
export const EVENT_PATTERNS: readonly string[] = [...EVENT_TYPES, 'task.*', 'case.*', '*'];

export function matchesAny(patterns: readonly string[], eventType: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === eventType || (pattern.endsWith('.*') && eventType.startsWith(pattern.slice(0, -1))));
}
