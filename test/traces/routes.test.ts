import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CASE, DEMO_TASK_ID, DEMO_USER } from '../../src/demo/records.js';
import { assertErrorEnvelope, postAicc, useTestApp } from '../helpers.js';

interface Exported {
  seq: number;
  objectType: string;
  objectId: string;
  type: string;
  changes: Array<{ field: string; from: string | null; to: string | null }>;
  createdAt: string;
  createdDate: string;
}

describe('GET /opencase/v1/traces: every change of the tenant, in order, by cursor', () => {
  const t = useTestApp();

  const page = async (query: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/opencase/v1/traces${query}`, headers: { 'access-token': t.token } });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { result: { nextCursor: string; traces: Exported[] } }).result;
  };

  it('starts with the demo task\'s CreateTask and follows every task and case change in commit order', async () => {
    const first = await page('');
    assert.equal(first.traces.length, 1);
    assert.deepEqual([first.traces[0]?.seq, first.traces[0]?.objectType, first.traces[0]?.objectId, first.traces[0]?.type], [1, 'Task', DEMO_TASK_ID, 'CreateTask']);
    assert.equal(first.traces[0]?.createdDate, '2023-07-07 14:51:35');
    assert.equal(first.traces[0]?.createdAt, '2023-07-07T06:51:35.000Z');
    assert.equal(first.nextCursor, '1');

    assert.equal((await postAicc(t.app, t.token, 'task/status/update', { id: DEMO_TASK_ID, status: 'Processing', creatorId: DEMO_USER.id })).statusCode, 200);
    assert.equal((await postAicc(t.app, t.token, 'status/update', { id: DEMO_CASE.id, status: 'Completed', creatorId: DEMO_USER.id })).statusCode, 200);
    const created = await postAicc(t.app, t.token, 'task', { taskInfo: { title: 'follow up', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, type: 'Case', relateId: DEMO_CASE.id } });
    assert.equal(created.statusCode, 200);

    const next = await page(`?after=${first.nextCursor}`);
    assert.deepEqual(next.traces.map((trace) => [trace.seq, trace.objectType, trace.type]), [
      [2, 'Task', 'StatusUpdate'], [3, 'Case', 'StatusUpdate'], [4, 'Task', 'CreateTask'], [5, 'Case', 'CreateTask'],
    ]);
    assert.deepEqual(next.traces[0]?.changes, [{ field: 'status', from: 'Pending', to: 'Processing' }]);
    assert.equal(next.nextCursor, '5');
    assert.deepEqual(await page('?after=5'), { nextCursor: '5', traces: [] });
  });

  it('pages by limit without skipping or repeating, and a rejected change leaves no trace', async () => {
    const rejected = await postAicc(t.app, t.token, 'task/status/update', { id: DEMO_TASK_ID, status: 'Done', creatorId: DEMO_USER.id });
    assert.equal(rejected.statusCode, 400);
    const seen: number[] = [];
    let cursor = '0';
    for (;;) {
      const result = await page(`?after=${cursor}&limit=2`);
      if (result.traces.length === 0) break;
      seen.push(...result.traces.map((trace) => trace.seq));
      cursor = result.nextCursor;
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  });

  it('rejects a bad cursor or limit', async () => {
    for (const [query, message] of [['?after=abc', /^after must be a whole number$/], ['?limit=0', /^limit must be at least 1$/], ['?limit=101', /^limit must be at most 100$/]] as const) {
      const response = await t.app.inject({ method: 'GET', url: `/opencase/v1/traces${query}`, headers: { 'access-token': t.token } });
      assert.equal(response.statusCode, 400);
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
    }
  });
});
