import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CASE, DEMO_CONTACT, DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { postAicc, TASK_PATH, useTestApp } from '../helpers.js';

type Detail = Record<string, unknown> & {
  taskInfo: Record<string, unknown>;
  taskTrace: unknown[];
  caseInfos: Array<Record<string, unknown>>;
  customerInfo: { customerInfo: Record<string, unknown> & { address: Record<string, unknown>; organization: Record<string, unknown> } };
};

/** Task detail is served from a cache of serialized responses: every kind of change must show at once. */
describe('task detail after every kind of change (the response cache never serves a stale answer)', () => {
  const t = useTestApp();

  async function detail(method: 'GET' | 'POST' = 'GET'): Promise<Detail> {
    const response = await t.app.inject({ method, url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': t.token } });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { result: Detail }).result;
  }
  const ok = async (path: string, body: unknown) => assert.equal((await postAicc(t.app, t.token, path, body)).statusCode, 200);
  const patchContact = async (body: unknown) => assert.equal((await t.app.inject({
    method: 'PATCH', url: `/opencase/v1/contacts/${DEMO_CONTACT.id}`, headers: { 'access-token': t.token }, payload: body as object,
  })).statusCode, 200);

  it('shows task, case, contact, address, organization and owner changes on the very next read, GET and POST alike', async () => {
    await detail();
    await detail('POST');
    await ok('task/status/update', { id: DEMO_TASK_ID, status: 'Processing', creatorId: DEMO_USER.id });
    assert.equal((await detail()).taskInfo.status, 'Processing');
    await ok('task/modify', { taskInfo: { id: DEMO_TASK_ID, title: 'renamed' } });
    assert.equal((await detail('POST')).taskInfo.title, 'renamed');
    await ok('task/process', { taskId: DEMO_TASK_ID, creatorId: DEMO_USER.id, processInfo: { type: 'Iternal', title: 't', description: 'd' } });
    assert.equal((await detail()).taskTrace.length, 4);
    const agent = (await createUser(t.database, DEMO_TENANT.id, { name: 'Ma Li' }, Date.now())).userId;
    await ok('task/transfer', { id: DEMO_TASK_ID, ownerId: agent, creatorId: DEMO_USER.id });
    assert.equal((await detail()).taskInfo.ownerName, 'Ma Li');
    await ok('status/update', { id: DEMO_CASE.id, status: 'Completed', creatorId: DEMO_USER.id });
    assert.equal((await detail()).caseInfos[0]?.state, 'Completed');
    await ok('case/modify', { caseInfo: { id: DEMO_CASE.id, title: 'case renamed', description: '0704test', creatorId: DEMO_USER.id } });
    assert.equal((await detail()).caseInfos[0]?.title, 'case renamed');
    await patchContact({ email: 'new@example.com' });
    assert.equal((await detail()).customerInfo.customerInfo.email, 'new@example.com');
    await patchContact({ address: { city: 'Nanjing' } });
    assert.equal((await detail()).customerInfo.customerInfo.address.city, 'Nanjing');
    await patchContact({ organization: { organizationName: 'New Co' } });
    assert.equal((await detail()).customerInfo.customerInfo.organization.organizationName, 'New Co');
    // Two changes within one millisecond still differ in the stamp (trace counts and versions, not only times).
    t.now.value = Math.floor(t.now.value / 1000) * 1000;
    await ok('task/status/update', { id: DEMO_TASK_ID, status: 'Completed', creatorId: DEMO_USER.id });
    assert.equal((await detail()).taskInfo.status, 'Completed');
    await ok('task/status/update', { id: DEMO_TASK_ID, status: 'Pending', creatorId: DEMO_USER.id });
    assert.equal((await detail()).taskInfo.status, 'Pending');
  });
});

describe('task detail: what a cache miss costs in queries', () => {
  const t = useTestApp();

  /** How many times a prepared query ran on the store so far. */
  async function runs(query: string): Promise<number> {
    const { values } = await t.database.queryDuration.get();
    return values.find((value) => value.metricName === 'opencase_db_query_duration_seconds_count' && value.labels.query === query)?.value ?? 0;
  }
  async function readCounting(): Promise<{ stamp: number; build: number; status: unknown }> {
    const [stampBefore, buildBefore] = [await runs('tasks.detailStamp'), await runs('tasks.withOwnerName')];
    const response = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': t.token } });
    assert.equal(response.statusCode, 200, response.body);
    const status = (response.json() as { result: Detail }).result.taskInfo.status;
    return { stamp: await runs('tasks.detailStamp') - stampBefore, build: await runs('tasks.withOwnerName') - buildBefore, status };
  }

  it('a first read builds without the stamp query; after another record changed, the stamp query alone; after the task changed, both', async () => {
    assert.deepEqual(await readCounting(), { stamp: 0, build: 1, status: 'Pending' }, 'nothing kept: built at once, its stamp taken from what it read');
    assert.deepEqual(await readCounting(), { stamp: 0, build: 0, status: 'Pending' }, 'kept and current: no query');
    await ok('task', { taskInfo: { title: 'another', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
    assert.deepEqual(await readCounting(), { stamp: 1, build: 0, status: 'Pending' }, 'the tenant moved, this task did not: the stamp says so');
    await ok('task/status/update', { id: DEMO_TASK_ID, status: 'Processing', creatorId: DEMO_USER.id });
    assert.deepEqual(await readCounting(), { stamp: 1, build: 1, status: 'Processing' }, 'the task moved: rebuilt');
    assert.deepEqual(await readCounting(), { stamp: 0, build: 0, status: 'Processing' });
  });

  const ok = async (path: string, body: unknown) => assert.equal((await postAicc(t.app, t.token, path, body)).statusCode, 200);
});
