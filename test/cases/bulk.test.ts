import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { OpencaseClient } from 'opencase/client';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import {
  AICC, assertErrorEnvelope, fetchToken, ON_POSTGRES, postAicc, resultOf, TEST_BACKEND, useTestApp, deadlocksOf, type TestApp,
} from '../helpers.js';

const EXT = '/opencase/v1';
type Json = Record<string, unknown>;
interface BulkItem { id: string; resCode: string; resMsg: string }
interface BulkResult { results: BulkItem[]; succeeded: number; failed: number }
type App = TestApp & { readonly token: string };

/** A bulk call with a token (the demo's unrestricted API app unless told). */
function bulk(t: App, body: Json, token: string = t.token) {
  return t.app.inject({ method: 'POST', url: `${EXT}/cases/bulk`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

/** A new case of the demo tenant, owned by `ownerId` (a user or, transferred after, a queue). */
async function newCase(t: App, options: { ownerId?: string; ownerType?: 'user' | 'queue'; type?: string; priority?: string } = {}): Promise<string> {
  const { caseId } = resultOf<{ caseId: string }>(await postAicc(t.app, t.token, 'case', {
    caseInfo: {
      title: 'bulk', description: 'd', type: options.type ?? DEMO_CASE_TYPE.id, ownerId: DEMO_USER.id, isAtuoAssigned: false,
      contactId: DEMO_CONTACT.id, creatorId: DEMO_USER.id, priority: options.priority ?? 'Medium',
    },
  }));
  if (options.ownerId && (options.ownerId !== DEMO_USER.id || options.ownerType === 'queue')) {
    resultOf(await postAicc(t.app, t.token, 'case/transfer', { id: caseId, ownerId: options.ownerId, ownerType: options.ownerType ?? 'user', creatorId: DEMO_USER.id, remark: 'setup' }));
  }
  return caseId;
}

const caseRow = (t: App, id: string) => t.database.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const tracesOf = (t: App, id: string) => t.database.db.selectFrom('case_traces').selectAll().where('case_id', '=', id).orderBy('position').execute();

/** The tenant's change sequence now (the feed's cursor): the traces written after it are the ones a call made. */
async function traceSeq(t: App): Promise<number> {
  const row = await t.database.db.selectFrom('tenant_counters').select('value')
    .where('tenant_id', '=', DEMO_TENANT.id).where('name', '=', 'trace_seq').executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** Every row a bulk call may write: a call that must write nothing leaves this unchanged. */
async function snapshot(t: App): Promise<string> {
  const db = t.database.db;
  return JSON.stringify([
    await db.selectFrom('cases').selectAll().orderBy('id').execute(),
    await db.selectFrom('case_traces').selectAll().orderBy('id').execute(),
    await db.selectFrom('tenant_counters').selectAll().orderBy('tenant_id').orderBy('name').execute(),
    await db.selectFrom('case_statistics').selectAll().execute(),
  ]);
}

/** A bulk call that must be a 200, and its result. */
async function bulkOk(t: App, body: Json, token?: string): Promise<BulkResult> {
  return resultOf<BulkResult>(await bulk(t, body, token));
}

/** What the single call answers, as `{resCode, resMsg}`: the bulk item of the same case must say exactly this. */
async function singleAnswer(response: { body: string }): Promise<{ resCode: string; resMsg: string }> {
  const { resCode, resMsg } = JSON.parse(response.body) as { resCode: string; resMsg: string };
  return { resCode, resMsg };
}

/**
 * A fault planted in the database for one case: its trace's insert fails on a unique key (a write refused as a request's
 * conflict, a 409, not the server's fault) after the case row was updated, so that only a rollback of the item undoes
 * that update. `remove` takes it out again.
 */
async function faultOnTraceOf(t: App, caseId: string): Promise<{ remove: () => Promise<void> }> {
  const db = t.database.db;
  await sql`create table bulk_fault (id text primary key)`.execute(db);
  await sql`insert into bulk_fault (id) values ('x')`.execute(db);
  if (ON_POSTGRES) {
    await sql`create function bulk_fault() returns trigger language plpgsql as $$ begin insert into bulk_fault (id) values ('x'); return new; end $$`.execute(db);
    await sql.raw(`create trigger bulk_fault before insert on case_traces for each row when (new.case_id = '${caseId}') execute function bulk_fault()`).execute(db);
  } else {
    await sql.raw(`create trigger bulk_fault before insert on case_traces when new.case_id = '${caseId}' begin insert into bulk_fault (id) values ('x'); end`).execute(db);
  }
  return {
    async remove() {
      await sql`drop trigger bulk_fault ${sql.raw(ON_POSTGRES ? 'on case_traces' : '')}`.execute(db);
      if (ON_POSTGRES) await sql`drop function bulk_fault()`.execute(db);
      await sql`drop table bulk_fault`.execute(db);
    },
  };
}

describe(`POST /opencase/v1/cases/bulk, on ${TEST_BACKEND}`, () => {
  const t = useTestApp();
  const users = {} as Record<'agent' | 'agentB', string>;
  let agentToken = '';
  let queueId = '';
  let otherTenantCase = '';
  /** A case type with a flow of its own, strict, to meet status/update's refusals. */
  let strictType = '';

  before(async () => {
    const password = 'a long enough password';
    const make = async (name: string, login: string) => (await createUser(t.database, DEMO_TENANT.id, { name, login, role: 'agent', password }, Date.now())).userId;
    users.agent = await make('Bulk Agent A', 'bulk.a');
    users.agentB = await make('Bulk Agent B', 'bulk.b');
    const signIn = await t.app.inject({ method: 'POST', url: `${EXT}/session`, payload: { login: 'bulk.a', password } });
    agentToken = resultOf<{ accessToken: string }>(signIn).accessToken;
    ({ queueId } = resultOf<{ queueId: string }>(await t.app.inject({ method: 'POST', url: `${EXT}/queues`, headers: { 'access-token': t.token }, payload: { name: 'Bulk queue' } })));
    resultOf(await t.app.inject({ method: 'PUT', url: `${EXT}/queues/${queueId}/members/${users.agent}`, headers: { 'access-token': t.token } }));
    ({ caseTypeId: strictType } = resultOf<{ caseTypeId: string }>(await t.app.inject({
      method: 'POST', url: `${EXT}/case-types`, headers: { 'access-token': t.token }, payload: { typeName: 'Bulk strict', caseStatus: 'New,Investigating,Completed', isStrctOrder: true },
    })));
    const other = await createTenant(t.database, { name: 'Bulk other', timeZone: 'Europe/Berlin', userName: 'other admin' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const { contactId } = resultOf<{ contactId: string }>(await t.app.inject({ method: 'POST', url: `${EXT}/contacts`, headers: { 'access-token': otherToken }, payload: { customerName: 'x' } }));
    ({ caseId: otherTenantCase } = resultOf<{ caseId: string }>(await postAicc(t.app, otherToken, 'case', {
      caseInfo: { title: 'other', description: 'd', type: other.caseTypeId, ownerId: other.userId, isAtuoAssigned: false, contactId },
    })));
  });

  it('a mixed batch: one result per id in the order sent, each the single call\'s answer; only the cases that succeeded are written', async () => {
    const [first, cancelled, last] = [await newCase(t), await newCase(t), await newCase(t)];
    resultOf(await postAicc(t.app, t.token, 'case/cancel', { id: cancelled, creatorId: DEMO_USER.id, remark: 'duplicate' }));
    const missing = 'c6m80000000000bulk00';
    const untouched = await Promise.all([cancelled, otherTenantCase].map((id) => t.database.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
    const seqBefore = await traceSeq(t);

    const ids = [first, missing, cancelled, otherTenantCase, last];
    const result = await bulkOk(t, { ids, action: 'assign', ownerId: users.agentB, remark: 'rebalanced', creatorId: DEMO_USER.id });
    assert.deepEqual(result.results.map((item) => item.id), ids);
    assert.deepEqual(result.results.map((item) => item.resCode), ['0', '404001', '409001', '404001', '0']);
    assert.deepEqual([result.succeeded, result.failed], [2, 3]);
    assert.equal(result.results[0]?.resMsg, '成功');
    // Each failure is what case/transfer answers for that case alone (another tenant's id: the same "not found").
    for (const item of result.results.filter((entry) => entry.resCode !== '0')) {
      const single = await postAicc(t.app, t.token, 'case/transfer', { id: item.id, ownerId: users.agentB, creatorId: DEMO_USER.id, remark: 'rebalanced' });
      assert.deepEqual({ resCode: item.resCode, resMsg: item.resMsg }, await singleAnswer(single), item.id);
    }
    assert.match(result.results[2]?.resMsg ?? '', /is cancelled: resume it before transferring it/);

    // The two that succeeded: their new owner, and a TransferCase trace each, as case/transfer writes it.
    for (const id of [first, last]) {
      assert.equal((await caseRow(t, id)).owner_id, users.agentB);
      const trace = (await tracesOf(t, id)).at(-1);
      assert.equal(trace?.type, 'TransferCase');
      assert.equal(trace?.title, 'rebalanced');
      assert.equal(trace?.description, `ownerId: "${DEMO_USER.id}" → "${users.agentB}"`);
    }
    // The others: not a byte changed, not a trace written.
    assert.deepEqual(await Promise.all([cancelled, otherTenantCase].map((id) => caseRow(t, id))), untouched);
    assert.deepEqual((await tracesOf(t, cancelled)).map((trace) => trace.type), ['CreateCase', 'CancelCase']);
    // The change feed shows exactly the two changes, in the order sent.
    const feed = resultOf<{ traces: Array<{ objectId: string; type: string }> }>(await t.app.inject({
      method: 'GET', url: `${EXT}/traces?after=${seqBefore}`, headers: { 'access-token': t.token },
    }));
    assert.deepEqual(feed.traces.map((trace) => [trace.objectId, trace.type]), [[first, 'TransferCase'], [last, 'TransferCase']]);
  });

  it('status: each case along its own type\'s flow; a status outside a flow, a strict flow\'s skip and a closed case fail as status/update fails', async () => {
    const demoCase = await newCase(t);
    const strictNew = await newCase(t, { type: strictType });
    const strictAhead = await newCase(t, { type: strictType });
    resultOf(await postAicc(t.app, t.token, 'status/update', { id: strictAhead, status: 'Investigating', creatorId: DEMO_USER.id }));
    const closed = await newCase(t, { type: strictType });
    for (const status of ['Investigating', 'Completed']) resultOf(await postAicc(t.app, t.token, 'status/update', { id: closed, status, creatorId: DEMO_USER.id }));
    resultOf(await postAicc(t.app, t.token, 'close', { caseId: closed, creatorId: DEMO_USER.id }));

    const ids = [demoCase, strictNew, strictAhead, closed];
    const before = await Promise.all([strictNew, closed].map((id) => caseRow(t, id)));
    const result = await bulkOk(t, { ids, action: 'status', status: 'Completed', creatorId: DEMO_USER.id });
    assert.deepEqual(result.results.map((item) => item.resCode), ['0', '400001', '0', '409001']);
    for (const item of result.results.filter((entry) => entry.resCode !== '0')) {
      const single = await postAicc(t.app, t.token, 'status/update', { id: item.id, status: 'Completed', creatorId: DEMO_USER.id });
      assert.deepEqual({ resCode: item.resCode, resMsg: item.resMsg }, await singleAnswer(single), item.id);
    }
    assert.match(result.results[1]?.resMsg ?? '', /^status must be Investigating: case type .* keeps its flow in strict order/);
    assert.match(result.results[3]?.resMsg ?? '', /is closed: reopen it/);
    for (const id of [demoCase, strictAhead]) {
      const row = await caseRow(t, id);
      assert.deepEqual([row.status, row.state], ['Completed', 'Completed']);
      const trace = (await tracesOf(t, id)).at(-1);
      assert.equal(trace?.type, 'StatusUpdate');
      assert.match(trace?.description ?? '', /^status: ".*" → "Completed"; state: ".*" → "Completed"$/);
    }
    assert.deepEqual(await Promise.all([strictNew, closed].map((id) => caseRow(t, id))), before);

    const outside = await bulkOk(t, { ids: [strictNew], action: 'status', status: 'Nowhere', creatorId: DEMO_USER.id });
    assert.equal(outside.results[0]?.resCode, '400001');
    assert.equal(outside.results[0]?.resMsg, `status Nowhere is not in the flow of case type ${strictType} (New, Investigating, Completed)`);
  });

  it('priority: a ModifyCase trace each, as case/modify writes it; the same priority again changes nothing and still answers "0"', async () => {
    const ids = [await newCase(t, { priority: 'Low' }), await newCase(t, { priority: 'High' })];
    const result = await bulkOk(t, { ids, action: 'priority', priority: 'High', creatorId: DEMO_USER.id });
    assert.deepEqual(result.results.map((item) => item.resCode), ['0', '0']);
    assert.equal((await caseRow(t, ids[0] ?? '')).priority, 'High');
    assert.deepEqual((await tracesOf(t, ids[0] ?? '')).at(-1)?.description, 'priority: "Low" → "High"');
    assert.deepEqual((await tracesOf(t, ids[1] ?? '')).map((trace) => trace.type), ['CreateCase'], 'unchanged: no trace, as case/modify');
  });

  it('an agent\'s session: "0" for its own case and its queue\'s, 403002 for another agent\'s, in one batch, as the single calls answer', async () => {
    const own = await newCase(t, { ownerId: users.agent });
    const queues = await newCase(t, { ownerId: queueId, ownerType: 'queue' });
    const others = await newCase(t, { ownerId: users.agentB });
    const othersBefore = await caseRow(t, others);
    const assign = await bulkOk(t, { ids: [own, others, queues], action: 'assign', ownerId: users.agentB, remark: 'yours' }, agentToken);
    assert.deepEqual(assign.results.map((item) => item.resCode), ['0', '403002', '0']);
    const single = await t.app.inject({
      method: 'POST', url: `${AICC}/case/transfer`, headers: { 'access-token': agentToken }, payload: { id: others, ownerId: users.agentB, remark: 'yours' },
    });
    assert.deepEqual({ resCode: assign.results[1]?.resCode, resMsg: assign.results[1]?.resMsg }, await singleAnswer(single));
    assert.match(assign.results[1]?.resMsg ?? '', /is owned by user .*: role agent may transfer cases only when/);
    assert.deepEqual(await caseRow(t, others), othersBefore);
    // The operator on the trace is the signed-in agent, through its session.
    for (const id of [own, queues]) {
      const trace = (await tracesOf(t, id)).at(-1);
      assert.deepEqual([trace?.type, trace?.creator_id, trace?.acted_via], ['TransferCase', users.agent, `user:${users.agent}`]);
    }

    // Each action checks its own permission: status and priority likewise.
    for (const body of [{ action: 'status', status: 'Completed' }, { action: 'priority', priority: 'Critical' }]) {
      const mine = await newCase(t, { ownerId: users.agent });
      const result = await bulkOk(t, { ids: [others, mine], ...body }, agentToken);
      assert.deepEqual(result.results.map((item) => item.resCode), ['403002', '0'], JSON.stringify(body));
    }
    assert.deepEqual(await caseRow(t, others), othersBefore);
    // A session acts only as itself: creatorId naming another user refuses the whole request.
    const notYou = await bulk(t, { ids: [own], action: 'priority', priority: 'Low', creatorId: users.agentB }, agentToken);
    assert.equal(notYou.statusCode, 403);
    assert.equal(assertErrorEnvelope(notYou.body).resCode, '403001');
  });

  it('nothing is written when every case fails: a 200 whose results all say why', async () => {
    const cancelled = await newCase(t);
    resultOf(await postAicc(t.app, t.token, 'case/cancel', { id: cancelled, creatorId: DEMO_USER.id, remark: 'r' }));
    const before = await snapshot(t);
    const result = await bulkOk(t, { ids: [cancelled, 'c6m80000000000bulk01', otherTenantCase], action: 'priority', priority: 'Critical', creatorId: DEMO_USER.id });
    assert.deepEqual([result.succeeded, result.failed], [0, 3]);
    assert.deepEqual(result.results.map((item) => item.resCode), ['409001', '404001', '404001']);
    assert.equal(await snapshot(t), before);
  });

  it('one transaction, a savepoint per case: a case that fails after its row was written, between two good ones, is rolled back alone', async () => {
    const [good1, faulty, good2] = [await newCase(t), await newCase(t), await newCase(t)];
    const faultyBefore = await caseRow(t, faulty);
    const fault = await faultOnTraceOf(t, faulty);
    try {
      const result = await bulkOk(t, { ids: [good1, faulty, good2], action: 'priority', priority: 'Critical', creatorId: DEMO_USER.id });
      assert.deepEqual(result.results.map((item) => item.resCode), ['0', '409001', '0'], JSON.stringify(result));
      // The single call meets the same fault and answers the same.
      const single = await postAicc(t.app, t.token, 'case/modify', { caseInfo: { id: faulty, title: 'bulk', description: 'd', priority: 'Critical', creatorId: DEMO_USER.id } });
      assert.deepEqual({ resCode: result.results[1]?.resCode, resMsg: result.results[1]?.resMsg }, await singleAnswer(single));

      for (const id of [good1, good2]) {
        assert.equal((await caseRow(t, id)).priority, 'Critical');
        assert.deepEqual((await tracesOf(t, id)).map((trace) => trace.type), ['CreateCase', 'ModifyCase']);
      }
      // The faulty case's UPDATE (its priority, its trace count) was undone with its savepoint; it has no new trace.
      assert.deepEqual(await caseRow(t, faulty), faultyBefore);
      assert.deepEqual((await tracesOf(t, faulty)).map((trace) => trace.type), ['CreateCase']);

      // Last in its batch: the number its trace took and gave back is not announced as the tenant's latest
      // (a process told of it would hold replies cached at that number for current).
      const good3 = await newCase(t);
      resultOf(await bulk(t, { ids: [good3, faulty], action: 'priority', priority: 'Low', creatorId: DEMO_USER.id }));
      assert.equal(t.database.changes.latestSeq(DEMO_TENANT.id), await traceSeq(t));
    } finally {
      await fault.remove();
    }
  });

  it('a failure of the database mid-batch fails the whole batch: the cases before it are not written either', async () => {
    const [first, second] = [await newCase(t), await newCase(t)];
    const db = t.database.db;
    // PostgreSQL: disk full (53100), a storage fault answered 503; SQLite: a trigger's abort, answered 500. Neither is the
    // request's fault, so neither may become one case's result.
    if (ON_POSTGRES) {
      await sql`create function bulk_disk_full() returns trigger language plpgsql as $$ begin raise exception 'injected' using errcode = '53100'; end $$`.execute(db);
      await sql.raw(`create trigger bulk_disk_full before insert on case_traces for each row when (new.case_id = '${second}') execute function bulk_disk_full()`).execute(db);
    } else {
      await sql.raw(`create trigger bulk_disk_full before insert on case_traces when new.case_id = '${second}' begin select raise(abort, 'injected'); end`).execute(db);
    }
    try {
      const before = await snapshot(t);
      const response = await bulk(t, { ids: [first, second], action: 'priority', priority: 'Critical', creatorId: DEMO_USER.id });
      assert.equal(response.statusCode, ON_POSTGRES ? 503 : 500, response.body);
      assertErrorEnvelope(response.body);
      assert.equal(await snapshot(t), before);
    } finally {
      await sql`drop trigger bulk_disk_full ${sql.raw(ON_POSTGRES ? 'on case_traces' : '')}`.execute(db);
      if (ON_POSTGRES) await sql`drop function bulk_disk_full()`.execute(db);
    }
  });

  const invalid: Array<[string, Json, RegExp]> = [
    ['no ids', { action: 'priority', priority: 'Low' }, /^ids is required$/],
    ['no id', { ids: [], action: 'priority', priority: 'Low' }, /^ids must have at least 1 item$/],
    ['101 ids', { ids: Array.from({ length: 101 }, (_, i) => `c6m8${String(i).padStart(16, '0')}`), action: 'priority', priority: 'Low' }, /^ids must have at most 100 items$/],
    ['an id twice', { ids: ['c6m80000000000000001', 'c6m80000000000000002', 'c6m80000000000000001'], action: 'priority', priority: 'Low' },
      /^ids\[2\] repeats ids\[0\] \(c6m80000000000000001\): send each case once$/],
    ['an id of 19 characters', { ids: ['c6m8000000000000000'], action: 'priority', priority: 'Low' }, /^ids\[0\] must be a 20-character id of letters and digits$/],
    ['no action', { ids: ['c6m80000000000000001'] }, /^action is required$/],
    ['an unknown action', { ids: ['c6m80000000000000001'], action: 'close' }, /^action must be one of: assign, status, priority$/],
    ['assign without ownerId', { ids: ['c6m80000000000000001'], action: 'assign', ownerType: 'queue' }, /^ownerId is required when action is assign$/],
    ['status without status', { ids: ['c6m80000000000000001'], action: 'status' }, /^status is required when action is status$/],
    ['priority without priority', { ids: ['c6m80000000000000001'], action: 'priority' }, /^priority is required when action is priority$/],
    ['priority with a status', { ids: ['c6m80000000000000001'], action: 'priority', priority: 'Low', status: 'New' }, /^status is not taken when action is priority$/],
    ['status with an owner', { ids: ['c6m80000000000000001'], action: 'status', status: 'New', ownerId: DEMO_USER.id }, /^ownerId is not taken when action is status$/],
    ['status with an ownerType', { ids: ['c6m80000000000000001'], action: 'status', status: 'New', ownerType: 'user' }, /^ownerType is not taken when action is status$/],
    ['assign with a priority', { ids: ['c6m80000000000000001'], action: 'assign', ownerId: DEMO_USER.id, priority: 'Low' }, /^priority is not taken when action is assign$/],
    ['an unknown priority', { ids: ['c6m80000000000000001'], action: 'priority', priority: 'Urgent' }, /^priority must be one of: Critical, High, Medium, Low$/],
    ['an empty remark', { ids: ['c6m80000000000000001'], action: 'priority', priority: 'Low', remark: '' }, /^remark must not be empty$/],
    ['an unknown field', { ids: ['c6m80000000000000001'], action: 'priority', priority: 'Low', remarks: 'r' }, /^unknown field remarks in POST \/opencase\/v1\/cases\/bulk \(did you mean remark\?\)$/],
  ];
  for (const [name, body, message] of invalid) {
    it(`refuses ${name} with a 400 naming the field, writing nothing`, async () => {
      const before = await snapshot(t);
      const response = await bulk(t, { creatorId: DEMO_USER.id, ...body });
      assert.equal(response.statusCode, 400, response.body);
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
      assert.equal(await snapshot(t), before);
    });
  }

  it('an API app must name the user it acts as (creatorId), once for the whole request, as the single calls require it', async () => {
    const id = await newCase(t);
    const response = await bulk(t, { ids: [id], action: 'priority', priority: 'Low' });
    assert.equal(response.statusCode, 400);
    assert.equal(assertErrorEnvelope(response.body).resMsg, 'creatorId is required: the user this change is made as (a signed-in user may leave it out)');
  });

  it('the typed client: cases.bulk returns the per-case results', async () => {
    const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const client = new OpencaseClient({ baseUrl, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret });
    const id = await newCase(t);
    const result = await client.cases.bulk({ ids: [id, 'c6m80000000000bulk02'], action: 'assign', ownerId: queueId, ownerType: 'queue', creatorId: DEMO_USER.id });
    assert.deepEqual(result.results.map((item) => [item.id, item.resCode]), [[id, '0'], ['c6m80000000000bulk02', '404001']]);
    assert.deepEqual([result.succeeded, result.failed], [1, 1]);
    assert.deepEqual([(await client.cases.get(id)).caseInfo.ownerId], [queueId]);
  });
});

describe(`two bulk changes over the same cases in opposite orders at once, on ${TEST_BACKEND}, each in a transaction of its own`, () => {
  // PostgreSQL's group commit off: each bulk change runs in its own transaction, at the same time as the other.
  const t = useTestApp({ env: { OPENCASE_PG_GROUP_COMMIT: '0' } });

  it('both succeed, one after the other on every case, and PostgreSQL detects no deadlock', { timeout: 120_000 }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await newCase(t, { priority: 'Medium' }));
    const deadlocksBefore = ON_POSTGRES ? await deadlocksOf(t.dbLocation) : 0;
    const rounds = [['High', 'Low'], ['Critical', 'Medium'], ['Low', 'High']] as const;
    for (const [forward, backward] of rounds) {
      const responses = await Promise.all([
        bulk(t, { ids, action: 'priority', priority: forward, creatorId: DEMO_USER.id }),
        bulk(t, { ids: [...ids].reverse(), action: 'priority', priority: backward, creatorId: DEMO_USER.id }),
      ]);
      for (const response of responses) {
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(resultOf<BulkResult>(response).succeeded, 20, response.body);
      }
      // One ran whole before the other: every case ends with the same one's priority.
      const priorities = new Set((await t.database.db.selectFrom('cases').select('priority').where('id', 'in', ids).execute()).map((row) => row.priority));
      assert.equal(priorities.size, 1, `priorities: ${[...priorities].join(', ')}`);
    }
    // Every change of every case has its trace, positions unbroken.
    for (const id of ids) {
      const traces = await tracesOf(t, id);
      assert.deepEqual(traces.map((trace) => trace.position), traces.map((_, i) => i + 1));
      assert.equal(traces.filter((trace) => trace.type === 'ModifyCase').length, rounds.length * 2, id);
    }
    if (ON_POSTGRES) assert.equal(await deadlocksOf(t.dbLocation) - deadlocksBefore, 0, 'PostgreSQL detected no deadlock');
  });
});
