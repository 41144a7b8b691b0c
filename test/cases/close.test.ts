import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';
import { AICC, assertErrorEnvelope, fetchToken, postAicc, useTestApp } from '../helpers.js';

type Json = Record<string, unknown>;

/** 关闭工单 (POST …/openapi/close) and opencase's reopen: a closed case is final until reopened. */
describe('cases: close and reopen', () => {
  const t = useTestApp();
  let typeId: string;

  const ext = (path: string, body: Json = {}, token = t.token) => t.app.inject({
    method: 'POST', url: `/opencase/v1/${path}`, headers: { 'access-token': token }, payload: body,
  });

  before(async () => {
    const created = await ext('case-types', { typeName: 'Close flow', caseStatus: 'New,Investigating,Completed' });
    assert.equal(created.statusCode, 200, created.body);
    typeId = (created.json() as { result: { caseTypeId: string } }).result.caseTypeId;
  });

  async function createCase(): Promise<string> {
    const response = await postAicc(t.app, t.token, 'case', {
      caseInfo: { title: 'To close', description: 'd', type: typeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id },
    });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { result: { caseId: string } }).result.caseId;
  }

  async function caseInfo(id: string): Promise<Json> {
    const response = await t.app.inject({ method: 'GET', url: `${AICC}/case/${id}`, headers: { 'access-token': t.token } });
    assert.equal(response.statusCode, 200, response.body);
    const result = (response.json() as { result: Json | Json[] }).result;
    const detail = (Array.isArray(result) ? result[0] : result) as { caseInfo: Json; caseTrace: Array<{ type: string; title: string | null }> };
    return { ...detail.caseInfo, traces: detail.caseTrace };
  }

  async function moveTo(id: string, status: string) {
    const response = await postAicc(t.app, t.token, 'status/update', { id, status, creatorId: DEMO_USER.id });
    assert.equal(response.statusCode, 200, response.body);
  }

  async function closedCase(): Promise<string> {
    const id = await createCase();
    await moveTo(id, 'Completed');
    const closed = await postAicc(t.app, t.token, 'close', { caseId: id, creatorId: DEMO_USER.id, remark: 'done' });
    assert.equal(closed.statusCode, 200, closed.body);
    return id;
  }

  async function traceCount(id: string): Promise<number> {
    const row = await t.database.db.selectFrom('case_traces').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', id).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('closes a case at the last status of its flow: the envelope only, state Completed, closedDate now, a CloseCase trace', async () => {
    const id = await createCase();
    await moveTo(id, 'Completed');
    t.now.value += 3_600_000;
    const response = await postAicc(t.app, t.token, 'close', { caseId: id, creatorId: DEMO_USER.id, remark: 'all done' });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.body, '{"resCode":"0","resMsg":"成功"}');
    const info = await caseInfo(id);
    assert.equal(info.state, 'Completed');
    assert.equal(info.status, 'Completed');
    const traces = info.traces as Array<{ type: string; title: string | null }>;
    assert.deepEqual(traces.at(-1), { ...traces.at(-1), type: 'CloseCase', title: 'all done' });
    const row = await t.database.db.selectFrom('cases').select(['closed_at', 'is_closed']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(Number(row.closed_at), t.now.value);
    assert.equal(row.is_closed, 1);
  });

  it('takes a remark-less body too (one revision of the page has no remark)', async () => {
    const id = await createCase();
    await moveTo(id, 'Completed');
    const response = await postAicc(t.app, t.token, 'close', { caseId: id, creatorId: DEMO_USER.id });
    assert.equal(response.statusCode, 200, response.body);
  });

  it('refuses a case that is not at the last status with a 409 naming the current and the last status, writing nothing', async () => {
    const id = await createCase();
    const before = await traceCount(id);
    const response = await postAicc(t.app, t.token, 'close', { caseId: id, creatorId: DEMO_USER.id, remark: 'too soon' });
    assert.equal(response.statusCode, 409);
    const { resCode, resMsg } = assertErrorEnvelope(response.body);
    assert.equal(resCode, '409001');
    assert.match(resMsg, /at status New/);
    assert.match(resMsg, /\(Completed\)/);
    assert.equal(await traceCount(id), before);
  });

  it('refuses a cancelled case (resume it first), and answers unknown and other tenants\' cases alike with 404', async () => {
    const id = await createCase();
    await moveTo(id, 'Completed');
    assert.equal((await postAicc(t.app, t.token, 'case/cancel', { id, creatorId: DEMO_USER.id, remark: 'r' })).statusCode, 200);
    const cancelled = await postAicc(t.app, t.token, 'close', { caseId: id, creatorId: DEMO_USER.id });
    assert.equal(cancelled.statusCode, 409);
    assert.match(assertErrorEnvelope(cancelled.body).resMsg, /cancelled: resume it before closing it/);

    const other = await createTenant(t.database, { name: 'Other', timeZone: 'UTC', userName: 'other admin' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const unknown = await postAicc(t.app, otherToken, 'close', { caseId: 'c6m8000000000000none', creatorId: other.userId });
    const foreign = await postAicc(t.app, otherToken, 'close', { caseId: id, creatorId: other.userId });
    assert.equal(unknown.statusCode, 404);
    assert.equal(foreign.statusCode, 404);
    assert.equal(assertErrorEnvelope(foreign.body).resMsg, assertErrorEnvelope(unknown.body).resMsg.replace('c6m8000000000000none', id));
    const closed = await closedCase();
    const reopenForeign = await ext(`cases/${closed}/reopen`, {}, otherToken);
    const reopenUnknown = await ext('cases/c6m8000000000000none/reopen', {}, otherToken);
    assert.equal(reopenForeign.statusCode, 404);
    assert.equal(assertErrorEnvelope(reopenForeign.body).resMsg, assertErrorEnvelope(reopenUnknown.body).resMsg.replace('c6m8000000000000none', closed));
  });

  it('validates the body: caseId and creatorId required, remark at most 2000 bytes', async () => {
    const id = await createCase();
    for (const [body, message] of [
      [{ creatorId: DEMO_USER.id }, /caseId is required/],
      [{ caseId: id }, /creatorId is required/],
      [{ caseId: id, creatorId: DEMO_USER.id, remark: '工'.repeat(667) }, /^remark is 2001 bytes of UTF-8; at most 2000 bytes/],
      [{ id, creatorId: DEMO_USER.id }, /caseId is required/],
    ] as const) {
      const response = await postAicc(t.app, t.token, 'close', body);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
    }
  });

  it('a closed case refuses every change with 409 "case … is closed", and writes nothing', async () => {
    const id = await closedCase();
    const before = await traceCount(id);
    const calls: Array<[string, Json]> = [
      ['status/update', { id, status: 'New', creatorId: DEMO_USER.id }],
      ['case/transfer', { id, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, remark: 'r' }],
      ['case/modify', { caseInfo: { id, title: 'new', description: 'new', creatorId: DEMO_USER.id } }],
      ['case/process', { caseId: id, creatorId: DEMO_USER.id, processInfo: { type: 'Iternal', title: 't', description: 'd' } }],
      ['case/cancel', { id, creatorId: DEMO_USER.id, remark: 'r' }],
      ['close', { caseId: id, creatorId: DEMO_USER.id, remark: 'again' }],
    ];
    for (const [path, body] of calls) {
      const response = await postAicc(t.app, t.token, path, body);
      assert.equal(response.statusCode, 409, `${path}: ${response.body}`);
      assert.match(assertErrorEnvelope(response.body).resMsg, new RegExp(`case ${id} is closed`), path);
    }
    for (const action of ['suspend', 'resume']) {
      const response = await ext(`cases/${id}/${action}`);
      assert.equal(response.statusCode, 409, `${action}: ${response.body}`);
      assert.match(assertErrorEnvelope(response.body).resMsg, /is closed/);
    }
    const task = await postAicc(t.app, t.token, 'task', {
      taskInfo: { title: 'late', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, type: 'Case', relateId: id },
    });
    assert.equal(task.statusCode, 409, task.body);
    assert.match(assertErrorEnvelope(task.body).resMsg, /is closed/);
    assert.equal(await traceCount(id), before);
  });

  it('reopen (opencase extension) returns a closed case to its flow, traced, counted by case/list isReopen', async () => {
    const id = await closedCase();
    const response = await ext(`cases/${id}/reopen`, { remark: 'customer called back', status: 'Investigating' });
    assert.equal(response.statusCode, 200, response.body);
    const info = await caseInfo(id);
    assert.equal(info.status, 'Investigating');
    assert.equal(info.state, 'Processing');
    assert.equal(info.closedDate, null);
    const traces = info.traces as Array<{ type: string; title: string | null }>;
    assert.equal(traces.at(-1)?.type, 'ReopenCase');
    assert.equal(traces.at(-1)?.title, 'customer called back');
    const list = await postAicc(t.app, t.token, 'case/list', { start: 0, limit: 100, isReopen: true, type: typeId });
    const page = (list.json() as { result: Array<{ caseList: Array<{ id: string }> }> }).result[0];
    assert.ok(page?.caseList.some((item) => item.id === id));
    // Works again: the flow goes on, and the case can be closed anew.
    await moveTo(id, 'Completed');
    assert.equal((await postAicc(t.app, t.token, 'close', { caseId: id, creatorId: DEMO_USER.id })).statusCode, 200);
  });

  it('reopen defaults to the first status, and refuses a case that is not closed or a status that is not before the last', async () => {
    const id = await closedCase();
    const last = await ext(`cases/${id}/reopen`, { status: 'Completed' });
    assert.equal(last.statusCode, 400);
    assert.match(assertErrorEnvelope(last.body).resMsg, /before its last \(New, Investigating\)/);
    assert.equal((await ext(`cases/${id}/reopen`)).statusCode, 200);
    assert.equal((await caseInfo(id)).status, 'New');
    const again = await ext(`cases/${id}/reopen`);
    assert.equal(again.statusCode, 409);
    assert.match(assertErrorEnvelope(again.body).resMsg, /is not closed/);
  });
});
