import type { Insertable } from 'kysely';
import { changeNotificationCall } from '../changes/index.js';
import { advanceCounters, CHANGE_SEQUENCE, nextSerial } from '../db/counters.js';
import { preparedQuery } from '../db/prepared.js';
import type { Db, Tx } from '../db/store.js';
import type { CaseTracesTable, TaskTracesTable } from '../db/tables.js';

/** The columns a trace is written with, but its place in the tenant's change sequence (taken as it is inserted). */
export const NEW_TRACE_COLUMNS = [
  'tenant_id', 'id', 'position', 'type', 'creator_id', 'creator_name', 'related_id', 'title', 'description',
  'attachment', 'changes_json', 'created_at', 'acted_via',
] as const satisfies ReadonlyArray<keyof TaskTracesTable & keyof CaseTracesTable>;

export type NewTraceColumns = { [C in (typeof NEW_TRACE_COLUMNS)[number]]: Insertable<TaskTracesTable>[C] };
export type NewTaskTrace = NewTraceColumns & { task_id: string };
export type NewCaseTrace = NewTraceColumns & { case_id: string };

/**
 * PostgreSQL: a trace that takes the tenant's next change number and sends the change's notification in the same
 * statement, so that the counter row every change of the tenant waits for is held from this statement to COMMIT
 * (2 round trips; taking the number, inserting and notifying one statement each held it across 4). SQLite has no
 * data-modifying CTEs, and needs none: its writes take turns on the database anyway.
 */
function traceTakingNumber(table: 'task_traces' | 'case_traces', recordColumn: 'task_id' | 'case_id') {
  return preparedQuery(`traces.insertTakingNumber.${table}`, (db: Db, tenantId: string, recordId: string, ...values: unknown[]) => {
    // The builder sees each parameter as a marker (db/prepared.ts): the row is put together from them in column order.
    const row = Object.fromEntries(NEW_TRACE_COLUMNS.map((column, i) => [column, values[i]])) as NewTraceColumns;
    return db
      .with('numbers', (qc) => advanceCounters(qc, tenantId, [CHANGE_SEQUENCE]))
      // The two trace tables have the same columns but the record's (tables.ts): one statement serves both.
      .insertInto(table as 'task_traces')
      .values({ ...row, [recordColumn as 'task_id']: recordId, seq: (eb) => eb.selectFrom('numbers').select('value') })
      .returning((eb) => ['seq', changeNotificationCall(tenantId, eb.ref('seq')).as('notified')]);
  });
}

const taskTraceTakingNumber = traceTakingNumber('task_traces', 'task_id');
const caseTraceTakingNumber = traceTakingNumber('case_traces', 'case_id');

/** Writes a trace with the tenant's next change number, in the caller's change. */
export async function insertTrace(tx: Tx, trace: NewTaskTrace | NewCaseTrace): Promise<void> {
  const tenantId = trace.tenant_id;
  if (tx.store.dialect === 'postgres') {
    const values = NEW_TRACE_COLUMNS.map((column) => trace[column]);
    const [row] = 'task_id' in trace
      ? await taskTraceTakingNumber(tx, tenantId, trace.task_id, ...values)
      : await caseTraceTakingNumber(tx, tenantId, trace.case_id, ...values);
    if (!row) throw new Error(`trace ${trace.id} was not inserted`);
    tx.announced(tenantId, Number(row.seq));
    return;
  }
  const seq = await nextSerial(tx, tenantId, CHANGE_SEQUENCE);
  if ('task_id' in trace) await tx.db.insertInto('task_traces').values({ ...trace, seq }).execute();
  else await tx.db.insertInto('case_traces').values({ ...trace, seq }).execute();
}
