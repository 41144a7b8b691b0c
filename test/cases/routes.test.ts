import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { AICC, assertErrorEnvelope, fetchToken, postAicc, startTestApp, type TestApp } from '../helpers.js';

type Json = Record<string, unknown>;
interface CaseDetail {
  caseInfo: Record<string, string | number | boolean | null>;
  caseTrace: Array<Record<string, string | null>>;
  customerInfo: { customerInfo: Json } | null;
  isFollower: boolean;
  tasks: Json[];
}

describe('cases: create, detail, modify, transfer, process, cancel, status/update, suspend and resume', () => {
  let t: TestApp;
  let token: string;
  let agent: string;

  before(async () => {
    t = await startTestApp();
    token = await fetchToken(t.app);
    agent = (await createUser(t.database, DEMO_TENANT.id, { name: 'Chen Jing' }, Date.now())).userId;
  });
  after(() => t.close());
  beforeEach(() => {
    t.now.value += 60_000;
  });

  const ext = (path: string, body: unknown = {}) => t.app.inject({
    method: 'POST', url: `/opencase/v1/${path}`, headers: { 'access-token': token }, payload: body as Json,
  });

  async function detail(id: string): Promise<CaseDetail> {
    const response = await t.app.inject({ method: 'GET', url: `${AICC}/case/${id}`, headers: { 'access-token': token } });
    assert.equal(response.statusCode, 200, response.body);
    // AICC's captured example: a one-element array.
    const { result } = response.json() as { result: CaseDetail[] };
    assert.ok(Array.isArray(result) && result.length === 1, response.body);
    return result[0] as CaseDetail;
  }

  async function create(fields: Json = {}): Promise<string> {
    const response = await postAicc(t.app, token, 'case', {
      caseInfo: {
        title: 'Printer jams', description: 'Every morning', type: DEMO_CASE_TYPE.id, ownerId: DEMO_USER.id, isAtuoAssigned: false,
        contactId: DEMO_CONTACT.id, creatorId: DEMO_USER.id, ...fields,
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { result: { caseId: string } }).result.caseId;
  }

  async function snapshot() {
    const db = t.database.db;
    return JSON.stringify([
      await db.selectFrom('cases').selectAll().orderBy('id').execute(),
      await db.selectFrom('case_traces').selectAll().orderBy('id').execute(),
      await db.selectFrom('tenant_counters').selectAll().orderBy('name').execute(),
    ]);
  }

  async function assertRejected(path: string, body: unknown, status: number, message: RegExp) {
    const before = await snapshot();
    const response = path.startsWith('/') ? await ext(path.slice(1), body) : await postAicc(t.app, token, path, body);
    assert.equal(response.statusCode, status, `${path}: ${response.body}`);
    assert.match(assertErrorEnvelope(response.body).resMsg, message);
    assert.equal(await snapshot(), before, `${path} wrote something although it was rejected`);
  }

  it('GET case/{id} of the demo case returns the seed example case, its contact, its task, and isFollower', async () => {
    const result = await detail(DEMO_CASE.id);
    assert.deepEqual(Object.keys(result), ['caseInfo', 'caseTrace', 'customerInfo', 'isFollower', 'tasks']);
    assert.equal(result.caseInfo.caseNo, '000000000000000000000000000006');
    assert.equal(result.caseInfo.status, 'tttttt');
    assert.equal(result.customerInfo?.customerInfo.customerName, '客户1');
    assert.deepEqual(result.tasks.map((task) => task.id), [DEMO_TASK_ID]);
    assert.equal(result.isFollower, false);
    // The captured example's additions: the names, and the platform's raw keys, all in alphabetical order.
    assert.deepEqual(Object.keys(result.caseInfo), [
      'AICC__IsCanced__CST', 'AICC__IsSuspend__CST', 'AICC__Origin__CST.name', 'AICC__Priority__CST.name', 'AICC__Reason__CST.name',
      'AICC__State__CST.name', 'AICC__Status__CST.name', 'AICC__Type__CST.__objectType', 'AICC__Type__CST.name', 'attachment', 'caseNo',
      'closedDate', 'contactId', 'contactPhone', 'createdDate', 'creatorId', 'creatorName', 'description', 'dueDate', 'extternalNo', 'id',
      'isUpgraded', 'origin', 'ownerId', 'ownerName', 'parentId', 'priority', 'reason', 'state', 'status', 'stayDate', 'suspendAccumulatedTime',
      'suspendDate', 'title', 'type',
    ]);
    assert.equal(result.caseInfo.ownerName, DEMO_USER.name);
    assert.equal(result.caseInfo.creatorName, DEMO_USER.name);
    assert.equal(result.caseInfo['AICC__Type__CST.__objectType'], 'AICC__CaseType__CST');
    assert.equal(result.caseInfo['AICC__Type__CST.name'], DEMO_CASE_TYPE.typeName);
    assert.equal(result.caseInfo['AICC__Status__CST.name'], 'tttttt');
    assert.equal(result.caseInfo['AICC__Priority__CST.name'], 'Low');
    assert.equal(result.caseInfo.AICC__IsCanced__CST, false);
  });

  it('POST case creates a case in the first status of its flow, with the next number and a CreateCase trace', async () => {
    const response = await postAicc(t.app, token, 'case', {
      caseInfo: {
        title: 'Printer jams', description: 'Every morning', type: DEMO_CASE_TYPE.id, ownerId: agent, isAtuoAssigned: false,
        priority: 'High', origin: 'Voice', dueDate: '2023-07-22 00:00:00', contactId: DEMO_CONTACT.id, creatorId: DEMO_USER.id, contactPhone: '15005167393',
      },
    });
    assert.equal(response.statusCode, 200);
    const { result } = response.json() as { result: { caseId: string } };
    assert.deepEqual(Object.keys(result), ['caseId']);
    const { caseInfo, caseTrace } = await detail(result.caseId);
    assert.equal(caseInfo.status, 'tttttt');
    assert.equal(caseInfo.state, 'Pending');
    assert.equal(caseInfo.ownerId, agent);
    assert.equal(caseInfo.origin, 'Voice');
    assert.equal(caseInfo.dueDate, '2023-07-22 00:00:00');
    assert.equal(caseInfo.contactPhone, '15005167393');
    assert.equal(caseInfo.isUpgraded, false);
    assert.ok(Number(caseInfo.caseNo) > 6);
    assert.deepEqual(caseTrace.map((trace) => trace.type), ['CreateCase']);
  });

  it('isAtuoAssigned without an owner assigns the user with the fewest open cases; "Whatapp" is stored as Whatsapp', async () => {
    const idle = (await createUser(t.database, DEMO_TENANT.id, { name: 'Idle Agent' }, Date.now())).userId;
    const id = await create({ ownerId: undefined, isAtuoAssigned: true, origin: 'Whatapp' });
    const { caseInfo, caseTrace } = await detail(id);
    assert.equal(caseInfo.ownerId, idle, 'the only user without open cases');
    assert.equal(caseInfo.origin, 'Whatsapp');
    assert.equal(caseTrace[0]?.description, `auto-assigned to ${idle}`);
    const next = await create({ ownerId: undefined, isAtuoAssigned: true });
    // Now the demo user (its demo case), the agent (the case of the test before) and the idle agent each have one
    // open case: the tie goes to the lowest id.
    assert.equal((await detail(next)).caseInfo.ownerId, [DEMO_USER.id, agent, idle].sort()[0]);
  });

  it('POST case takes isAutoAssigned (a public client\'s spelling) as isAtuoAssigned, and the state a new case has', async () => {
    const id = await create({ ownerId: undefined, isAtuoAssigned: undefined, isAutoAssigned: true, state: 'Pending' });
    assert.ok((await detail(id)).caseInfo.ownerId);
    const agreeing = await create({ isAtuoAssigned: false, isAutoAssigned: false });
    assert.equal((await detail(agreeing)).caseInfo.ownerId, DEMO_USER.id);
  });

  const invalidCreates: Array<[string, Json, RegExp]> = [
    ['no owner without auto-assignment', { ownerId: undefined }, /^caseInfo\.ownerId is required when caseInfo\.isAtuoAssigned is false$/],
    ['no isAtuoAssigned', { isAtuoAssigned: undefined }, /^caseInfo\.isAtuoAssigned is required \(AICC's spelling; isAutoAssigned is taken too\)$/],
    ['both spellings, differing', { isAtuoAssigned: false, isAutoAssigned: true }, /^caseInfo\.isAtuoAssigned and caseInfo\.isAutoAssigned are two spellings/],
    ['a state the new case cannot have', { state: 'Completed' }, /^caseInfo\.state of a new case is Pending/],
    ['isAtuoAssigned as a string', { isAtuoAssigned: 'true' }, /^caseInfo\.isAtuoAssigned must be a boolean/],
    ['no description', { description: undefined }, /^caseInfo\.description is required$/],
    ['no contact', { contactId: undefined }, /^caseInfo\.contactId is required$/],
    ['origin Web', { origin: 'Web' }, /^caseInfo\.origin must be one of: Email, Voice, webchat, Whatsapp, Whatapp/],
    ['priority Urgent', { priority: 'Urgent' }, /^caseInfo\.priority must be one of/],
    ['unknown type', { type: 'cvmC0000000000000000' }, /^caseInfo\.type .* is not a case type of this tenant$/],
    ['unknown owner', { ownerId: '10gg0000000000000000' }, /^caseInfo\.ownerId .* is not a user of this tenant$/],
    ['unknown contact', { contactId: 'ciIy0000000000000000' }, /^caseInfo\.contactId .* is not a contact of this tenant$/],
    ['unknown creator', { creatorId: '10gg0000000000000000' }, /^caseInfo\.creatorId .* is not a user of this tenant$/],
    ['title of 129 bytes (43 Chinese characters)', { title: '工'.repeat(43) }, /^caseInfo\.title is 129 bytes of UTF-8; at most 128 bytes \(a Chinese character takes 3\)$/],
    ['contactPhone of 21', { contactPhone: '1'.repeat(21) }, /^caseInfo\.contactPhone is 21 bytes of UTF-8; at most 20 bytes/],
  ];
  for (const [name, fields, message] of invalidCreates) {
    it(`POST case rejects ${name}, writing nothing`, () => assertRejected('case', {
      caseInfo: {
        title: 'x', description: 'd', type: DEMO_CASE_TYPE.id, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id, ...fields,
      },
    }, 400, message));
  }

  it('POST case rejects an Inactive case type', async () => {
    const made = await ext('case-types', { typeName: 'Retired', caseStatus: 'Open,Completed', status: 'Inactive' });
    const typeId = (made.json() as { result: { caseTypeId: string } }).result.caseTypeId;
    await assertRejected('case', {
      caseInfo: { title: 'x', description: 'd', type: typeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id },
    }, 400, /is Inactive/);
  });

  it('case/modify changes what is sent, records old and new, and writes nothing when nothing changes', async () => {
    const id = await create();
    const response = await postAicc(t.app, token, 'case/modify', {
      caseInfo: { id, title: 'Printer jams daily', description: 'Every morning', dueDate: '2023-06-20 00:00:00', creatorId: DEMO_USER.id },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, '{"resCode":"0","resMsg":"成功"}');
    const { caseInfo, caseTrace } = await detail(id);
    assert.equal(caseInfo.title, 'Printer jams daily');
    assert.equal(caseTrace[1]?.type, 'ModifyCase');
    assert.equal(caseTrace[1]?.description, 'title: "Printer jams" → "Printer jams daily"; dueDate: null → "2023-06-20 00:00:00"');
    const before = await snapshot();
    await postAicc(t.app, token, 'case/modify', { caseInfo: { id, title: 'Printer jams daily', description: 'Every morning', creatorId: DEMO_USER.id } });
    assert.equal(await snapshot(), before);
    await assertRejected('case/modify', { caseInfo: { id, title: 'x', creatorId: DEMO_USER.id } }, 400, /^caseInfo\.description is required$/);
    await assertRejected('case/modify', { caseInfo: { id, title: 'x', description: 'd', creatorId: DEMO_USER.id, ownerId: '10gg0000000000000000' } }, 400, /caseInfo\.ownerId/);
    await assertRejected('case/modify', { caseInfo: { id: 'c6m80000000000000000', title: 'x', description: 'd', creatorId: DEMO_USER.id } }, 404, /case c6m80000000000000000 does not exist/);
  });

  it('case/transfer moves the case to a user or a queue, with the remark; an unknown queue or owner is a 400', async () => {
    const id = await create();
    const toUser = await postAicc(t.app, token, 'case/transfer', { id, ownerId: agent, creatorId: DEMO_USER.id, remark: 'yours' });
    assert.equal(toUser.statusCode, 200, toUser.body);
    const queue = await ext('queues', { name: 'Tier 2' });
    const queueId = (queue.json() as { result: { queueId: string } }).result.queueId;
    const toQueue = await postAicc(t.app, token, 'case/transfer', { id, ownerId: queueId, ownerType: 'queue', creatorId: DEMO_USER.id, remark: 'escalated' });
    assert.equal(toQueue.statusCode, 200, toQueue.body);
    const { caseInfo, caseTrace } = await detail(id);
    assert.equal(caseInfo.ownerId, queueId);
    assert.deepEqual(caseTrace.slice(1).map((trace) => [trace.type, trace.title]), [['TransferCase', 'yours'], ['TransferCase', 'escalated']]);
    assert.equal(caseTrace[2]?.description, `ownerId: "${agent}" → "${queueId}"; ownerType: "user" → "queue"`);
    await assertRejected('case/transfer', { id, ownerId: agent, ownerType: 'queue', creatorId: DEMO_USER.id, remark: 'r' }, 400, /^ownerId .* is not a queue of this tenant$/);
    await assertRejected('case/transfer', { id, ownerId: '10gg0000000000000000', creatorId: DEMO_USER.id, remark: 'r' }, 400, /^ownerId .* is not a user/);
    await assertRejected('case/transfer', { id, ownerId: agent, ownerType: 'team', creatorId: DEMO_USER.id, remark: 'r' }, 400, /^ownerType must be one of: user, queue$/);
    await assertRejected('case/transfer', { id, ownerId: agent, creatorId: DEMO_USER.id }, 400, /^remark is required$/);
    await assertRejected('case/transfer', { id, ownerId: agent, creatorId: DEMO_USER.id, remark: 'x'.repeat(2001) }, 400, /^remark is 2001 bytes of UTF-8; at most 2000 bytes/);
  });

  it('case/process records an internal note, an email or an SMS on the trace (and sends nothing)', async () => {
    const id = await create();
    for (const type of ['Iternal', 'Email', 'SMS']) {
      const response = await postAicc(t.app, token, 'case/process', {
        caseId: id, creatorId: DEMO_USER.id, processInfo: { type, title: `${type} title`, description: 'text', toAddress: 'customer@huawei.com' },
      });
      assert.equal(response.statusCode, 200, response.body);
    }
    const { caseTrace } = await detail(id);
    assert.deepEqual(caseTrace.slice(1).map((trace) => [trace.type, trace.title, trace.description]), [
      ['ProcessCase', 'Iternal title', 'text'], ['ProcessCase', 'Email title', 'text'], ['ProcessCase', 'SMS title', 'text'],
    ]);
    await assertRejected('case/process', { caseId: id, creatorId: DEMO_USER.id, processInfo: { type: 'Fax', title: 't', description: 'd' } }, 400, /^processInfo\.type must be one of: Iternal, Email, SMS$/);
    await assertRejected('case/process', { caseId: id, creatorId: DEMO_USER.id, processInfo: { type: 'SMS', title: 't', description: 'd', fromName: 'x'.repeat(81) } }, 400, /processInfo\.fromName is 81 bytes of UTF-8; at most 80 bytes/);
  });

  it('status/update follows the flow: Completed closes, leaving it reopens; a status outside the flow is a 400', async () => {
    const id = await create();
    const update = (status: string) => postAicc(t.app, token, 'status/update', { id, status, creatorId: DEMO_USER.id });
    assert.equal((await update('Completed')).statusCode, 200);
    let { caseInfo } = await detail(id);
    assert.equal(caseInfo.state, 'Completed');
    assert.notEqual(caseInfo.closedDate, null);
    assert.equal(caseInfo.stayDate, caseInfo.closedDate);
    t.now.value += 60_000;
    assert.equal((await update('tttttt')).statusCode, 200);
    ({ caseInfo } = await detail(id));
    assert.equal(caseInfo.state, 'Processing');
    assert.equal(caseInfo.closedDate, null);
    await assertRejected('status/update', { id, status: 'Closed', creatorId: DEMO_USER.id }, 400, /^status Closed is not in the flow of case type .* \(tttttt, Completed\)$/);
    const list = await postAicc(t.app, token, 'case/list', { start: 0, limit: 100, isReopen: true });
    assert.ok(((list.json() as { result: Array<{ caseList: Json[] }> }).result[0]?.caseList ?? []).some((item) => item.id === id));
  });

  it('a strict flow allows only the next status', async () => {
    const made = await ext('case-types', { typeName: 'Strict', caseStatus: 'New,Investigating,Resolved,Completed', isStrctOrder: true });
    const type = (made.json() as { result: { caseTypeId: string } }).result.caseTypeId;
    const id = await create({ type });
    await assertRejected('status/update', { id, status: 'Resolved', creatorId: DEMO_USER.id }, 400, /^status must be Investigating: case type .* keeps its flow in strict order \(New → Investigating → Resolved → Completed\)$/);
    for (const status of ['Investigating', 'Resolved', 'Completed']) {
      assert.equal((await postAicc(t.app, token, 'status/update', { id, status, creatorId: DEMO_USER.id })).statusCode, 200, status);
    }
    assert.equal((await detail(id)).caseInfo.state, 'Completed');
  });

  it('case/cancel makes the case read-only until resumed, and resume returns it to the status it had', async () => {
    const id = await create();
    const cancel = await postAicc(t.app, token, 'case/cancel', { id, creatorId: DEMO_USER.id, remark: 'duplicate' });
    assert.equal(cancel.statusCode, 200);
    await assertRejected('case/cancel', { id, creatorId: DEMO_USER.id, remark: 'again' }, 409, /is already cancelled/);
    await assertRejected('status/update', { id, status: 'Completed', creatorId: DEMO_USER.id }, 409, /is cancelled: resume it before changing its status/);
    await assertRejected('case/modify', { caseInfo: { id, title: 'x', description: 'd', creatorId: DEMO_USER.id } }, 409, /is cancelled/);
    await assertRejected('case/transfer', { id, ownerId: agent, creatorId: DEMO_USER.id, remark: 'r' }, 409, /is cancelled/);
    const listed = await postAicc(t.app, token, 'case/list', { start: 0, limit: 100 });
    const item = (listed.json() as { result: Array<{ caseList: Json[] }> }).result[0]?.caseList.find((c) => c.id === id);
    assert.equal(item?.isCanced, true);

    assert.equal((await ext(`cases/${id}/resume`, { remark: 'not a duplicate after all' })).statusCode, 200);
    const { caseInfo, caseTrace } = await detail(id);
    assert.equal(caseInfo.status, 'tttttt');
    assert.deepEqual(caseTrace.map((trace) => trace.type), ['CreateCase', 'CancelCase', 'ResumeCase']);
    assert.equal(caseTrace[1]?.title, 'duplicate');
    await assertRejected(`/cases/${id}/resume`, {}, 409, /is neither cancelled nor suspended/);
  });

  it('suspend and resume pause the clock: suspendDate while suspended, the minutes added to suspendAccumulatedTime', async () => {
    const id = await create();
    assert.equal((await ext(`cases/${id}/suspend`, { remark: 'waiting for parts' })).statusCode, 200);
    let { caseInfo } = await detail(id);
    assert.notEqual(caseInfo.suspendDate, null);
    assert.equal(caseInfo.suspendAccumulatedTime, null);
    await assertRejected(`/cases/${id}/suspend`, {}, 409, /already suspended/);
    t.now.value += 90 * 60_000;
    assert.equal((await ext(`cases/${id}/resume`)).statusCode, 200);
    ({ caseInfo } = await detail(id));
    assert.equal(caseInfo.suspendDate, null);
    assert.equal(caseInfo.suspendAccumulatedTime, 90);
    assert.equal((await ext(`cases/${id}/suspend`)).statusCode, 200);
    t.now.value += 30 * 60_000 + 1;
    assert.equal((await ext(`cases/${id}/resume`)).statusCode, 200);
    assert.equal((await detail(id)).caseInfo.suspendAccumulatedTime, 121, 'a started minute counts');
    // Completing a suspended case ends its suspension.
    assert.equal((await ext(`cases/${id}/suspend`)).statusCode, 200);
    t.now.value += 10 * 60_000;
    assert.equal((await postAicc(t.app, token, 'status/update', { id, status: 'Completed', creatorId: DEMO_USER.id })).statusCode, 200);
    ({ caseInfo } = await detail(id));
    assert.equal(caseInfo.suspendDate, null);
    assert.equal(caseInfo.suspendAccumulatedTime, 131);
    await assertRejected(`/cases/${id}/suspend`, {}, 409, /is Completed/);
  });

  it('a task created on a case shows in the case detail and in its trace', async () => {
    const id = await create();
    const task = await postAicc(t.app, token, 'task', { taskInfo: { title: 'call back', ownerId: agent, creatorId: DEMO_USER.id, type: 'Case', relateId: id } });
    assert.equal(task.statusCode, 200);
    const taskId = (task.json() as { result: { taskId: string } }).result.taskId;
    const { tasks, caseTrace } = await detail(id);
    assert.deepEqual(tasks.map((item) => item.id), [taskId]);
    assert.deepEqual(caseTrace.at(-1), { creatorId: DEMO_USER.id, creatorName: DEMO_USER.name, description: null, relatedId: taskId, title: 'call back', type: 'CreateTask' });
  });

  it('follow and unfollow set isFollower for the caller', async () => {
    const id = await create();
    assert.equal((await ext(`cases/${id}/follow`)).statusCode, 200);
    assert.equal((await detail(id)).isFollower, true);
    assert.equal((await ext(`cases/${id}/unfollow`)).statusCode, 200);
    assert.equal((await detail(id)).isFollower, false);
  });

  it('malformed and unknown ids on case detail are a 400 and a 404', async () => {
    for (const [id, status] of [["x' OR '1'='1", 400], ['c6m80000000000000000', 404], ['c'.repeat(21), 400]] as const) {
      const response = await t.app.inject({ method: 'GET', url: `${AICC}/case/${encodeURIComponent(id)}`, headers: { 'access-token': token } });
      assert.equal(response.statusCode, status, id);
      assertErrorEnvelope(response.body);
    }
  });
});
