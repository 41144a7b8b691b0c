import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { createCasesRepository, type CaseOrder } from '../../src/cases/repository.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import type { CaseSort, SortOrder } from '../../src/wire/enums.js';
import { assertErrorEnvelope, ON_POSTGRES, postAicc, resultOf, useTestApp } from '../helpers.js';

const EXT = '/opencase/v1';
type Json = Record<string, unknown>;
interface Row { id: string; title: string; priority: string | null; dueDate: string | null; ownerId: string | null }
interface Page { caseList: Row[]; count: number }

describe('POST /opencase/v1/cases/search: the console\'s views, state filter and sorts', () => {
  const t = useTestApp();
  /** Every case of this test has this title, so that the demo's own cases never count. */
  const TITLE = `search-${Date.now()}`;
  const ids: Record<string, string> = {};
  let agent = '';
  let other = '';
  let queueId = '';
  let otherQueueId = '';
  let agentToken = '';

  const call = (body: Json, token = t.token) => t.app.inject({
    method: 'POST', url: `${EXT}/cases/search`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: JSON.stringify(body),
  });
  const search = async (body: Json, token?: string) => resultOf<Page>(await call({ start: 0, limit: 100, title: TITLE, ...body }, token));
  const titles = async (body: Json, token?: string) => (await search(body, token)).caseList.map((row) => row.title.slice(TITLE.length + 1));
  const ext = async (method: 'POST' | 'PUT', url: string, payload: Json = {}) => resultOf<Json>(await t.app.inject({
    method, url: `${EXT}${url}`, headers: { 'access-token': t.token, 'content-type': 'application/json' }, payload: JSON.stringify(payload),
  }));

  async function newCase(name: string, fields: Json = {}): Promise<string> {
    const { caseId } = resultOf<{ caseId: string }>(await postAicc(t.app, t.token, 'case', {
      caseInfo: {
        title: `${TITLE} ${name}`, description: 'd', type: DEMO_CASE_TYPE.id, ownerId: agent, isAtuoAssigned: false,
        contactId: DEMO_CONTACT.id, creatorId: DEMO_USER.id, ...fields,
      },
    }));
    ids[name] = caseId;
    // The app's clock moves a second after each case: "newest first" is a known order, not the ids' tie-break.
    t.now.value += 1_000;
    return caseId;
  }
  const transfer = (id: string, ownerId: string, ownerType: 'user' | 'queue') => postAicc(t.app, t.token, 'case/transfer', { id, ownerId, ownerType, creatorId: DEMO_USER.id, remark: 'r' });

  before(async () => {
    const now = Date.now();
    agent = (await createUser(t.database, DEMO_TENANT.id, { name: 'Search agent', login: `search.agent.${now}`, role: 'agent', password: 'search password' }, now)).userId;
    other = (await createUser(t.database, DEMO_TENANT.id, { name: 'Search other', login: `search.other.${now}`, role: 'agent' }, now)).userId;
    queueId = String((await ext('POST', '/queues', { name: `search queue ${now}` })).queueId);
    otherQueueId = String((await ext('POST', '/queues', { name: `search other queue ${now}` })).queueId);
    await ext('PUT', `/queues/${queueId}/members/${agent}`);

    const due = (day: number) => `2030-01-${String(day).padStart(2, '0')} 12:00:00`;
    await newCase('mine-low', { priority: 'Low', dueDate: due(20) });
    await newCase('mine-critical', { priority: 'Critical', dueDate: due(10) });
    await newCase('mine-none');
    await newCase('queue-high', { priority: 'High', dueDate: due(15) });
    resultOf(await transfer(ids['queue-high'] ?? '', queueId, 'queue'));
    await newCase('other-queue-medium', { priority: 'Medium' });
    resultOf(await transfer(ids['other-queue-medium'] ?? '', otherQueueId, 'queue'));
    await newCase('others-medium', { priority: 'Medium', ownerId: other });
    await newCase('completed');
    resultOf(await postAicc(t.app, t.token, 'status/update', { id: ids.completed, status: 'Completed', creatorId: DEMO_USER.id }));
    await newCase('cancelled');
    resultOf(await postAicc(t.app, t.token, 'case/cancel', { id: ids.cancelled, creatorId: DEMO_USER.id, remark: 'r' }));
    await newCase('suspended');
    await ext('POST', `/cases/${ids.suspended}/suspend`, {});
    // The oldest case, changed last (a second after the suspension): first by last change.
    t.now.value += 1_000;
    resultOf(await postAicc(t.app, t.token, 'case/modify', { caseInfo: { id: ids['mine-low'], title: `${TITLE} mine-low`, description: 'changed', creatorId: DEMO_USER.id } }));

    const signIn = await t.app.inject({ method: 'POST', url: `${EXT}/session`, payload: { login: `search.agent.${now}`, password: 'search password' } });
    agentToken = (signIn.json() as { result: { accessToken: string } }).result.accessToken;
  });

  it('views: mine, my queues, unassigned (owned by a queue or no one), followed, created, all — each with its exact count', async () => {
    assert.deepEqual(new Set(await titles({ view: 'mine', userId: agent })), new Set(['mine-low', 'mine-critical', 'mine-none', 'completed', 'cancelled', 'suspended']));
    assert.deepEqual(await titles({ view: 'myQueues', userId: agent }), ['queue-high']);
    assert.deepEqual(await titles({ view: 'myQueues', userId: other }), []);
    assert.deepEqual(new Set(await titles({ view: 'unassigned' })), new Set(['queue-high', 'other-queue-medium']));
    assert.deepEqual((await search({ view: 'all' })).count, 9);
    assert.deepEqual((await search({ view: 'created', userId: DEMO_USER.id })).count, 9);
    assert.deepEqual(await titles({ view: 'created', userId: agent }), []);
    await ext('POST', `/cases/${ids['others-medium']}/follow`, { userId: agent });
    assert.deepEqual(await titles({ view: 'followed', userId: agent }), ['others-medium']);
    // A signed-in agent's views are its own without naming itself.
    assert.deepEqual(await titles({ view: 'myQueues' }, agentToken), ['queue-high']);
    const page = await search({ view: 'mine', limit: 2 }, agentToken);
    assert.equal(page.caseList.length, 2);
    assert.equal(page.count, 6);
  });

  it('state: open, Pending, Completed, cancelled, suspended; combined with a view and case/list\'s filters', async () => {
    assert.deepEqual(new Set(await titles({ view: 'mine', userId: agent, state: 'open' })), new Set(['mine-low', 'mine-critical', 'mine-none', 'suspended']));
    assert.deepEqual(await titles({ state: 'Completed' }), ['completed']);
    assert.deepEqual(await titles({ state: 'cancelled' }), ['cancelled']);
    assert.deepEqual(await titles({ state: 'suspended' }), ['suspended']);
    assert.equal((await search({ state: 'Pending' })).count, 7);
    assert.deepEqual(await titles({ view: 'mine', userId: agent, priority: 'Critical' }), ['mine-critical']);
    assert.deepEqual(await titles({ view: 'unassigned', queueId: otherQueueId }), ['other-queue-medium']);
    // A view and an owner that cannot both hold select nothing (as case/list's classification and ownerId).
    assert.deepEqual(await search({ view: 'mine', userId: agent, ownerId: other }), { caseList: [], count: 0 });
  });

  it('sorts by creation, last change, due date (none last) and priority (Critical first, none last), each way', async () => {
    const sorted = (sort: CaseSort, order?: SortOrder) => titles({ view: 'mine', userId: agent, state: 'open', sort, ...(order && { order }) });
    assert.deepEqual(await titles({ view: 'mine', userId: agent, state: 'open' }), ['suspended', 'mine-none', 'mine-critical', 'mine-low']);
    assert.deepEqual(await sorted('created', 'asc'), ['mine-low', 'mine-critical', 'mine-none', 'suspended']);
    assert.deepEqual((await sorted('updated'))[0], 'mine-low');
    assert.deepEqual((await sorted('due')).slice(0, 2), ['mine-critical', 'mine-low']);
    assert.deepEqual((await sorted('due', 'desc')).slice(2), ['mine-low', 'mine-critical']);
    assert.deepEqual(await sorted('priority'), ['mine-critical', 'mine-low', 'suspended', 'mine-none']);
    assert.deepEqual(await sorted('priority', 'asc'), ['mine-none', 'suspended', 'mine-low', 'mine-critical']);
    const all = await titles({ state: 'open', sort: 'priority' });
    assert.deepEqual(all.slice(0, 4), ['mine-critical', 'queue-high', 'others-medium', 'other-queue-medium']);
    // Pages of a sort follow each other without a gap or a repeat.
    const pages = [0, 3, 6].map((start) => call({ start, limit: 3, title: TITLE, sort: 'due' }));
    const paged = (await Promise.all(pages)).flatMap((response) => resultOf<Page>(response).caseList.map((row) => row.id));
    assert.deepEqual(paged, (await search({ sort: 'due' })).caseList.map((row) => row.id).slice(0, 9));
  });

  it('refuses what it does not know, naming the field; a signed-in user sees only its own views', async () => {
    for (const [body, field] of [
      [{ start: 0, limit: 10, view: 'everything' }, 'view'],
      [{ start: 0, limit: 10, sort: 'title' }, 'sort'],
      [{ start: 0, limit: 10, state: 'closed' }, 'state'],
      [{ start: 0, limit: 101 }, 'limit'],
      [{ start: 0, limit: 10, classification: 'Todo' }, 'classification'],
    ] as const) {
      const response = await call(body);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(assertErrorEnvelope(response.body).resMsg, new RegExp(field));
    }
    const notYou = await call({ start: 0, limit: 10, view: 'mine', userId: other }, agentToken);
    assert.equal(notYou.statusCode, 403, notYou.body);
    assert.match(assertErrorEnvelope(notYou.body).resMsg, /not you/);
  });

  it('each sort reads an index, in both directions, instead of sorting the tenant\'s cases', async () => {
    const cases = createCasesRepository(t.database);
    for (const by of ['created', 'updated', 'due', 'priority'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const order: CaseOrder = { by, order: direction };
        const query = cases.pageQuery(DEMO_TENANT.id, {}, 0, 25, order).compile();
        const plan = await planOf(query.sql, query.parameters);
        const index = { created: 'cases_created_idx', updated: 'cases_modified_idx', due: 'cases_due_idx', priority: 'cases_priority_idx' }[by];
        assert.ok(plan.includes(index), `${by} ${direction}: ${plan}`);
        assert.ok(!/TEMP B-TREE FOR ORDER BY|Sort/.test(plan), `${by} ${direction} sorts: ${plan}`);
      }
    }
  });

  it('a few cases of a set of queues are read by the owner index and sorted, in the order the sort index gives', async () => {
    const cases = createCasesRepository(t.database);
    for (const by of ['created', 'updated', 'due', 'priority'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const order: CaseOrder = { by, order: direction };
        const filters = { unassigned: true as const, titleContains: TITLE };
        const walked = await cases.listCases(DEMO_TENANT.id, filters, 0, 25, order);
        const sorted = await cases.listCases(DEMO_TENANT.id, filters, 0, 25, { ...order, sortMatches: true });
        assert.deepEqual(sorted.map((row) => row.id), walked.map((row) => row.id));
        const query = cases.pageQuery(DEMO_TENANT.id, { queueMemberId: agent }, 0, 25, { ...order, sortMatches: true }).compile();
        const plan = await planOf(query.sql, query.parameters);
        assert.ok(plan.includes('cases_owner_idx'), `${by} ${direction}: ${plan}`);
      }
    }
  });

  /** The plan of a query as text: SQLite's as it is; PostgreSQL's with sequential scans and sorts priced out, as on a big table. */
  async function planOf(text: string, parameters: readonly unknown[]): Promise<string> {
    if (!ON_POSTGRES) {
      const rows = await t.database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, [...parameters]));
      return rows.rows.map((row) => row.detail).join(' | ');
    }
    return t.database.db.connection().execute(async (connection) => {
      await sql`set enable_seqscan = off`.execute(connection);
      await sql`set enable_sort = off`.execute(connection);
      try {
        const rows = await connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${text}`, [...parameters]));
        return rows.rows.map((row) => row['QUERY PLAN']).join(' | ');
      } finally {
        await sql`reset enable_seqscan`.execute(connection);
        await sql`reset enable_sort`.execute(connection);
      }
    });
  }
});
