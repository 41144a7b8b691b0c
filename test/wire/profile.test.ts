import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTenant, setWireProfile } from '../../src/auth/service.js';
import { DEMO_CASE, DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { runCli } from '../cli-helpers.js';
import { AICC, assertErrorEnvelope, fetchToken, postAicc, useTestApp } from '../helpers.js';

/** The per-tenant switches for what AICC's documentation leaves open (src/wire/profile.ts). */
describe('wire profile per tenant', () => {
  const t = useTestApp();

  const get = (path: string, token = t.token) => t.app.inject({ method: 'GET', url: `${AICC}/${path}`, headers: { 'access-token': token } });
  const taskList = (token = t.token, extra: Record<string, unknown> = {}) =>
    postAicc(t.app, token, 'task/list', { start: 0, limit: 5, creatorId: DEMO_USER.id, ...extra });

  it('defaults: case detail an array, task/list an object, 成功, unknown fields refused', async () => {
    assert.ok(Array.isArray((await get(`case/${DEMO_CASE.id}`)).json<{ result: unknown }>().result));
    const list = await taskList();
    assert.equal(list.json<{ resMsg: string }>().resMsg, '成功');
    assert.ok(!Array.isArray(list.json<{ result: unknown }>().result));
    assert.equal((await taskList(t.token, { caseId: DEMO_CASE.id })).statusCode, 400);
  });

  it('each switch changes only its tenant, at once, cached replies included', async () => {
    const other = await createTenant(t.database, { name: 'Lenient', timeZone: 'UTC', userName: 'u' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    // Cached before the switch: the detail and the list must not come back in the old shape after it.
    assert.equal((await get(`task/${DEMO_TASK_ID}`)).json<{ resMsg: string }>().resMsg, '成功');
    assert.equal((await taskList()).json<{ resMsg: string }>().resMsg, '成功');

    await setWireProfile(t.database, DEMO_TENANT.id, { caseDetailResult: 'object', taskListResult: 'array', successMessage: 'Success', unknownFields: 'ignore' });

    const detail = (await get(`case/${DEMO_CASE.id}`)).json<{ resMsg: string; result: { caseInfo: { id: string } } }>();
    assert.equal(detail.result.caseInfo.id, DEMO_CASE.id);
    assert.equal(detail.resMsg, 'Success');
    const task = await get(`task/${DEMO_TASK_ID}`);
    assert.equal(task.json<{ resMsg: string }>().resMsg, 'Success');
    assert.match(task.body, /^\{"resCode":"0","resMsg":"Success","result":\{"caseInfos"/);
    const list = (await taskList()).json<{ resMsg: string; result: Array<{ count: number; taskList: unknown[] }> }>();
    assert.equal(list.resMsg, 'Success');
    assert.ok(Array.isArray(list.result) && list.result.length === 1 && typeof list.result[0]?.count === 'number');
    // A write's acknowledgement, and an error, which keeps its own message.
    const ack = await postAicc(t.app, t.token, 'task/status/update', { id: DEMO_TASK_ID, status: 'Processing', creatorId: DEMO_USER.id });
    assert.equal(ack.body, '{"resCode":"0","resMsg":"Success"}');
    assertErrorEnvelope((await get('task/ccqG0000000000000000')).body);

    // Lenient: an unknown field is dropped, at any depth, and the call does what the known fields say.
    const filtered = await taskList(t.token, { caseId: DEMO_CASE.id, status: 'Processing' });
    assert.equal(filtered.statusCode, 200, filtered.body);
    const created = await postAicc(t.app, t.token, 'task', { taskInfo: { title: 'lenient', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, colour: 'red' }, extra: 1 });
    assert.equal(created.statusCode, 200, created.body);

    // The other tenant keeps the defaults.
    assert.equal((await taskList(otherToken, { creatorId: other.userId })).json<{ resMsg: string }>().resMsg, '成功');
    assert.equal((await taskList(otherToken, { creatorId: other.userId, caseId: DEMO_CASE.id })).statusCode, 400);

    await setWireProfile(t.database, DEMO_TENANT.id, { caseDetailResult: 'array', taskListResult: 'object', successMessage: '成功', unknownFields: 'reject' });
    assert.equal((await get(`task/${DEMO_TASK_ID}`)).json<{ resMsg: string }>().resMsg, '成功');
  });

  it('opencase tenant set --wire and tenant show', async () => {
    const set = await runCli(['tenant', 'set', '--db', t.dbLocation, '--tenant', DEMO_TENANT.id, '--wire', 'successMessage=Success', '--wire', 'caseDetailResult=object', '--json']);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout).wire, { caseDetailResult: 'object', taskListResult: 'object', successMessage: 'Success', unknownFields: 'reject' });
    const shown = await runCli(['tenant', 'show', '--db', t.dbLocation, '--tenant', DEMO_TENANT.id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /wire {9}successMessage=Success/);
    // Another process's change reaches this one's next request.
    assert.equal((await get(`case/${DEMO_CASE.id}`)).json<{ resMsg: string }>().resMsg, 'Success');

    const wrong = await runCli(['tenant', 'set', '--db', t.dbLocation, '--tenant', DEMO_TENANT.id, '--wire', 'successMessage=OK']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /successMessage is one of 成功, Success/);
    const unknownKey = await runCli(['tenant', 'set', '--db', t.dbLocation, '--tenant', DEMO_TENANT.id, '--wire', 'colour=red']);
    assert.match(unknownKey.stderr, /the keys are caseDetailResult, taskListResult, successMessage, unknownFields/);
    const noTenant = await runCli(['tenant', 'show', '--db', t.dbLocation, '--tenant', 'tnnt0000000000000000']);
    assert.notEqual(noTenant.code, 0);
    assert.match(noTenant.stderr, /no tenant with id tnnt0000000000000000/);
  });
});
