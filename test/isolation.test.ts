import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenant } from '../src/auth/service.js';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TASK_ID, DEMO_USER } from '../src/demo/records.js';
import { AICC, fetchToken, postAicc, startTestApp, type TestApp } from './helpers.js';

/** A second tenant fills itself through the API; the demo tenant then looks for its records everywhere. */
describe('tenant isolation through every endpoint', () => {
  let t: TestApp;
  let demoToken: string;
  let otherToken: string;
  const other: Record<string, string> = {};

  before(async () => {
    t = await startTestApp();
    demoToken = await fetchToken(t.app);
    const tenant = await createTenant(t.database, { name: 'Other Co', timeZone: 'Europe/Berlin', userName: 'other admin' }, Date.now());
    otherToken = await fetchToken(t.app, tenant.clientId, tenant.clientSecret);
    other.userId = tenant.userId;
    other.caseTypeId = tenant.caseTypeId;
    const ext = async (path: string, body: unknown, key: string) => {
      const response = await t.app.inject({ method: 'POST', url: `/opencase/v1/${path}`, headers: { 'access-token': otherToken }, payload: body as object });
      assert.equal(response.statusCode, 200, response.body);
      other[key] = Object.values((response.json() as { result: Record<string, string> }).result)[0] ?? '';
    };
    await ext('users', { name: 'other agent' }, 'agentId');
    await ext('queues', { name: 'other queue' }, 'queueId');
    await ext('contacts', { customerName: 'other customer', organization: { organizationName: 'Other Org' }, address: { city: 'Berlin' } }, 'contactId');
    await ext('case-types', { typeName: 'Other type', caseStatus: 'Open,Completed' }, 'customTypeId');
    const createdCase = await postAicc(t.app, otherToken, 'case', {
      caseInfo: { title: 'other case', description: 'd', type: other.caseTypeId, ownerId: other.agentId, isAtuoAssigned: false, contactId: other.contactId },
    });
    other.caseId = (createdCase.json() as { result: { caseId: string } }).result.caseId;
    const createdTask = await postAicc(t.app, otherToken, 'task', {
      taskInfo: { title: 'other task', ownerId: other.agentId, creatorId: other.userId, type: 'Case', relateId: other.caseId, contactId: other.contactId },
    });
    other.taskId = (createdTask.json() as { result: { taskId: string } }).result.taskId;
    assert.equal((await t.app.inject({ method: 'POST', url: `/opencase/v1/cases/${other.caseId}/follow`, headers: { 'access-token': otherToken } })).statusCode, 200);
  });
  after(() => t.close());

  /** No id of the other tenant, nor its names, appears anywhere in a reply. */
  function assertNothingOfOther(body: string, where: string) {
    for (const [key, value] of Object.entries(other)) assert.ok(!body.includes(value), `${where} reveals the other tenant's ${key}`);
    for (const name of ['other customer', 'Other Org', 'other case', 'other task', 'other agent', 'other queue', 'Other type']) {
      assert.ok(!body.includes(name), `${where} reveals "${name}"`);
    }
  }

  it('detail calls answer 404 for the other tenant\'s ids, exactly as for ids that do not exist', async () => {
    const details: Array<[string, string]> = [
      [`${AICC}/task/${other.taskId}`, 'task'], [`${AICC}/case/${other.caseId}`, 'case'], [`${AICC}/caseType/${other.customTypeId}`, 'case type'],
      [`/opencase/v1/contacts/${other.contactId}`, 'contact'],
    ];
    for (const [url, what] of details) {
      const response = await t.app.inject({ method: 'GET', url, headers: { 'access-token': demoToken } });
      assert.equal(response.statusCode, 404, url);
      assert.match(response.body, new RegExp(`${what} \\w{20} does not exist`));
      assertNothingOfOther(response.body.replace(/\w{20} does not exist/, ''), url);
    }
  });

  it('every list and the trace export hold only the caller\'s records', async () => {
    const reads: Array<[string, string, unknown]> = [
      ['POST', `${AICC}/task/list`, { start: 0, limit: 100, creatorId: DEMO_USER.id }],
      ['POST', `${AICC}/case/list`, { start: 0, limit: 100 }],
      ['POST', `${AICC}/case/list`, { start: 0, limit: 100, classification: 'Follow' }],
      ['POST', `${AICC}/caseType/list`, { start: 0, limit: 100 }],
      ['GET', '/opencase/v1/users?limit=100', undefined],
      ['GET', '/opencase/v1/contacts?limit=100', undefined],
      ['GET', '/opencase/v1/queues', undefined],
      ['GET', '/opencase/v1/traces?limit=100', undefined],
      ['GET', `${AICC}/task/${DEMO_TASK_ID}`, undefined],
      ['GET', `${AICC}/case/${DEMO_CASE.id}`, undefined],
    ];
    for (const [method, url, body] of reads) {
      const response = await t.app.inject({ method: method as 'GET', url, headers: { 'access-token': demoToken }, ...(body !== undefined && { payload: body as object }) });
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      assertNothingOfOther(response.body, `${method} ${url}`);
    }
    const traces = await t.app.inject({ method: 'GET', url: '/opencase/v1/traces?limit=100', headers: { 'access-token': otherToken } });
    const seqs = (traces.json() as { result: { traces: Array<{ seq: number }> } }).result.traces.map((trace) => trace.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'each tenant has its own sequence, from 1');
  });

  it('no write names another tenant\'s records, and the other tenant cannot touch the demo\'s', async () => {
    const before = JSON.stringify(await t.database.db.selectFrom('tasks').selectAll().orderBy('id').execute())
      + JSON.stringify(await t.database.db.selectFrom('cases').selectAll().orderBy('id').execute());
    const writes: Array<[string, string, unknown]> = [
      [demoToken, 'task', { taskInfo: { title: 'x', ownerId: other.agentId, creatorId: DEMO_USER.id } }],
      [demoToken, 'task', { taskInfo: { title: 'x', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, contactId: other.contactId } }],
      [demoToken, 'task', { taskInfo: { title: 'x', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, type: 'Case', relateId: other.caseId } }],
      [demoToken, 'case', { caseInfo: { title: 'x', description: 'd', type: other.caseTypeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id } }],
      [demoToken, 'case', { caseInfo: { title: 'x', description: 'd', type: DEMO_CASE_TYPE.id, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: other.contactId } }],
      [demoToken, 'case/transfer', { id: DEMO_CASE.id, ownerId: other.queueId, ownerType: 'queue', creatorId: DEMO_USER.id, remark: 'r' }],
      [demoToken, 'task/transfer', { id: other.taskId, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id }],
      [otherToken, 'task/modify', { taskInfo: { id: DEMO_TASK_ID, title: 'hijacked', creatorId: other.userId } }],
      [otherToken, 'status/update', { id: DEMO_CASE.id, status: 'Completed', creatorId: other.userId }],
      [otherToken, 'case/cancel', { id: DEMO_CASE.id, creatorId: other.userId, remark: 'r' }],
    ];
    for (const [token, path, body] of writes) {
      const response = await postAicc(t.app, token, path, body);
      assert.ok([400, 404].includes(response.statusCode), `${path} ${JSON.stringify(body)}: ${response.statusCode} ${response.body}`);
    }
    for (const path of [`cases/${DEMO_CASE.id}/suspend`, `cases/${DEMO_CASE.id}/follow`]) {
      const response = await t.app.inject({ method: 'POST', url: `/opencase/v1/${path}`, headers: { 'access-token': otherToken } });
      assert.equal(response.statusCode, 404, path);
    }
    const patched = await t.app.inject({ method: 'PATCH', url: `/opencase/v1/contacts/${DEMO_CONTACT.id}`, headers: { 'access-token': otherToken }, payload: { email: 'x' } });
    assert.equal(patched.statusCode, 404);
    const after = JSON.stringify(await t.database.db.selectFrom('tasks').selectAll().orderBy('id').execute())
      + JSON.stringify(await t.database.db.selectFrom('cases').selectAll().orderBy('id').execute());
    assert.equal(after, before);
  });
});
