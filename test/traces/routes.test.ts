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

  it('objectId: one case\'s or one task\'s history in the same form and order, paged by the same cursor', async () => {
    const ofCase = await page(`?objectId=${DEMO_CASE.id}`);
    assert.deepEqual(ofCase.traces.map((trace) => [trace.seq, trace.objectId, trace.type]), [[3, DEMO_CASE.id, 'StatusUpdate'], [5, DEMO_CASE.id, 'CreateTask']]);
    assert.deepEqual(ofCase.traces[0]?.changes, [{ field: 'status', from: 'tttttt', to: 'Completed' }, { field: 'state', from: 'Processing', to: 'Completed' }]);
    assert.equal(ofCase.nextCursor, '5');
    assert.deepEqual((await page(`?objectId=${DEMO_CASE.id}&after=3`)).traces.map((trace) => trace.seq), [5]);
    assert.deepEqual((await page(`?objectId=${DEMO_TASK_ID}&limit=1`)).traces.map((trace) => [trace.seq, trace.type]), [[1, 'CreateTask']]);
    // Another tenant's record, or one that does not exist, has no history here.
    assert.deepEqual((await page('?objectId=c6m80000000000000000')).traces, []);
    const contact = await t.app.inject({ method: 'GET', url: '/opencase/v1/traces?objectId=ciIy0000013y7cC8T2rA', headers: { 'access-token': t.token } });
    assert.equal(contact.statusCode, 400);
    assert.match(assertErrorEnvelope(contact.body).resMsg, /^objectId must be a case id \(c6m8…\) or a task id \(ccqG…\)$/);
  });

  it('rejects a bad cursor or limit', async () => {
    for (const [query, message] of [['?after=abc', /^after must be a whole number$/], ['?limit=0', /^limit must be at least 1$/], ['?limit=101', /^limit must be at most 100$/]] as const) {
      const response = await t.app.inject({ method: 'GET', url: `/opencase/v1/traces${query}`, headers: { 'access-token': t.token } });
      assert.equal(response.statusCode, 400);
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
    }
  });
});
