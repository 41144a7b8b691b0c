import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { ON_POSTGRES, postAicc, useTestApp } from '../helpers.js';

const onPostgresOnly = ON_POSTGRES ? false : 'PostgreSQL only: SQLite has no row locks, its writers take turns on the file';

/**
 * Every change of a tenant waits for the tenant's counter rows (task_no, trace_seq), which a change holds from the
 * statement that takes a number to its COMMIT. The fewer round trips between the two, the more changes a tenant makes a
 * second (docs/scaling.md). Here another transaction holds the rows while a call runs: the statement that call waits in
 * must be the one that does the rest of its writes, so that nothing but COMMIT follows it.
 */
describe('PostgreSQL: a change takes the tenant\'s counter rows in its last statement', { skip: onPostgresOnly }, () => {
  const t = useTestApp();

  async function waitingStatementOf(call: () => Promise<{ statusCode: number; body: string }>): Promise<string> {
    const holder = new pg.Client({ connectionString: t.dbLocation });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select value from tenant_counters where tenant_id = $1 for update', [DEMO_TENANT.id]);
      const pending = call();
      let waiting: string | undefined;
      for (let tries = 0; waiting === undefined; tries++) {
        if (tries > 400) throw new Error('no statement of the call waited for the counter rows');
        // A transaction sees one snapshot of pg_stat_activity until told to take a new one.
        await holder.query('select pg_stat_clear_snapshot()');
        const { rows } = await holder.query<{ query: string }>(
          "select query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'");
        waiting = rows[0]?.query;
        if (waiting === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await holder.query('commit');
      const response = await pending;
      assert.equal(response.statusCode, 200, response.body);
      return waiting;
    } finally {
      await holder.end();
    }
  }

  it('a create waits in the statement that inserts the task and its trace', async () => {
    const statement = await waitingStatementOf(() => postAicc(t.app, t.token, 'task', { taskInfo: { title: 'held', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } }));
    // pg_stat_activity keeps a statement's first 1,024 bytes (track_activity_query_size): its notification comes after.
    for (const part of [/^with "numbers" as \(insert into "tenant_counters"/, /insert into "tasks"/, /insert into "task_traces"/]) assert.match(statement, part);
  });

  it('a modify waits in the statement that inserts its trace and sends the notification', async () => {
    const statement = await waitingStatementOf(() => postAicc(t.app, t.token, 'task/modify', { taskInfo: { id: DEMO_TASK_ID, title: 'held again', creatorId: DEMO_USER.id } }));
    for (const part of [/^with "numbers" as \(insert into "tenant_counters"/, /insert into "task_traces"/, /pg_notify/]) assert.match(statement, part);
  });
});
