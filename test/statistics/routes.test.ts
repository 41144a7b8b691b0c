import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { parseWireDate } from '../../src/wire/dates.js';
import { AICC, assertErrorEnvelope, fetchToken, postAicc, useTestApp } from '../helpers.js';

const OVERVIEW_KEYS = ['averageDuration', 'finishedCases', 'newCases', 'overCases', 'unfinishedCases'];
const ITEM_KEYS = ['averageDuration', 'caseType', 'caseTypeName', 'date', 'finishedCases', 'newCases', 'overCases', 'unfinishedCases'];
const HOUR = 3_600_000;

type Overview = Record<string, number>;
interface Item { averageDuration: number; caseType: string | null; caseTypeName: string | null; date: string; finishedCases: number; newCases: number; overCases: number; unfinishedCases: number }

const at = (wallClock: string) => parseWireDate(wallClock, DEMO_TENANT.timeZone) ?? 0;

describe('GET statistics/case/current and POST statistics/case/report', () => {
  const t = useTestApp();
  const ids: string[] = [];

  /**
   * On the demo tenant (Asia/Shanghai), whose one case (created 2023-07-07, due 2023-07-22) is open and overdue:
   * on 2024-05-14 case A is created (due 2024-05-15 12:00); on 2024-05-15 at 08:00 B and C, at 20:00 A is completed
   * (1.5 days after its creation) and B too (0.5 days), and C is cancelled.
   */
  before(async () => {
    const create = async (wallClock: string, dueDate: string | null) => {
      t.now.value = at(wallClock);
      const response = await postAicc(t.app, t.token, 'case', {
        caseInfo: { title: 'stats', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId: DEMO_CONTACT.id, dueDate },
      });
      assert.equal(response.statusCode, 200, response.body);
      ids.push(response.json<{ result: { caseId: string } }>().result.caseId);
    };
    await create('2024-05-14 08:00:00', '2024-05-15 12:00:00');
    await create('2024-05-15 08:00:00', null);
    await create('2024-05-15 08:00:00', '2024-05-15 09:00:00');
    t.now.value = at('2024-05-15 20:00:00');
    for (const id of ids.slice(0, 2)) {
      const done = await postAicc(t.app, t.token, 'status/update', { id, status: 'Completed', creatorId: DEMO_USER.id });
      assert.equal(done.statusCode, 200, done.body);
    }
    const cancel = await postAicc(t.app, t.token, 'case/cancel', { id: ids[2], creatorId: DEMO_USER.id, remark: 'duplicate' });
    assert.equal(cancel.statusCode, 200, cancel.body);
  });

  async function current(): Promise<Overview> {
    const response = await t.app.inject({ method: 'GET', url: `${AICC}/statistics/case/current`, headers: { 'access-token': t.token } });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<{ resCode: string; resMsg: string; result: Overview }>();
    assert.deepEqual(Object.keys(body), ['resCode', 'resMsg', 'result']);
    assert.equal(body.resCode, '0');
    assert.deepEqual(Object.keys(body.result), OVERVIEW_KEYS);
    return body.result;
  }

  async function report(body: Record<string, unknown>): Promise<{ caseStatisticsList: Item[]; count: number }> {
    const response = await postAicc(t.app, t.token, 'statistics/case/report', body);
    assert.equal(response.statusCode, 200, response.body);
    const { result } = response.json<{ result: { caseStatisticsList: Item[]; count: number } }>();
    assert.deepEqual(Object.keys(result), ['caseStatisticsList', 'count']);
    for (const item of result.caseStatisticsList) assert.deepEqual(Object.keys(item), ITEM_KEYS);
    return result;
  }

  async function refused(body: Record<string, unknown>, status: number, message: RegExp): Promise<void> {
    const response = await postAicc(t.app, t.token, 'statistics/case/report', body);
    assert.equal(response.statusCode, status, response.body);
    assert.match(assertErrorEnvelope(response.body).resMsg, message);
  }

  it('current: the five numbers of today, in AICC\'s key order, the same as case/list\'s resumenType counts', async () => {
    t.now.value = at('2024-05-15 21:00:00');
    assert.deepEqual(await current(), { averageDuration: 1, finishedCases: 2, newCases: 2, overCases: 1, unfinishedCases: 1 });
    for (const [resumenType, expected] of [['newCases', 2], ['finishedCases', 2], ['unfinishedCases', 1], ['overCases', 1]] as const) {
      const list = await postAicc(t.app, t.token, 'case/list', { start: 0, limit: 100, resumenType });
      assert.equal(list.json<{ result: Array<{ count: number }> }>().result[0]?.count, expected, resumenType);
    }
    // The next day nothing is new or finished any more; the demo case is still open and overdue.
    t.now.value = at('2024-05-16 00:00:00');
    assert.deepEqual(await current(), { averageDuration: 0, finishedCases: 0, newCases: 0, overCases: 1, unfinishedCases: 1 });
  });

  it('report: one row per day, newest first, each day present, count the number of days', async () => {
    t.now.value = at('2024-05-15 21:00:00');
    const result = await report({ startTime: '2024-05-13', endTime: '2024-05-16', start: 0, limit: 10 });
    assert.equal(result.count, 4);
    assert.deepEqual(result.caseStatisticsList, [
      { averageDuration: 0, caseType: null, caseTypeName: null, date: '2024-05-16', finishedCases: 0, newCases: 0, overCases: 1, unfinishedCases: 1 },
      // At the end of the 15th: A and B done, C cancelled; the demo case still open and overdue.
      { averageDuration: 1, caseType: null, caseTypeName: null, date: '2024-05-15', finishedCases: 2, newCases: 2, overCases: 1, unfinishedCases: 1 },
      // At the end of the 14th A is open and not yet due (due at noon on the 15th).
      { averageDuration: 0, caseType: null, caseTypeName: null, date: '2024-05-14', finishedCases: 0, newCases: 1, overCases: 1, unfinishedCases: 2 },
      { averageDuration: 0, caseType: null, caseTypeName: null, date: '2024-05-13', finishedCases: 0, newCases: 0, overCases: 1, unfinishedCases: 1 },
    ]);
  });

  it('report by case type names the type on every row; every type alone adds up to the report over all', async () => {
    const result = await report({ caseTypeId: DEMO_CASE_TYPE.id, startTime: '2024-05-15', endTime: '2024-05-15', start: 0, limit: 1 });
    assert.deepEqual(result.caseStatisticsList, [
      { averageDuration: 1, caseType: DEMO_CASE_TYPE.id, caseTypeName: DEMO_CASE_TYPE.typeName, date: '2024-05-15', finishedCases: 2, newCases: 2, overCases: 1, unfinishedCases: 1 },
    ]);
  });

  it('report defaults: endTime today, startTime 30 days before it; pages through the days', async () => {
    t.now.value = at('2024-05-15 21:00:00');
    const all = await report({ start: 0, limit: 100 });
    assert.equal(all.count, 31);
    assert.equal(all.caseStatisticsList.length, 31);
    assert.equal(all.caseStatisticsList[0]?.date, '2024-05-15');
    assert.equal(all.caseStatisticsList.at(-1)?.date, '2024-04-15');
    const page = await report({ start: 29, limit: 5 });
    assert.deepEqual(page.caseStatisticsList.map((item) => item.date), ['2024-04-16', '2024-04-15']);
    assert.equal(page.count, 31);
    assert.deepEqual(await report({ start: 31, limit: 5 }), { caseStatisticsList: [], count: 31 });
    // Only a start: up to today. Only an end: the 31 days up to it. A year and a leap day is the longest range.
    assert.equal((await report({ startTime: '2024-05-01', start: 0, limit: 1 })).count, 15);
    const ending = await report({ endTime: '2024-03-01', start: 0, limit: 100 });
    assert.deepEqual([ending.count, ending.caseStatisticsList[0]?.date, ending.caseStatisticsList.at(-1)?.date], [31, '2024-03-01', '2024-01-31']);
    assert.equal((await report({ startTime: '2024-01-01', endTime: '2024-12-31', start: 0, limit: 1 })).count, 366);
  });

  it('report refuses malformed and impossible dates, reversed and over-long ranges, and bad paging', async () => {
    t.now.value = at('2024-05-15 21:00:00');
    const page = { start: 0, limit: 10 };
    await refused({ ...page, startTime: '2024/05/01' }, 400, /^startTime must be a date as YYYY-MM-DD$/);
    await refused({ ...page, endTime: '2024-05-01 00:00:00' }, 400, /^endTime must be a date as YYYY-MM-DD$/);
    await refused({ ...page, startTime: '2023-02-30' }, 400, /^startTime is not a real date$/);
    await refused({ ...page, endTime: '2023-13-01' }, 400, /^endTime is not a real date$/);
    await refused({ ...page, startTime: '2024-05-02', endTime: '2024-05-01' }, 400, /^startTime must not be after endTime$/);
    await refused({ ...page, startTime: '2024-05-16' }, 400, /^startTime must not be after endTime \(today, 2024-05-15, when endTime is not sent\)$/);
    await refused({ ...page, startTime: '2023-01-01', endTime: '2024-01-02' }, 400, /^startTime to endTime must span at most 366 days, both included$/);
    await refused({ start: 0, limit: 0 }, 400, /^limit must be at least 1$/);
    await refused({ start: 0, limit: 101 }, 400, /^limit must be at most 100$/);
    await refused({ start: -1, limit: 10 }, 400, /^start must be at least 0$/);
    await refused({ limit: 10 }, 400, /^start is required/);
    await refused({ start: 0 }, 400, /^limit is required/);
    await refused({ ...page, limit: '10' }, 400, /^limit must be an integer$/);
    await refused({ ...page, caseTypeId: 'nope' }, 400, /^caseTypeId /);
    await refused({ ...page, caseType: DEMO_CASE_TYPE.id }, 400, /\bcaseType\b/);
  });

  it('report by a case type of another tenant, or of none, answers as for an unknown record', async () => {
    const other = await createTenant(t.database, { name: 'other', timeZone: 'UTC', userName: 'someone' }, Date.now());
    for (const caseTypeId of [other.caseTypeId, 'cvmC0000000000000000']) {
      const response = await postAicc(t.app, t.token, 'statistics/case/report', { caseTypeId, start: 0, limit: 10 });
      assert.equal(response.statusCode, 404, response.body);
      assert.deepEqual(JSON.parse(response.body), { resCode: '404001', resMsg: `case type ${caseTypeId} does not exist` });
    }
  });

  it('both calls need a token', async () => {
    const overview = await t.app.inject({ method: 'GET', url: `${AICC}/statistics/case/current` });
    assert.equal(overview.statusCode, 401);
    assert.equal(assertErrorEnvelope(overview.body).resCode, '401001');
    const reportCall = await t.app.inject({ method: 'POST', url: `${AICC}/statistics/case/report`, headers: { 'access-token': 'nope', 'content-type': 'application/json' }, payload: '{"start":0,"limit":1}' });
    assert.equal(reportCall.statusCode, 401);
    assert.equal(assertErrorEnvelope(reportCall.body).resCode, '401002');
  });

  it('a day with a daylight-saving change is one row like any other (report of a New York tenant over 10 March 2024)', async () => {
    const tenant = await createTenant(t.database, { name: 'ny', timeZone: 'America/New_York', userName: 'agent' }, Date.now());
    const token = await fetchToken(t.app, tenant.clientId, tenant.clientSecret);
    const contact = await t.app.inject({ method: 'POST', url: '/opencase/v1/contacts', headers: { 'access-token': token }, payload: { customerName: 'x' } });
    const contactId = contact.json<{ result: { contactId: string } }>().result.contactId;
    // The 10th lasts 23 hours: a day counted as 24 hours from midnight would hold 00:30 on the 11th.
    for (const wallClock of ['2024-03-09 23:30:00', '2024-03-10 00:30:00', '2024-03-11 00:30:00']) {
      t.now.value = parseWireDate(wallClock, 'America/New_York') ?? 0;
      const created = await postAicc(t.app, token, 'case', { caseInfo: { title: 'dst', description: 'd', type: tenant.caseTypeId, isAtuoAssigned: true, contactId } });
      assert.equal(created.statusCode, 200, created.body);
    }
    t.now.value += 2 * HOUR;
    const response = await postAicc(t.app, token, 'statistics/case/report', { startTime: '2024-03-09', endTime: '2024-03-11', start: 0, limit: 10 });
    const { result } = response.json<{ result: { caseStatisticsList: Item[] } }>();
    assert.deepEqual(result.caseStatisticsList.map((item) => [item.date, item.newCases, item.unfinishedCases]), [['2024-03-11', 1, 3], ['2024-03-10', 1, 2], ['2024-03-09', 1, 1]]);
  });
});
