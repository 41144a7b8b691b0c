import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { parseWireDate } from '../../src/wire/dates.js';
import { assertErrorEnvelope, fetchToken, postAicc, startTestApp, type TestApp } from '../helpers.js';

type Item = Record<string, string | number | boolean | null>;

describe('POST case/list', () => {
  let t: TestApp;
  let token: string;
  let agent: string;
  let queueId: string;
  const ids: string[] = [];
  const START = parseWireDate('2024-05-01 08:00:00', DEMO_TENANT.timeZone) ?? 0;

  before(async () => {
    t = await startTestApp();
    token = await fetchToken(t.app);
    agent = (await createUser(t.database, DEMO_TENANT.id, { name: 'Sun Li' }, Date.now())).userId;
    const queue = await t.app.inject({ method: 'POST', url: '/opencase/v1/queues', headers: { 'access-token': token }, payload: { name: 'Tier 2' } });
    queueId = (queue.json() as { result: { queueId: string } }).result.queueId;
    const origins = ['Email', 'Voice', 'webchat', 'Whatsapp'];
    const priorities = ['Low', 'Medium', 'High', 'Critical'];
    // 12 cases a day apart (days 0..11), owners alternating, the agent creating every third.
    for (let i = 0; i < 12; i++) {
      t.now.value = START + i * 86_400_000;
      const response = await postAicc(t.app, token, 'case', {
        caseInfo: {
          title: i === 5 ? 'Billing 100% wrong' : `Case ${i} about printers`, description: 'd', type: DEMO_CASE_TYPE.id,
          ownerId: i % 2 === 0 ? agent : DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id,
          creatorId: i % 3 === 0 ? agent : DEMO_USER.id, origin: origins[i % 4], priority: priorities[i % 4],
          contactPhone: i === 7 ? '13800000000' : null, dueDate: '2024-05-10 00:00:00',
        },
      });
      assert.equal(response.statusCode, 200, response.body);
      ids.push((response.json() as { result: { caseId: string } }).result.caseId);
    }
    t.now.value = START + 12 * 86_400_000;
    const call = (path: string, body: unknown) => postAicc(t.app, token, path, body);
    // Day 0 and 2 (the agent's) Completed; day 2 reopened and completed again after a transfer; day 4 to the queue.
    assert.equal((await call('status/update', { id: ids[0], status: 'Completed', creatorId: agent })).statusCode, 200);
    assert.equal((await call('status/update', { id: ids[2], status: 'Completed', creatorId: agent })).statusCode, 200);
    assert.equal((await call('status/update', { id: ids[2], status: 'tttttt', creatorId: agent })).statusCode, 200);
    assert.equal((await call('case/transfer', { id: ids[2], ownerId: DEMO_USER.id, creatorId: agent, remark: 'r' })).statusCode, 200);
    assert.equal((await call('case/transfer', { id: ids[2], ownerId: agent, creatorId: agent, remark: 'back' })).statusCode, 200);
    assert.equal((await call('status/update', { id: ids[2], status: 'Completed', creatorId: agent })).statusCode, 200);
    assert.equal((await call('case/transfer', { id: ids[4], ownerId: queueId, ownerType: 'queue', creatorId: agent, remark: 'q' })).statusCode, 200);
    const follow = await t.app.inject({ method: 'POST', url: `/opencase/v1/cases/${ids[6]}/follow`, headers: { 'access-token': token }, payload: { userId: agent } });
    assert.equal(follow.statusCode, 200);
  });
  after(() => t.close());

  async function list(filters: Record<string, unknown>): Promise<{ count: number; caseList: Item[] }> {
    const response = await postAicc(t.app, token, 'case/list', { start: 0, limit: 100, ...filters });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as { result: Array<{ caseList: Item[]; count: number }> };
    assert.ok(Array.isArray(body.result) && body.result.length === 1, 'result is an array wrapping one object');
    assert.deepEqual(Object.keys(body.result[0] ?? {}), ['caseList', 'count']);
    return body.result[0] ?? { count: -1, caseList: [] };
  }
  const count = async (filters: Record<string, unknown>) => (await list(filters)).count;

  async function rejected(filters: Record<string, unknown>, message: RegExp) {
    const response = await postAicc(t.app, token, 'case/list', { start: 0, limit: 10, ...filters });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(assertErrorEnvelope(response.body).resMsg, message);
  }

  it('the documentation request {"limit": 2, "start": 0} returns the newest two and the count of all', async () => {
    const response = await postAicc(t.app, token, 'case/list', { limit: 2, start: 0 });
    const { result } = response.json() as { result: Array<{ caseList: Item[]; count: number }> };
    assert.equal(result[0]?.count, 13);
    assert.deepEqual(result[0]?.caseList.map((item) => item.id), [ids[11], ids[10]]);
    const item = result[0]?.caseList[0] ?? {};
    assert.deepEqual(Object.keys(item), ['caseNo', 'closedDate', 'contactId', 'contactPhone', 'createdDate', 'creatorId', 'dueDate', 'extternalNo',
      'id', 'isCanced', 'isSuspend', 'isUpgraded', 'origin', 'ownerId', 'parentId', 'priority', 'reason', 'state', 'status', 'stayDate',
      'suspendAccumulatedTime', 'suspendDate', 'title', 'type', 'type.__objectType', 'type.name', 'typeName']);
    assert.equal(item['type.__objectType'], 'AICC__CaseType__CST');
    assert.equal(item.typeName, DEMO_CASE_TYPE.typeName);
  });

  it('limit edges, start beyond the end, required fields', async () => {
    await rejected({ limit: 0 }, /^limit must be at least 1$/);
    await rejected({ limit: 101 }, /^limit must be at most 100$/);
    assert.equal((await list({ limit: 1 })).caseList.length, 1);
    assert.equal((await list({ limit: 100 })).caseList.length, 13);
    assert.deepEqual(await list({ start: 13, limit: 5 }), { count: 13, caseList: [] });
    const missing = await postAicc(t.app, token, 'case/list', { limit: 10 });
    assert.equal(missing.statusCode, 400);
    assert.match(assertErrorEnvelope(missing.body).resMsg, /^start is required$/);
  });

  it('filters by title, status, priority and origin (names or ordinals), owner, type, contact, phone, creator, caseNo', async () => {
    assert.equal(await count({ title: 'PRINTERS' }), 11);
    assert.equal(await count({ title: '100%' }), 1);
    assert.equal(await count({ status: 'Completed' }), 2);
    assert.equal(await count({ priority: 'High' }), 3);
    assert.equal(await count({ priority: '2' }), 3, '2 is High in the ordinal form');
    assert.equal(await count({ priority: '0' }), 4, '0 is Low: three made here and the demo case');
    assert.equal(await count({ origin: 'Email' }), 3);
    assert.equal(await count({ origin: '0' }), 3, '0 is Email in the ordinal form');
    assert.equal(await count({ origin: '1' }), 4, '1 is Voice: three made here and the demo case');
    assert.equal(await count({ origin: 'Whatapp' }), 3, 'the create page spelling finds Whatsapp');
    assert.equal(await count({ ownerId: agent }), 5, 'six even days, one of them now in the queue');
    assert.equal(await count({ type: DEMO_CASE_TYPE.id }), 13);
    assert.equal(await count({ contactId: DEMO_CONTACT.id }), 13);
    assert.equal(await count({ contactPhone: '13800000000' }), 1);
    assert.equal(await count({ creatorId: agent }), 4);
    assert.deepEqual((await list({ caseNo: '000000000000000000000000000006' })).caseList.map((item) => item.id), [DEMO_CASE.id]);
    assert.deepEqual((await list({ caseNo: '6' })).caseList.map((item) => item.id), [DEMO_CASE.id]);
    await rejected({ priority: 'Urgent' }, /^priority must be one of/);
    await rejected({ origin: 'Web' }, /^origin must be one of/);
    await rejected({ caseNo: 'CASE-6' }, /^caseNo must match/);
  });

  it('startTime/endTime include both ends and may span at most 31 days', async () => {
    assert.equal(await count({ startTime: '2024-05-01 08:00:00', endTime: '2024-05-03 08:00:00' }), 3);
    assert.equal(await count({ startTime: '2024-05-01 00:00:00', endTime: '2024-05-31 23:59:59' }), 12);
    await rejected({ startTime: '2024-05-01 00:00:00', endTime: '2024-06-02 00:00:00' }, /^startTime and endTime must be at most 31 days apart$/);
    await rejected({ startTime: '2024-05-03 00:00:00', endTime: '2024-05-01 00:00:00' }, /^startTime must not be after endTime$/);
    await rejected({ startTime: '2024-02-30 00:00:00' }, /^startTime is not a real date$/);
  });

  it('classification is relative to creatorId: Todo, Follow, Created, Processed', async () => {
    assert.equal(await count({ creatorId: agent, classification: 'Todo' }), 3, 'owned by the agent and open');
    assert.equal(await count({ creatorId: agent, classification: 'Processed' }), 2, 'owned by the agent and Completed');
    assert.equal(await count({ creatorId: agent, classification: 'Created' }), 4);
    assert.deepEqual((await list({ creatorId: agent, classification: 'Follow' })).caseList.map((item) => item.id), [ids[6]]);
    assert.equal(await count({ creatorId: agent, classification: 'Todo', ownerId: DEMO_USER.id }), 0);
  });

  it('queueId, isReopen, isDirectResponse and resumenType', async () => {
    assert.deepEqual((await list({ queueId })).caseList.map((item) => item.id), [ids[4]]);
    assert.deepEqual((await list({ isReopen: true })).caseList.map((item) => item.id), [ids[2]]);
    assert.equal(await count({ isReopen: false }), 12);
    assert.deepEqual((await list({ isDirectResponse: true })).caseList.map((item) => item.id), [ids[0]], 'completed by its first owner');
    assert.equal(await count({ resumenType: 'finishedCases' }), 2);
    assert.equal(await count({ resumenType: 'unfinishedCases' }), 11);
    assert.equal(await count({ resumenType: 'overCases' }), 11, 'ten open cases due 2024-05-10 (now 2024-05-13) and the demo case, due 2023-07-22');
    assert.equal(await count({ resumenType: 'newCases' }), 0, 'none created today');
    assert.equal(await count({ isExport: true }), 13, 'accepted; the page comes back as usual');
    await rejected({ resumenType: 'oldCases' }, /^resumenType must be one of: newCases, finishedCases, unfinishedCases, overCases$/);
    await rejected({ isReopen: 'yes' }, /^isReopen must be a boolean/);
  });
});
