import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_CONTACT, DEMO_TASK_ID, DEMO_USER, DEMO_CASE } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { assertErrorEnvelope, fetchToken, postAicc, startTestApp, TASK_PATH, type TestApp } from '../helpers.js';

interface Detail {
  taskInfo: Record<string, string | null>;
  taskTrace: Array<Record<string, string | null>>;
  caseInfos: unknown[];
  customerInfo: unknown;
}

/** The documentation's own create-task example, with the demo ids. */
const docsCreateExample = {
  taskInfo: {
    title: 'test002', description: 'test001', type: 'Case', ownerId: DEMO_USER.id, relateId: DEMO_CASE.id,
    dueDate: '2023-07-08 00:00:00', contactId: DEMO_CONTACT.id, priority: 'Low', creatorId: DEMO_USER.id,
  },
};

describe('task writes: create, modify, transfer, status/update, process', () => {
  let t: TestApp;
  let token: string;
  let otherUserId: string;

  before(async () => {
    t = await startTestApp();
    token = await fetchToken(t.app);
    otherUserId = (await createUser(t.database, 'tnnt000000000000demo', { name: 'Wang Fang' }, Date.now())).userId;
  });
  after(() => t.close());
  beforeEach(() => {
    t.now.value += 60_000;
  });

  async function detail(id: string): Promise<Detail> {
    const response = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${id}`, headers: { 'access-token': token } });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { result: Detail }).result;
  }

  async function create(taskInfo: Record<string, unknown> = docsCreateExample.taskInfo): Promise<string> {
    const response = await postAicc(t.app, token, 'task', { taskInfo });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { result: { taskId: string } }).result.taskId;
  }

  /** Rows in every table the writes touch: a rejected call must leave them all as they were. */
  async function snapshot() {
    const db = t.database.db;
    return JSON.stringify([
      await db.selectFrom('tasks').selectAll().orderBy('id').execute(),
      await db.selectFrom('task_traces').selectAll().orderBy('id').execute(),
      await db.selectFrom('tenant_counters').selectAll().orderBy('tenant_id').orderBy('name').execute(),
    ]);
  }

  async function assertRejected(path: string, body: unknown, status: number, message: RegExp) {
    const before = await snapshot();
    const response = await postAicc(t.app, token, path, body);
    assert.equal(response.statusCode, status, `${path} ${JSON.stringify(body)}: ${response.body}`);
    assert.match(assertErrorEnvelope(response.body).resMsg, message);
    assert.equal(await snapshot(), before, `${path} wrote something although it was rejected`);
  }

  describe('POST task', () => {
    it('the documentation example creates a Pending task with the next number and a CreateTask trace', async () => {
      const response = await postAicc(t.app, token, 'task', docsCreateExample);
      assert.equal(response.statusCode, 200);
      const body = response.json() as { resCode: string; resMsg: string; result: { taskId: string } };
      assert.deepEqual(Object.keys(body), ['resCode', 'resMsg', 'result']);
      assert.deepEqual(Object.keys(body.result), ['taskId']);
      assert.match(body.result.taskId, /^ccqG[0-9A-Za-z]{16}$/);

      const { taskInfo, taskTrace, caseInfos, customerInfo } = await detail(body.result.taskId);
      assert.equal(taskInfo.title, 'test002');
      assert.equal(taskInfo.description, 'test001');
      assert.equal(taskInfo.status, 'Pending');
      assert.equal(taskInfo.type, 'Case');
      assert.equal(taskInfo.relateId, DEMO_CASE.id);
      assert.equal(taskInfo.dueDate, '2023-07-08 00:00:00');
      assert.equal(taskInfo.priority, 'Low');
      assert.equal(taskInfo.creatorName, DEMO_USER.name, 'creatorName comes from the users');
      assert.equal(taskInfo.ownerName, DEMO_USER.name);
      assert.equal(taskInfo.closedDate, null);
      assert.equal(taskInfo.stayDate, null);
      assert.match(taskInfo.taskNo ?? '', /^0{26}\d{4}$/);
      assert.ok(Number(taskInfo.taskNo) > 1002, 'numbers continue after the demo task');
      assert.equal(caseInfos.length, 1);
      assert.notEqual(customerInfo, null);
      assert.deepEqual(taskTrace, [{ creatorId: DEMO_USER.id, creatorName: DEMO_USER.name, description: null, relatedId: null, title: null, type: 'CreateTask' }]);
    });

    it('a minimal task has nulls where nothing was given, an empty caseInfos and no customerInfo', async () => {
      const id = await create({ title: 'minimal', ownerId: otherUserId, creatorId: DEMO_USER.id });
      const { taskInfo, caseInfos, customerInfo } = await detail(id);
      for (const key of ['description', 'type', 'relateId', 'contactId', 'priority', 'dueDate', 'attachment']) assert.equal(taskInfo[key], null, key);
      assert.equal(taskInfo.ownerName, 'Wang Fang');
      assert.deepEqual(caseInfos, []);
      assert.equal(customerInfo, null);
    });

    it('task numbers are distinct under 50 concurrent creates', async () => {
      const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => create({ title: `parallel ${i}`, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id })));
      const numbers = new Set<string | null>();
      for (const id of ids) numbers.add((await detail(id)).taskInfo.taskNo ?? null);
      assert.equal(numbers.size, 50);
    });

    const base = { title: 'x', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id };
    const invalid: Array<[string, unknown, RegExp]> = [
      ['no taskInfo', {}, /^taskInfo is required$/],
      ['no title', { taskInfo: { ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } }, /^taskInfo\.title is required$/],
      ['no ownerId', { taskInfo: { title: 'x', creatorId: DEMO_USER.id } }, /^taskInfo\.ownerId is required$/],
      ['no creatorId', { taskInfo: { title: 'x', ownerId: DEMO_USER.id } }, /^taskInfo\.creatorId is required: the user this change is made as/],
      ['empty title', { taskInfo: { ...base, title: '' } }, /^taskInfo\.title must not be empty$/],
      ['title of 129', { taskInfo: { ...base, title: 'x'.repeat(129) } }, /^taskInfo\.title is 129 bytes of UTF-8; at most 128 bytes \(a Chinese character takes 3\)$/],
      ['description of 20001', { taskInfo: { ...base, description: 'x'.repeat(20001) } }, /^taskInfo\.description is 20001 bytes of UTF-8; at most 20000 bytes/],
      ['attachment of 256', { taskInfo: { ...base, attachment: 'x'.repeat(256) } }, /^taskInfo\.attachment is 256 bytes of UTF-8; at most 255 bytes/],
      ['priority Urgent', { taskInfo: { ...base, priority: 'Urgent' } }, /^taskInfo\.priority must be one of: Critical, High, Medium, Low/],
      ['type Ticket', { taskInfo: { ...base, type: 'Ticket', relateId: DEMO_CASE.id } }, /^taskInfo\.type must be one of: Case/],
      ['title a number', { taskInfo: { ...base, title: 42 } }, /^taskInfo\.title must be a string$/],
      ['ownerId malformed', { taskInfo: { ...base, ownerId: "1' OR '1'='1" } }, /^taskInfo\.ownerId must be a 20-character id/],
      ['dueDate ISO', { taskInfo: { ...base, dueDate: '2023-07-08T00:00:00Z' } }, /^taskInfo\.dueDate must be a date as YYYY-MM-DD HH:mm:ss$/],
      ['dueDate not real', { taskInfo: { ...base, dueDate: '2023-02-30 00:00:00' } }, /^taskInfo\.dueDate is not a real date$/],
      ['type without relateId', { taskInfo: { ...base, type: 'Case' } }, /^taskInfo\.relateId is required when taskInfo\.type is set$/],
      ['relateId without type', { taskInfo: { ...base, relateId: DEMO_CASE.id } }, /^taskInfo\.type is required when taskInfo\.relateId is set$/],
      ['unknown owner', { taskInfo: { ...base, ownerId: '10gg0000000000000000' } }, /^taskInfo\.ownerId 10gg0000000000000000 is not a user of this tenant$/],
      ['unknown creator', { taskInfo: { ...base, creatorId: '10gg0000000000000000' } }, /^taskInfo\.creatorId .* is not a user of this tenant$/],
      ['unknown contact', { taskInfo: { ...base, contactId: 'ciIy0000000000000000' } }, /^taskInfo\.contactId .* is not a contact of this tenant$/],
      ['unknown case', { taskInfo: { ...base, type: 'Case', relateId: 'c6m80000000000000000' } }, /^taskInfo\.relateId .* is not a case of this tenant$/],
    ];
    for (const [name, body, message] of invalid) {
      it(`rejects ${name} with a 400 naming the field, and writes nothing`, () => assertRejected('task', body, 400, message));
    }

    it("rejects another tenant's user as owner, like an unknown one", async () => {
      const other = await createTenant(t.database, { name: 'other', timeZone: 'UTC', userName: 'stranger' }, Date.now());
      await assertRejected('task', { taskInfo: { ...base, ownerId: other.userId } }, 400, /^taskInfo\.ownerId .* is not a user of this tenant$/);
    });
  });

  describe('POST task/modify', () => {
    it('the documentation example changes the title and records ModifyTask with old and new values', async () => {
      const id = await create();
      const response = await postAicc(t.app, token, 'task/modify', { taskInfo: { id, title: 'show0707', creatorId: DEMO_USER.id } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, '{"resCode":"0","resMsg":"成功"}');
      const { taskInfo, taskTrace } = await detail(id);
      assert.equal(taskInfo.title, 'show0707');
      assert.equal(taskTrace.length, 2);
      assert.deepEqual(taskTrace[1], {
        creatorId: DEMO_USER.id, creatorName: DEMO_USER.name, description: 'title: "test002" → "show0707"', relatedId: null, title: null, type: 'ModifyTask',
      });
    });

    it('null clears optional fields; several changes make one trace', async () => {
      const id = await create();
      const response = await postAicc(t.app, token, 'task/modify', {
        taskInfo: { id, description: null, dueDate: null, priority: 'High', type: null, relateId: null, contactId: null, creatorId: otherUserId },
      });
      assert.equal(response.statusCode, 200, response.body);
      const { taskInfo, taskTrace, caseInfos, customerInfo } = await detail(id);
      assert.equal(taskInfo.description, null);
      assert.equal(taskInfo.dueDate, null);
      assert.equal(taskInfo.priority, 'High');
      assert.deepEqual(caseInfos, []);
      assert.equal(customerInfo, null);
      assert.equal(taskTrace.length, 2);
      assert.equal(taskTrace[1]?.creatorId, otherUserId);
      assert.equal(taskTrace[1]?.creatorName, 'Wang Fang');
      assert.equal(taskTrace[1]?.description,
        'description: "test001" → null; type: "Case" → null; relateId: "c6m80000014iXKHqDw3c" → null; contactId: "ciIy0000013y7cC8T2rA" → null; priority: "Low" → "High"; dueDate: "2023-07-08 00:00:00" → null');
    });

    it('a modify that changes nothing writes no trace', async () => {
      const id = await create();
      const before = await snapshot();
      const response = await postAicc(t.app, token, 'task/modify', { taskInfo: { id, title: 'test002', priority: 'Low' } });
      assert.equal(response.statusCode, 200);
      assert.equal(await snapshot(), before);
    });

    it('without creatorId the API app\'s user is the operator', async () => {
      const id = await create();
      assert.equal((await postAicc(t.app, token, 'task/modify', { taskInfo: { id, title: 'by the app' } })).statusCode, 200);
      assert.equal((await detail(id)).taskTrace[1]?.creatorId, DEMO_USER.id);
    });

    it('rejects unknown tasks, owner and status changes, broken pairs and bad references, writing nothing', async () => {
      const id = await create();
      await assertRejected('task/modify', { taskInfo: { id: 'ccqG0000000000000000', title: 'x' } }, 404, /task ccqG0000000000000000 does not exist/);
      await assertRejected('task/modify', { taskInfo: { title: 'x' } }, 400, /^taskInfo\.id is required$/);
      await assertRejected('task/modify', { taskInfo: { id, ownerId: otherUserId } }, 400, /taskInfo\.ownerId cannot be changed by task\/modify: use task\/transfer/);
      await assertRejected('task/modify', { taskInfo: { id, status: 'Completed' } }, 400, /use task\/status\/update/);
      await assertRejected('task/modify', { taskInfo: { id, type: null } }, 400, /taskInfo\.type is required when taskInfo\.relateId is set/);
      await assertRejected('task/modify', { taskInfo: { id, title: 'x', contactId: 'ciIy0000000000000000' } }, 400, /taskInfo\.contactId/);
      await assertRejected('task/modify', { taskInfo: { id, title: 'x', creatorId: '10gg0000000000000000' } }, 400, /taskInfo\.creatorId/);
      await assertRejected('task/modify', { taskInfo: { id, title: 'x'.repeat(129) } }, 400, /^taskInfo\.title is 129 bytes of UTF-8; at most 128 bytes/);
    });
  });

  describe('POST task/transfer', () => {
    it('moves the task to a new owner and records TransferTask', async () => {
      const id = await create();
      const response = await postAicc(t.app, token, 'task/transfer', { id, ownerId: otherUserId, creatorId: DEMO_USER.id });
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, '{"resCode":"0","resMsg":"成功"}');
      const { taskInfo, taskTrace } = await detail(id);
      assert.equal(taskInfo.ownerId, otherUserId);
      assert.equal(taskInfo.ownerName, 'Wang Fang');
      assert.equal(taskTrace[1]?.type, 'TransferTask');
      assert.equal(taskTrace[1]?.description, `ownerId: "${DEMO_USER.id}" → "${otherUserId}"`);
    });

    it('the documentation example (same owner) succeeds and changes nothing', async () => {
      const before = await snapshot();
      const response = await postAicc(t.app, token, 'task/transfer', { id: DEMO_TASK_ID, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id });
      assert.equal(response.statusCode, 200);
      assert.equal(await snapshot(), before);
    });

    it('rejects a missing field, an unknown owner or operator, and an unknown task, writing nothing', async () => {
      const id = await create();
      await assertRejected('task/transfer', { id, ownerId: otherUserId }, 400, /^creatorId is required: the user this change is made as/);
      await assertRejected('task/transfer', { id, creatorId: DEMO_USER.id }, 400, /^ownerId is required$/);
      await assertRejected('task/transfer', { id, ownerId: '10gg0000000000000000', creatorId: DEMO_USER.id }, 400, /^ownerId .* is not a user of this tenant$/);
      await assertRejected('task/transfer', { id, ownerId: otherUserId, creatorId: '10gg0000000000000000' }, 400, /^creatorId .* is not a user/);
      await assertRejected('task/transfer', { id: 'ccqG0000000000000000', ownerId: otherUserId, creatorId: DEMO_USER.id }, 404, /does not exist/);
    });
  });

  describe('POST task/status/update', () => {
    it('any status to any other: stayDate follows each change, closedDate is set on Completed and cleared on reopen', async () => {
      const id = await create();
      const step = async (status: string) => {
        t.now.value += 60_000;
        const response = await postAicc(t.app, token, 'task/status/update', { id, status, creatorId: DEMO_USER.id });
        assert.equal(response.statusCode, 200, response.body);
        return (await detail(id)).taskInfo;
      };
      const processing = await step('Processing');
      assert.equal(processing.status, 'Processing');
      assert.notEqual(processing.stayDate, null);
      assert.equal(processing.closedDate, null);
      const completed = await step('Completed');
      assert.equal(completed.closedDate, completed.stayDate);
      assert.ok((completed.stayDate ?? '') > (processing.stayDate ?? ''));
      const reopened = await step('Pending');
      assert.equal(reopened.closedDate, null);
      assert.ok((reopened.stayDate ?? '') > (completed.stayDate ?? ''));
      const completedAgain = await step('Completed');
      assert.notEqual(completedAgain.closedDate, null);

      const { taskTrace } = await detail(id);
      assert.deepEqual(taskTrace.map((trace) => trace.type), ['CreateTask', 'StatusUpdate', 'StatusUpdate', 'StatusUpdate', 'StatusUpdate']);
      assert.deepEqual(taskTrace.map((trace) => trace.description), [
        null, 'status: "Pending" → "Processing"', 'status: "Processing" → "Completed"', 'status: "Completed" → "Pending"', 'status: "Pending" → "Completed"',
      ]);
    });

    it('the same status again writes nothing; an undocumented status is a 400', async () => {
      const id = await create();
      const before = await snapshot();
      assert.equal((await postAicc(t.app, token, 'task/status/update', { id, status: 'Pending', creatorId: DEMO_USER.id })).statusCode, 200);
      assert.equal(await snapshot(), before);
      await assertRejected('task/status/update', { id, status: 'Closed', creatorId: DEMO_USER.id }, 400, /^status must be one of: Pending, Processing, Completed$/);
      await assertRejected('task/status/update', { id, status: 'Completed' }, 400, /^creatorId is required: the user this change is made as/);
    });
  });

  describe('POST task/process', () => {
    it('the documentation example records a ProcessTask trace with its title and description', async () => {
      const id = await create();
      const response = await postAicc(t.app, token, 'task/process', {
        taskId: id, processInfo: { type: 'Iternal', title: 'test0707', description: 'test0707' }, creatorId: DEMO_USER.id,
      });
      assert.equal(response.statusCode, 200);
      const { taskInfo, taskTrace } = await detail(id);
      assert.equal(taskInfo.status, 'Pending');
      assert.deepEqual(taskTrace[1], {
        creatorId: DEMO_USER.id, creatorName: DEMO_USER.name, description: 'test0707', relatedId: null, title: 'test0707', type: 'ProcessTask',
      });
    });

    it('accepts only the misspelled type Iternal, and requires title and description', async () => {
      const id = await create();
      const info = { type: 'Iternal', title: 't', description: 'd' };
      await assertRejected('task/process', { taskId: id, processInfo: { ...info, type: 'Internal' }, creatorId: DEMO_USER.id }, 400, /^processInfo\.type must be one of: Iternal$/);
      await assertRejected('task/process', { taskId: id, processInfo: { type: 'Iternal', title: 't' }, creatorId: DEMO_USER.id }, 400, /^processInfo\.description is required$/);
      await assertRejected('task/process', { id, processInfo: info, creatorId: DEMO_USER.id }, 400, /^taskId is required \(the body has id: did you mean taskId\?\)$/);
      await assertRejected('task/process', { taskId: 'ccqG0000000000000000', processInfo: info, creatorId: DEMO_USER.id }, 404, /does not exist/);
    });
  });

  it("no write reaches another tenant's task", async () => {
    const other = await createTenant(t.database, { name: 'intruder', timeZone: 'UTC', userName: 'intruder' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const before = await snapshot();
    const calls: Array<[string, unknown]> = [
      ['task/modify', { taskInfo: { id: DEMO_TASK_ID, title: 'hijacked', creatorId: other.userId } }],
      ['task/transfer', { id: DEMO_TASK_ID, ownerId: other.userId, creatorId: other.userId }],
      ['task/status/update', { id: DEMO_TASK_ID, status: 'Completed', creatorId: other.userId }],
      ['task/process', { taskId: DEMO_TASK_ID, processInfo: { type: 'Iternal', title: 'x', description: 'x' }, creatorId: other.userId }],
      ['task', { taskInfo: { title: 'x', ownerId: other.userId, creatorId: other.userId, type: 'Case', relateId: DEMO_CASE.id } }],
    ];
    for (const [path, body] of calls) {
      const response = await postAicc(t.app, otherToken, path, body);
      assert.ok([400, 404].includes(response.statusCode), `${path}: ${response.statusCode}`);
    }
    assert.equal(await snapshot(), before);
  });
});
