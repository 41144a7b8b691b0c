import { sql } from 'kysely';
import { FEED_COLUMNS } from '../changes/kysely-source.js';
import type { Queryable } from '../db/store.js';
import type { ExportedTrace } from './schemas.js';

/** The traces of one case or one task, in the feed's form and order (seq), after a cursor: one record's history. */
export function createTracesRepository(q: Queryable) {
  const db = q.db;
  return {
    // Read by (tenant_id, case_id | task_id, position), the index a record's history has; position grows with seq.
    caseTraces(tenantId: string, caseId: string, afterSeq: number, limit: number) {
      return db.selectFrom('case_traces').select([...FEED_COLUMNS, 'case_id as object_id', sql<ExportedTrace['objectType']>`'Case'`.as('object_type')])
        .where('tenant_id', '=', tenantId).where('case_id', '=', caseId).where('seq', '>', afterSeq).orderBy('position').limit(limit).execute();
    },

    taskTraces(tenantId: string, taskId: string, afterSeq: number, limit: number) {
      return db.selectFrom('task_traces').select([...FEED_COLUMNS, 'task_id as object_id', sql<ExportedTrace['objectType']>`'Task'`.as('object_type')])
        .where('tenant_id', '=', tenantId).where('task_id', '=', taskId).where('seq', '>', afterSeq).orderBy('position').limit(limit).execute();
    },
  };
}
