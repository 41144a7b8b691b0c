import { newId } from '../wire/ids.js';

/** One field a change altered, in wire names and wire values (dates as the tenant reads them). */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

/** `title: "a" → "b"; dueDate: null → "2023-07-08 00:00:00"`: a trace's human-readable description of its changes. */
export function describeChanges(changes: FieldChange[]): string {
  return changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ');
}

/** What a trace says: who did it, and what, in the terms of AICC's trace item plus the field-by-field changes. */
export interface TraceInput {
  type: string;
  /** Who acted, and through what: `app:<appId>` or `user:<userId>` (permissions/caller.ts callerLabel). */
  operator: { id: string; name: string; via: string };
  changes: FieldChange[];
  title?: string | null;
  /** Defaults to the description of the changes. */
  description?: string | null;
  attachment?: string | null;
  relatedId?: string | null;
}

/**
 * The columns every trace row has, task or case, but its place in the tenant-wide sequence (traces/insert.ts takes it
 * inside the writer's transaction, so that sequence order is commit order): its position in the record's history, who,
 * when and what.
 */
export function traceRow(tenantId: string, position: number, trace: TraceInput, now: number) {
  return {
    tenant_id: tenantId,
    id: newId('trace'),
    position,
    type: trace.type,
    creator_id: trace.operator.id,
    creator_name: trace.operator.name,
    related_id: trace.relatedId ?? null,
    title: trace.title ?? null,
    description: trace.description !== undefined ? trace.description : (trace.changes.length > 0 ? describeChanges(trace.changes) : null),
    attachment: trace.attachment ?? null,
    changes_json: trace.changes.length > 0 ? JSON.stringify(trace.changes) : null,
    created_at: now,
    acted_via: trace.operator.via,
  };
}

/**
 * What a modify call changes: for each `[field, column, next]` sent (undefined = not sent) whose value differs
 * from the row's, the column's new value and the wire-level change for the trace.
 */
export function diffFields<C extends string>(
  wanted: Array<[field: string, column: C, next: string | number | null | undefined]>,
  current: Record<C, string | number | null>,
  wire: (column: C, value: string | number | null) => string | null,
): { patch: Partial<Record<C, string | number | null>>; changes: FieldChange[] } {
  const patch: Partial<Record<C, string | number | null>> = {};
  const changes: FieldChange[] = [];
  for (const [field, column, next] of wanted) {
    if (next === undefined || next === current[column]) continue;
    patch[column] = next;
    changes.push({ field, from: wire(column, current[column]), to: wire(column, next) });
  }
  return { patch, changes };
}
