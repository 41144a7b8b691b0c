import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { openDatabase, type Db } from '../../src/db/database.js';
import { runRetried } from '../../src/db/retry.js';
import { DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { classifyError, installWireFormat } from '../../src/wire/fastify.js';
import { errorCodes } from '../../src/wire/errors.js';
import { assertErrorEnvelope, ON_POSTGRES, postAicc, TEST_BACKEND, useTestApp, callExtension, resultOf, deadlocksOf } from '../helpers.js';

const onPostgresOnly = ON_POSTGRES ? false : 'PostgreSQL only: SQLite serializes writers and has no row locks to deadlock on';

/** Runs `calls` with at most `inFlight` at once (a client pool's bound, so that no request waits out the database pool's 5 s). */
async function withBoundedConcurrency<T>(calls: Array<() => Promise<T>>, inFlight: number): Promise<T[]> {
  const results: T[] = new Array<T>(calls.length);
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    for (let i = next++; i < calls.length; i = next++) results[i] = await (calls[i] as () => Promise<T>)();
  }));
  return results;
}



/** Resolves once `parties` callers have arrived: each transaction holds its first lock before either asks for its second. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => { release = resolve; });
  return () => {
    if (++arrived === parties) release();
    return all;
  };
}

/**
 * Two changes that lock two queue rows in opposite orders, each waiting (on its first run only) until the other holds
 * its first row: a deadlock PostgreSQL breaks by rolling one of them back. Each change renames both rows, so what
 * landed shows which ran to the end.
 */
async function opposedChanges(db: Db, run: (db: Db, work: (trx: Db) => Promise<string>) => Promise<string>) {
  const ids = ['queu0000000000lockA', 'queu0000000000lockB'].map((id) => id.padEnd(20, '0'));
  await db.deleteFrom('queues').where('id', 'in', ids).execute();
  await db.insertInto('queues').values(ids.map((id) => ({ tenant_id: DEMO_TENANT.id, id, name: '', created_at: 0 }))).execute();
  const bothHoldOne = barrier(2);
  const runs = { forward: 0, backward: 0 };
  const change = (name: 'forward' | 'backward', order: string[]) => run(db, async (trx) => {
    runs[name]++;
    for (const [i, id] of order.entries()) {
      await trx.updateTable('queues').set((eb) => ({ name: eb('name', '||', `${name[0] ?? ''}`) })).where('tenant_id', '=', DEMO_TENANT.id).where('id', '=', id).execute();
      if (i === 0 && runs[name] === 1) await bothHoldOne();
    }
    return name;
  });
  const outcomes = await Promise.allSettled([change('forward', ids), change('backward', [...ids].reverse())]);
  const names = (await db.selectFrom('queues').select('name').where('id', 'in', ids).orderBy('id').execute()).map((row) => row.name);
  return { outcomes, runs, names };
}

/**
 * Every kind of change that meets one case, its type, its template, its tasks and the tenant's counters, 20 at a time:
 * each must be a 200, the case's history whole, and PostgreSQL must have detected no deadlock.
 */
async function mixedChangesAllLand(t: ReturnType<typeof useTestApp>): Promise<void> {
  const ext = (method: 'POST' | 'PATCH', path: string, body: unknown) => callExtension(t, method, path, body);
  const deadlocksBefore = ON_POSTGRES ? await deadlocksOf(t.dbLocation) : 0;
  const field = 'AICC__model__CST';
  const { templateId } = resultOf<{ templateId: string }>(await ext('POST', 'case-templates', { name: 'Lock order', fields: [{ name: field, type: 'text', maxLength: 20 }] }));
  const { caseTypeId } = resultOf<{ caseTypeId: string }>(await ext('POST', 'case-types', { typeName: 'Lock order', caseStatus: 'A,B,Completed', templateId }));
  const newCase = async () => resultOf<{ caseId: string }>(await postAicc(t.app, t.token, 'case', {
    caseInfo: { title: 'locks', description: 'd', type: caseTypeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id, [field]: 'P1' },
  })).caseId;
  const caseId = await newCase();
  const { taskId } = resultOf<{ taskId: string }>(await postAicc(t.app, t.token, 'task', {
    taskInfo: { title: 'first', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, type: 'Case', relateId: caseId },
  }));
  const agent = (await createUser(t.database, DEMO_TENANT.id, { name: 'Lock agent' }, Date.now())).userId;

  // Every kind of change that meets this case, its type, its template, its tasks and the tenant's counters.
  const mix: Array<() => ReturnType<typeof postAicc>> = [];
  for (let i = 0; i < 20; i++) {
    mix.push(
      () => postAicc(t.app, t.token, 'task', { taskInfo: { title: `task ${i}`, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, type: 'Case', relateId: caseId } }),
      () => postAicc(t.app, t.token, 'status/update', { id: caseId, status: i % 2 === 0 ? 'B' : 'A', creatorId: DEMO_USER.id }),
      () => postAicc(t.app, t.token, 'task', { taskInfo: { title: `task ${i}b`, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, type: 'Case', relateId: caseId } }),
      () => postAicc(t.app, t.token, 'task/status/update', { id: taskId, status: ['Processing', 'Completed', 'Pending'][i % 3], creatorId: DEMO_USER.id }),
    );
    if (i % 2 === 0) {
      mix.push(
        () => postAicc(t.app, t.token, 'case/modify', { caseInfo: { id: caseId, title: `locks ${i}`, description: 'd', creatorId: DEMO_USER.id, [field]: `P${i}` } }),
        () => postAicc(t.app, t.token, 'case/transfer', { id: caseId, ownerId: i % 4 === 0 ? agent : DEMO_USER.id, creatorId: DEMO_USER.id, remark: 'r' }),
        () => postAicc(t.app, t.token, 'case/process', { caseId, creatorId: DEMO_USER.id, processInfo: { type: 'Iternal', title: 'note', description: 'd' } }),
        () => postAicc(t.app, t.token, 'task/modify', { taskInfo: { id: taskId, title: `first ${i}`, creatorId: DEMO_USER.id } }),
        () => postAicc(t.app, t.token, 'case', { caseInfo: { title: 'more', description: 'd', type: caseTypeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id, [field]: 'P2' } }),
        () => ext('PATCH', `case-types/${caseTypeId}`, { description: `round ${i}` }),
        // The same widening each time: run in any order (they race), none narrows the field.
        () => ext('PATCH', `case-templates/${templateId}`, { fields: [{ name: field, type: 'text', maxLength: 40 }] }),
        () => ext('PATCH', `contacts/${DEMO_CONTACT.id}`, { remark: `round ${i}` }),
      );
    }
  }
  const responses = await withBoundedConcurrency(mix, 20);
  for (const response of responses) assert.equal(response.statusCode, 200, response.body);

  // Every change of the case wrote its trace in turn: positions 1..n with no gap or repeat, counted on the case.
  const traces = await t.database.db.selectFrom('case_traces').select('position').where('tenant_id', '=', DEMO_TENANT.id).where('case_id', '=', caseId)
    .orderBy('position').execute();
  assert.deepEqual(traces.map((row) => row.position), traces.map((_, i) => i + 1));
  const caseRow = await t.database.db.selectFrom('cases').select('trace_count').where('id', '=', caseId).executeTakeFirstOrThrow();
  assert.equal(caseRow.trace_count, traces.length);
  if (ON_POSTGRES) assert.equal(await deadlocksOf(t.dbLocation) - deadlocksBefore, 0, 'PostgreSQL detected no deadlock');
}

describe(`locks taken in one order, on ${TEST_BACKEND}, each change in a transaction of its own`, () => {
  // PostgreSQL's group commit (on by default) off: every change a transaction of its own, retried whole (db/retry.ts).
  const t = useTestApp({ env: { OPENCASE_PG_GROUP_COMMIT: '0' } });

  it('createTask on a case, its status changes and the other changes of its records, all at once: every one a 200, no deadlock', { timeout: 120_000 }, () => mixedChangesAllLand(t));

  it('a deadlock provoked on purpose through inTransaction is retried: both changes land, the loser ran twice', { skip: onPostgresOnly, timeout: 60_000 }, async () => {
    const deadlocksBefore = await deadlocksOf(t.dbLocation);
    const { outcomes, runs, names } = await opposedChanges(t.database.db, (_db, work) => t.database.transaction((tx) => work(tx.db)));
    assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'fulfilled'], JSON.stringify(outcomes));
    assert.equal(runs.forward + runs.backward, 3, `one change ran again (runs: ${JSON.stringify(runs)})`);
    for (const name of names) assert.deepEqual([...name].sort(), ['b', 'f'], 'each change renamed both rows once');
    assert.equal(await deadlocksOf(t.dbLocation) - deadlocksBefore, 1, 'PostgreSQL saw the deadlock (so the count above is a real one)');
  });

  it('with group commit on PostgreSQL, a change of a batch that PostgreSQL picks as a deadlock victim runs again in a later batch: both land', { skip: onPostgresOnly, timeout: 60_000 }, async () => {
    const store = openDatabase(t.dbLocation, { groupCommitBatches: 2 });
    try {
      const deadlocksBefore = await deadlocksOf(t.dbLocation);
      // The second change is queued once the first one's batch runs, so that the two are in two batches.
      let calls = 0;
      const { outcomes, runs, names } = await opposedChanges(store.db, async (_db, work) => {
        if (calls++ > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        return store.transaction((tx) => work(tx.db));
      });
      assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'fulfilled'], JSON.stringify(outcomes));
      assert.equal(runs.forward + runs.backward, 3, `one change ran again (runs: ${JSON.stringify(runs)})`);
      for (const name of names) assert.deepEqual([...name].sort(), ['b', 'f'], 'each change renamed both rows once');
      await store.close();
      assert.equal(await deadlocksOf(t.dbLocation) - deadlocksBefore, 1, 'PostgreSQL saw the deadlock (so the count above is a real one)');
    } finally {
      await store.close();
    }
  });

  it('a change that loses every attempt is a 503 with Retry-After that says to retry, never a 500', { skip: onPostgresOnly, timeout: 60_000 }, async () => {
    const { outcomes, names } = await opposedChanges(t.database.db, (db, work) => runRetried(db, work, { attempts: 1 }));
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
    assert.equal(failed.length, 1, JSON.stringify(outcomes));
    const reason = (failed[0] as PromiseRejectedResult).reason as Error;
    const { kind, message } = classifyError(reason);
    assert.equal(errorCodes[kind].httpStatus, 503);
    assert.match(message, /lost a race with concurrent changes .* nothing was written: retry in a moment/);
    // As a route that meets it answers: the envelope, 503001, Retry-After.
    const wire = Fastify();
    installWireFormat(wire);
    wire.get('/change', async () => { throw reason; });
    const reply = await wire.inject({ method: 'GET', url: '/change' });
    await wire.close();
    assert.equal(reply.statusCode, 503);
    assert.equal(assertErrorEnvelope(reply.body).resCode, '503001');
    assert.equal(reply.headers['retry-after'], '1');
    // The loser wrote nothing: only the winner's letter is on the rows.
    assert.equal(new Set(names).size, 1);
    assert.equal(names[0]?.length, 1);
  });
});

for (const batches of [1, 2]) describe(`group commit on PostgreSQL, ${batches} batch(es) in flight: a batch holds the locks of each change it ran`, { skip: onPostgresOnly }, () => {
  const t = useTestApp({ env: { OPENCASE_PG_GROUP_COMMIT: String(batches) } });

  // A change of a batch that waits for a row the other batch holds, while the other waits for one this batch took, is a
  // deadlock (19 of them in this run before the bound); after the first change of a batch, a lock wait is bounded and
  // the change runs first in the next batch instead (db/transactions.ts).
  it('the mixed run of changes above: every one a 200, no deadlock', { timeout: 120_000 }, () => mixedChangesAllLand(t));
});
