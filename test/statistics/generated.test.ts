import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from '../../src/generate/generator.js';
import { formatWireDate } from '../../src/wire/dates.js';
import { AICC, fetchToken, postAicc, startTestApp, type TestApp } from '../helpers.js';
import { daysFrom, expectedDay, expectedToday, shiftDay, type KnownCase } from './brute-force.js';

const ZONE = 'Asia/Shanghai';
/** 2026-11-28 12:00 in Shanghai. */
const FIXED_NOW = Date.UTC(2026, 10, 28, 4);

describe('opencase generate: cases that count in the statistics', () => {
  let t: TestApp;
  let token: string;
  let tenantId: string;
  let cases: KnownCase[];

  before(async () => {
    t = await startTestApp({ demo: false });
    // A fixed day: the seeded spread of 3,000 cases over a year leaves a day without a new case now and then, and
    // which days those are moved with the real date (this failed on 2026-12-02 and passed the days before).
    t.now.value = FIXED_NOW;
    const generated = await generate(t.database, { tasks: 100, cases: 3000, seed: 7, now: t.now.value });
    tenantId = generated.tenantId;
    token = await fetchToken(t.app, generated.clientId, generated.clientSecret);
    const rows = await t.database.db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).execute();
    cases = rows.map((row) => ({
      id: row.id, typeId: row.type_id, createdAt: row.created_at, completed: row.state === 'Completed', closedAt: row.closed_at,
      cancelled: row.is_cancelled === 1, cancelledAt: row.cancelled_at, dueAt: row.due_at,
    }));
  });
  after(() => t.close());

  it('spreads cases over the past year: completed, cancelled, open, overdue, and some without a due date', () => {
    assert.equal(cases.length, 3000);
    const share = (test: (c: KnownCase) => boolean) => cases.filter(test).length / cases.length;
    const open = (c: KnownCase) => !c.completed && !c.cancelled;
    assert.ok(share((c) => c.completed) > 0.8, 'most are completed');
    assert.ok(share((c) => c.cancelled) > 0.04 && share((c) => c.cancelled) < 0.1, 'some are cancelled');
    assert.ok(share(open) > 0.02 && share(open) < 0.1, 'a few are open');
    assert.ok(cases.some((c) => open(c) && c.dueAt !== null && c.dueAt < t.now.value), 'some open ones are overdue');
    assert.ok(share((c) => c.dueAt === null) > 0.05, 'some have no due date');
    const oldest = Math.min(...cases.map((c) => c.createdAt));
    assert.ok(t.now.value - oldest > 300 * 86_400_000, 'created over the past year');
    assert.ok(cases.every((c) => (c.closedAt ?? Infinity) >= c.createdAt && (c.cancelledAt ?? Infinity) >= c.createdAt));
  });

  it('counts them: the overview and 100 days of report agree with a count of the rows', async () => {
    const today = formatWireDate(t.now.value, ZONE).slice(0, 10);
    const overview = await t.app.inject({ method: 'GET', url: `${AICC}/statistics/case/current`, headers: { 'access-token': token } });
    assert.deepEqual(overview.json<{ result: unknown }>().result, expectedToday(cases, t.now.value, today, ZONE).overview);
    const firstDay = shiftDay(today, -99);
    const response = await postAicc(t.app, token, 'statistics/case/report', { startTime: firstDay, endTime: today, start: 0, limit: 100 });
    const expected = daysFrom(firstDay, today).map((day) => expectedDay(cases, day, ZONE, null)).reverse();
    assert.deepEqual(response.json<{ result: unknown }>().result, { caseStatisticsList: expected, count: 100 });
    assert.ok(expected.every((row) => row.newCases > 0 && row.unfinishedCases > 0), 'every day has new and open cases');
  });
});
