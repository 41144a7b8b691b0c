import type { Queryable } from '../db/store.js';

const COLUMNS = ['id', 'seq', 'type', 'creator_id', 'creator_name', 'related_id', 'title', 'description', 'attachment', 'changes_json', 'created_at'] as const;

export function createTracesRepository(q: Queryable) {
  const db = q.db;
  return {
    /** Task and case traces after a sequence number, in sequence order, at most `limit` of them. */
    async tracesAfter(tenantId: string, afterSeq: number, limit: number) {
      const [tasks, cases] = await Promise.all([
        db.selectFrom('task_traces').select([...COLUMNS, 'task_id as object_id'])
          .where('tenant_id', '=', tenantId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute(),
        db.selectFrom('case_traces').select([...COLUMNS, 'case_id as object_id'])
          .where('tenant_id', '=', tenantId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute(),
      ]);
      return [
        ...tasks.map((row) => ({ ...row, object_type: 'Task' as const })),
        ...cases.map((row) => ({ ...row, object_type: 'Case' as const })),
      ].sort((a, b) => Number(a.seq) - Number(b.seq)).slice(0, limit);
    },
  };
}
