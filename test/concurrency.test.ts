import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../src/demo/records.js';
import { createUser } from '../src/users/service.js';
import { postAicc, TEST_BACKEND, useTestApp } from './helpers.js';

const REQUESTS = 100;
const STATUSES = ['Pending', 'Processing', 'Completed'] as const;

/** 100 status updates and transfers of one task at once: no lost update, history and state agree. */
describe(`concurrent changes of one task, on ${TEST_BACKEND}`, () => {
  const t = useTestApp();

  it('each change reads the state the one before it left: the history is one unbroken chain ending in the state shown', { timeout: 60_000 }, async () => {
    const tracesBefore = (await t.database.db.selectFrom('task_traces').select('position')
      .where('tenant_id', '=', DEMO_TENANT.id).where('task_id', '=', DEMO_TASK_ID).execute()).length;
    const agents = [DEMO_USER.id, ...await Promise.all(['Agent A', 'Agent B'].map(async (name) => (await createUser(t.database, DEMO_TENANT.id, { name: name }, Date.now())).userId))];
    const responses = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => (i % 2 === 0
      ? postAicc(t.app, t.token, 'task/status/update', { id: DEMO_TASK_ID, status: STATUSES[(i / 2) % 3], creatorId: DEMO_USER.id })
      : postAicc(t.app, t.token, 'task/transfer', { id: DEMO_TASK_ID, ownerId: agents[((i - 1) / 2) % 3], creatorId: DEMO_USER.id }))));
    responses.forEach((response) => assert.equal(response.statusCode, 200, response.body));

    const traces = await t.database.db.selectFrom('task_traces').select(['type', 'changes_json', 'position'])
      .where('tenant_id', '=', DEMO_TENANT.id).where('task_id', '=', DEMO_TASK_ID).orderBy('position').execute();
    assert.deepEqual(traces.map((trace) => trace.position), traces.map((_, i) => i + 1), 'positions without gap or repeat');
    const task = await t.database.db.selectFrom('tasks').selectAll().where('tenant_id', '=', DEMO_TENANT.id).where('id', '=', DEMO_TASK_ID).executeTakeFirstOrThrow();
    assert.equal(task.trace_count, traces.length);

    // Follow each field through its changes: every change starts from where the previous one left it.
    const follow = (field: string, start: string) => {
      let value = start;
      let changes = 0;
      for (const trace of traces) {
        for (const change of JSON.parse(trace.changes_json ?? '[]') as Array<{ field: string; from: string; to: string }>) {
          if (change.field !== field) continue;
          assert.equal(change.from, value, `a ${field} change started from ${change.from}, but the one before left ${value}`);
          value = change.to;
          changes++;
        }
      }
      return { value, changes };
    };
    const status = follow('status', 'Pending');
    assert.equal(task.status, status.value);
    assert.ok(status.changes >= 2, `status changed ${status.changes} times`);
    const owner = follow('ownerId', DEMO_USER.id);
    assert.equal(task.owner_id, owner.value);
    assert.ok(owner.changes >= 2, `owner changed ${owner.changes} times`);
    // Every trace past the demo's own history is one of these requests' changes; a request that changed nothing wrote none.
    assert.equal(traces.length, tracesBefore + status.changes + owner.changes);
  });
});
