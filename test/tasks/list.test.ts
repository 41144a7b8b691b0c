import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_CASE, DEMO_CONTACT, DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { parseWireDate } from '../../src/wire/dates.js';
import { assertErrorEnvelope, fetchToken, postAicc, startTestApp, type TestApp } from '../helpers.js';

interface ListResult {
  count: number;
  taskList: Array<Record<string, string | null>>;
}

describe('POST task/list', () => {
  let t: TestApp;
  let token: string;
  let agent: string;
  /** Titles of the tasks made here, newest first, as the list must return them. */
  const titlesNewestFirst: string[] = [];
  const START = parseWireDate('2024-03-01 09:00:00', DEMO_TENANT.timeZone) ?? 0;

  before(async () => {
    t = await startTestApp();
    token = await fetchToken(t.app);
    agent = (await createUser(t.database, DEMO_TENANT.id, { name: 'Zhao Lei' }, Date.now())).userId;
    // 30 tasks an hour apart: every third owned by the agent, every fifth created by the agent, titles with LIKE wildcards.
    for (let i = 0; i < 30; i++) {
      t.now.value = START + i * 3_600_000;
      const title = i === 7 ? 'Refund 50% of order' : i === 8 ? 'Refund 5000 of order' : i === 9 ? 'snake_case title' : `Task ${String(i).padStart(2, '0')} alpha`;
      const response = await postAicc(t.app, token, 'task', {
        taskInfo: {
          title,
          ownerId: i % 3 === 0 ? agent : DEMO_USER.id,
          creatorId: i % 5 === 0 ? agent : DEMO_USER.id,
          priority: i % 2 === 0 ? 'High' : 'Low',
          ...(i < 10 ? { type: 'Case', relateId: DEMO_CASE.id, contactId: DEMO_CONTACT.id } : {}),
        },
      });
      assert.equal(response.statusCode, 200, response.body);
      titlesNewestFirst.unshift(title);
    }
    // Complete two of the agent's tasks.
    const agentTasks = await list({ ownerId: agent, limit: 100 });
    for (const task of agentTasks.taskList.slice(0, 2)) {
      assert.equal((await postAicc(t.app, token, 'task/status/update', { id: task.taskId, status: 'Completed', creatorId: agent })).statusCode, 200);
    }
  });
  after(() => t.close());

  async function list(filters: Record<string, unknown>): Promise<ListResult> {
    const response = await postAicc(t.app, token, 'task/list', { start: 0, limit: 20, creatorId: DEMO_USER.id, ...filters });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as { result: ListResult };
    assert.deepEqual(Object.keys(body.result), ['count', 'taskList']);
    return body.result;
  }

  async function rejected(filters: Record<string, unknown>, message: RegExp) {
    const response = await postAicc(t.app, token, 'task/list', filters);
    assert.equal(response.statusCode, 400, response.body);
    assert.match(assertErrorEnvelope(response.body).resMsg, message);
  }

  it('the documentation-style request lists every task of the tenant, newest first, with an exact count', async () => {
    const result = await list({ start: 0, limit: 2 });
    assert.equal(result.count, 31, '30 made here and the demo task');
    assert.deepEqual(result.taskList.map((task) => task.title), titlesNewestFirst.slice(0, 2));
    const item = result.taskList[0] ?? {};
    assert.deepEqual(Object.keys(item), ['attachment', 'closedDate', 'contactId', 'createdDate', 'creatorId', 'creatorName', 'description', 'dueDate',
      'ownerId', 'ownerName', 'priority', 'relateId', 'status', 'stayDate', 'taskId', 'taskNo', 'title', 'type']);
    assert.equal(item.createdDate, '2024-03-02 14:00:00');
  });

  it('the same request answered again shows every change made in between (lists are cached until the tenant changes)', async () => {
    const filters = { ownerId: agent, status: 'Completed', limit: 100 };
    const before = await list(filters);
    assert.deepEqual(await list(filters), before);
    const next = (await list({ ownerId: agent, status: 'Pending', limit: 1 })).taskList[0]?.taskId;
    assert.equal((await postAicc(t.app, token, 'task/status/update', { id: next, status: 'Completed', creatorId: agent })).statusCode, 200);
    const after = await list(filters);
    assert.equal(after.count, before.count + 1);
    assert.ok(after.taskList.some((task) => task.taskId === next));
    assert.equal((await postAicc(t.app, token, 'task/status/update', { id: next, status: 'Pending', creatorId: agent })).statusCode, 200);
    assert.deepEqual((await list(filters)).count, before.count);
  });

  it('pages follow each other without overlap or gap, the demo task last', async () => {
    const seen: string[] = [];
    for (let start = 0; start < 31; start += 7) {
      const page = await list({ start, limit: 7 });
      assert.equal(page.count, 31);
      seen.push(...page.taskList.map((task) => task.taskId ?? ''));
    }
    assert.equal(seen.length, 31);
    assert.equal(new Set(seen).size, 31);
    assert.equal(seen[30], DEMO_TASK_ID);
  });

  it('limit edges: 0 and 101 are 400s, 1 and 100 work; start beyond the end is an empty page with the full count', async () => {
    await rejected({ start: 0, limit: 0, creatorId: DEMO_USER.id }, /^limit must be at least 1$/);
    await rejected({ start: 0, limit: 101, creatorId: DEMO_USER.id }, /^limit must be at most 100$/);
    assert.equal((await list({ limit: 1 })).taskList.length, 1);
    const all = await list({ limit: 100 });
    assert.equal(all.taskList.length, 31);
    assert.equal(all.count, 31);
    const beyond = await list({ start: 500, limit: 10 });
    assert.deepEqual(beyond, { count: 31, taskList: [] });
  });

  it('start, limit and creatorId are required; wrong types and values are 400s naming the field', async () => {
    await rejected({ limit: 10, creatorId: DEMO_USER.id }, /^start is required$/);
    await rejected({ start: 0, creatorId: DEMO_USER.id }, /^limit is required$/);
    await rejected({ start: 0, limit: 10 }, /^creatorId is required: the user this change is made as/);
    await rejected({ start: -1, limit: 10, creatorId: DEMO_USER.id }, /^start must be at least 0$/);
    await rejected({ start: '0', limit: 10, creatorId: DEMO_USER.id }, /^start must be an integer$/);
    await rejected({ start: 0, limit: 2.5, creatorId: DEMO_USER.id }, /^limit must be an integer$/);
    await rejected({ start: 0, limit: 10, creatorId: '10gg0000000000000000' }, /^creatorId .* is not a user of this tenant$/);
    await rejected({ start: 0, limit: 10, creatorId: DEMO_USER.id, status: 'Done' }, /^status must be one of/);
    await rejected({ start: 0, limit: 10, creatorId: DEMO_USER.id, classification: 'Mine' }, /^classification must be one of: Todo, Processed, Created$/);
    await rejected({ start: 0, limit: 10, creatorId: DEMO_USER.id, type: 'Case' }, /^relateId is required when type is set$/);
    await rejected({ start: 0, limit: 10, creatorId: DEMO_USER.id, startTime: '2024-03-02' }, /^startTime must be a date as YYYY-MM-DD HH:mm:ss$/);
    await rejected({ start: 0, limit: 10, creatorId: DEMO_USER.id, startTime: '2024-03-02 00:00:00', endTime: '2024-03-01 00:00:00' }, /^startTime must not be after endTime$/);
  });

  it('every filter narrows, and count counts every match', async () => {
    assert.equal((await list({ ownerId: agent })).count, 10);
    assert.equal((await list({ ownerId: agent, status: 'Completed' })).count, 2);
    assert.equal((await list({ status: 'Pending' })).count, 29);
    assert.equal((await list({ priority: 'High' })).count, 15);
    assert.equal((await list({ priority: 'High', ownerId: agent })).count, 5);
    assert.equal((await list({ type: 'Case', relateId: DEMO_CASE.id })).count, 11, 'ten made here and the demo task');
    assert.equal((await list({ relateId: DEMO_CASE.id })).count, 11);
    assert.equal((await list({ contactId: DEMO_CONTACT.id })).count, 11);
    assert.equal((await list({ startTime: '2024-03-01 09:00:00', endTime: '2024-03-01 11:00:00' })).count, 3, 'both ends included');
    assert.equal((await list({ startTime: '2024-03-02 13:00:00' })).count, 2);
    assert.equal((await list({ endTime: '2024-03-01 09:00:00' })).count, 2, 'the first task and the demo task of 2023');
  });

  it('title is a case-insensitive contains, with % and _ matched literally', async () => {
    assert.equal((await list({ title: 'ALPHA' })).count, 27);
    assert.equal((await list({ title: 'task 1' })).count, 10);
    assert.deepEqual((await list({ title: '50%' })).taskList.map((task) => task.title), ['Refund 50% of order']);
    assert.deepEqual((await list({ title: 'e_c' })).taskList.map((task) => task.title), ['snake_case title']);
    assert.equal((await list({ title: '%' })).count, 1);
    assert.equal((await list({ title: "' OR 1=1 --" })).count, 0);
  });

  it('classification is relative to creatorId: Todo, Created, Processed', async () => {
    const asAgent = (classification: string, extra: Record<string, unknown> = {}) => list({ creatorId: agent, classification, ...extra });
    assert.equal((await asAgent('Todo')).count, 8, 'owned by the agent and not Completed');
    assert.equal((await asAgent('Processed')).count, 2, 'owned by the agent and Completed');
    assert.equal((await asAgent('Created')).count, 6, 'created by the agent');
    assert.equal((await asAgent('Todo', { ownerId: DEMO_USER.id })).count, 0, 'a contradicting owner filter matches nothing');
    assert.equal((await asAgent('Processed', { status: 'Pending' })).count, 0);
    assert.equal((await asAgent('Todo', { status: 'Completed' })).count, 0);
  });

  it("another tenant's list holds none of these tasks", async () => {
    const other = await createTenant(t.database, { name: 'other', timeZone: 'UTC', userName: 'someone' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const response = await postAicc(t.app, otherToken, 'task/list', { start: 0, limit: 100, creatorId: other.userId });
    assert.equal(response.statusCode, 200);
    assert.deepEqual((response.json() as { result: ListResult }).result, { count: 0, taskList: [] });
    const spoofed = await postAicc(t.app, otherToken, 'task/list', { start: 0, limit: 100, creatorId: DEMO_USER.id });
    assert.equal(spoofed.statusCode, 400, 'a user of another tenant is not a user here');
  });
});
