import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createTenant } from '../../src/auth/service.js';
import { formatWireDate, parseWireDate } from '../../src/wire/dates.js';
import { AICC, fetchToken, postAicc, TEST_BACKEND, useTestApp } from '../helpers.js';
import { daysFrom, expectedDay, expectedToday, nextDay, shiftDay, type KnownCase } from './brute-force.js';

/**
 * Random case histories against a brute-force count: in a New York tenant (23- and 25-hour days), cases are created,
 * completed and moved back, closed and reopened, cancelled and resumed, transferred, given new due dates, while the
 * app's clock moves across days; then statistics/case/current, a statistics/case/report range (over all types and
 * by type) and case/list with each resumenType must say what brute-force.ts counts from what the test did.
 * OPENCASE_STATISTICS_RUNS sets the number of histories; OPENCASE_STATISTICS_SEED replays a failure.
 */
const RUNS = Number(process.env.OPENCASE_STATISTICS_RUNS ?? (TEST_BACKEND === 'postgres' ? 12 : 20));
const SEED = process.env.OPENCASE_STATISTICS_SEED === undefined ? undefined : Number(process.env.OPENCASE_STATISTICS_SEED);
const ZONE = 'America/New_York';
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Where histories start: two hours before the nights of the spring and autumn daylight-saving changes of 2024. */
const STARTS = ['2024-03-09 22:00:00', '2024-11-02 22:00:00'];

type Step =
  | { kind: 'create'; type: 0 | 1; dueMinutes: number | null }
  | { kind: 'complete' | 'back' | 'close' | 'reopen' | 'cancel' | 'resume' | 'transfer'; pick: number }
  | { kind: 'due'; pick: number; dueMinutes: number | null }
  | { kind: 'wait'; minutes: number }
  | { kind: 'check' };

/** Which case a step is about: -1 the one the last step was about (so that one case lives through several), else any. */
const pick = fc.oneof(fc.constant(-1), fc.nat({ max: 1000 }));
const dueMinutes = fc.option(fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }), { nil: null });
const step: fc.Arbitrary<Step> = fc.oneof(
  // Few cases, each changed often: histories where one case is completed, then cancelled a day later, are common.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), type: fc.constantFrom(0 as const, 1 as const), dueMinutes }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constantFrom('complete' as const, 'back' as const, 'cancel' as const, 'resume' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('close' as const, 'reopen' as const, 'transfer' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('due' as const), pick, dueMinutes }) },
  // A few hours, most of a day, or about a day: histories cross several midnights.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.oneof(fc.integer({ min: 0, max: 180 }), fc.integer({ min: 0, max: 22 * 60 }), fc.integer({ min: 20 * 60, max: 28 * 60 })) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'check' as const }) },
);

/** What the test knows of a case beyond the statistics' fields: enough to foresee which calls succeed. */
interface Tracked extends KnownCase { status: string; closed: boolean; ownerIndex: number }

describe('case statistics against a brute-force count of random histories', () => {
  // Every history fetches a token of its own tenant, and shrinking replays hundreds of histories: no rate limits.
  const t = useTestApp({ demo: true, env: { OPENCASE_RATE_LIMIT: '0', OPENCASE_TOKEN_RATE_LIMIT: '0' } });

  it(`agree on ${TEST_BACKEND} (${RUNS} histories)`, async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...STARTS), fc.array(step, { minLength: 10, maxLength: 40, size: 'max' }), async (startText, steps) => {
      t.now.value = parseWireDate(startText, ZONE) ?? 0;
      const tenant = await createTenant(t.database, { name: 'statistics', timeZone: ZONE, userName: 'agent one' }, t.now.value);
      const token = await fetchToken(t.app, tenant.clientId, tenant.clientSecret);
      const extension = (path: string, body: object) => t.app.inject({ method: 'POST', url: `/opencase/v1/${path}`, headers: { 'access-token': token }, payload: body });
      const resultOf = <T>(response: Awaited<ReturnType<typeof extension>>): T => {
        assert.equal(response.statusCode, 200, response.body);
        return response.json<{ result: T }>().result;
      };
      const contactId = resultOf<{ contactId: string }>(await extension('contacts', { customerName: 'customer' })).contactId;
      const users = [tenant.userId, resultOf<{ userId: string }>(await extension('users', { name: 'agent two' })).userId];
      const second = resultOf<{ caseTypeId: string }>(await extension('case-types', { typeName: 'Complaint', caseStatus: 'New,Investigating,Completed', isStrctOrder: false })).caseTypeId;
      const types = [{ id: tenant.caseTypeId, name: 'General', first: 'Pending' }, { id: second, name: 'Complaint', first: 'New' }];
      const cases: Tracked[] = [];
      let last: Tracked | undefined;
      const started = t.now.value;
      const firstDay = formatWireDate(started, ZONE).slice(0, 10);

      const dueText = (minutes: number | null) => (minutes === null ? null : formatWireDate(t.now.value + minutes * MINUTE, ZONE));
      const instantOf = (text: string | null) => (text === null ? null : parseWireDate(text, ZONE));
      /** Sends a call and checks that it succeeded, or was refused with 409, as the test foresaw. */
      const call = async (path: string, body: unknown, ok: boolean) => {
        const response = await postAicc(t.app, token, path, body);
        assert.equal(response.statusCode, ok ? 200 : 409, `${path} ${JSON.stringify(body)}: ${response.body}`);
      };

      const check = async () => {
        const now = t.now.value;
        const today = formatWireDate(now, ZONE).slice(0, 10);
        const expected = expectedToday(cases, now, today, ZONE);
        const overview = await t.app.inject({ method: 'GET', url: `${AICC}/statistics/case/current`, headers: { 'access-token': token } });
        assert.deepEqual(overview.json<{ result: unknown }>().result, expected.overview, `current at ${formatWireDate(now, ZONE)}`);
        for (const resumenType of ['newCases', 'finishedCases', 'unfinishedCases', 'overCases'] as const) {
          const list = await postAicc(t.app, token, 'case/list', { start: 0, limit: 100, resumenType });
          const page = list.json<{ result: Array<{ caseList: Array<{ id: string }>; count: number }> }>().result[0];
          assert.deepEqual(page?.caseList.map((item) => item.id).sort(), expected.ids[resumenType], `case/list ${resumenType} at ${formatWireDate(now, ZONE)}`);
          assert.equal(page?.count, expected.ids[resumenType].length);
        }
      };

      for (const s of steps) {
        const target = s.kind === 'create' || s.kind === 'wait' || s.kind === 'check' || cases.length === 0 ? undefined
          : s.pick < 0 ? last ?? cases[0] : cases[s.pick % cases.length];
        if (target) last = target;
        const now = t.now.value;
        switch (s.kind) {
          case 'create': {
            const type = types[s.type] ?? types[0];
            const dueDate = dueText(s.dueMinutes);
            const caseId = resultOf<{ caseId: string }>(await postAicc(t.app, token, 'case', {
              caseInfo: { title: 'property', description: 'd', type: type?.id, isAtuoAssigned: false, ownerId: users[0], contactId, dueDate },
            })).caseId;
            last = {
              id: caseId, typeId: type?.id ?? '', createdAt: now, completed: false, closedAt: null, cancelled: false, cancelledAt: null,
              dueAt: instantOf(dueDate), status: type?.first ?? '', closed: false, ownerIndex: 0,
            };
            cases.push(last);
            break;
          }
          case 'complete':
          case 'back': {
            if (!target) break;
            const status = s.kind === 'complete' ? 'Completed' : types.find((type) => type.id === target.typeId)?.first ?? '';
            const ok = !target.closed && !target.cancelled;
            await call('status/update', { id: target.id, status, creatorId: users[0] }, ok);
            if (ok && target.status !== status) {
              Object.assign(target, s.kind === 'complete' ? { completed: true, closedAt: now } : { completed: false, closedAt: null });
              target.status = status;
            }
            break;
          }
          case 'close': {
            if (!target) break;
            const ok = !target.closed && !target.cancelled && target.status === 'Completed';
            await call('close', { caseId: target.id, creatorId: users[0] }, ok);
            // Closing completes the case anew: its closedDate becomes the moment of the close.
            if (ok) Object.assign(target, { closed: true, completed: true, closedAt: now });
            break;
          }
          case 'reopen': {
            if (!target) break;
            const response = await extension(`cases/${target.id}/reopen`, {});
            assert.equal(response.statusCode, target.closed ? 200 : 409, response.body);
            if (target.closed) {
              Object.assign(target, { closed: false, completed: false, closedAt: null, status: types.find((type) => type.id === target.typeId)?.first ?? '' });
            }
            break;
          }
          case 'cancel': {
            if (!target) break;
            const ok = !target.closed && !target.cancelled;
            await call('case/cancel', { id: target.id, creatorId: users[0], remark: 'no longer needed' }, ok);
            if (ok) Object.assign(target, { cancelled: true, cancelledAt: now });
            break;
          }
          case 'resume': {
            if (!target) break;
            const response = await extension(`cases/${target.id}/resume`, {});
            assert.equal(response.statusCode, !target.closed && target.cancelled ? 200 : 409, response.body);
            if (!target.closed && target.cancelled) Object.assign(target, { cancelled: false, cancelledAt: null });
            break;
          }
          case 'transfer': {
            if (!target) break;
            const ok = !target.closed && !target.cancelled;
            const ownerIndex = 1 - target.ownerIndex;
            await call('case/transfer', { id: target.id, ownerId: users[ownerIndex], creatorId: users[0], remark: 'yours' }, ok);
            if (ok) target.ownerIndex = ownerIndex;
            break;
          }
          case 'due': {
            if (!target) break;
            const ok = !target.closed && !target.cancelled;
            const dueDate = dueText(s.dueMinutes);
            await call('case/modify', { caseInfo: { id: target.id, title: 'property', description: 'd', creatorId: users[0], dueDate } }, ok);
            if (ok) target.dueAt = instantOf(dueDate);
            break;
          }
          case 'wait':
            // Within the tokens' 30 days (the test app's lifetime), and within one report page of days.
            if (now - started < 20 * DAY) t.now.value += s.minutes * MINUTE + 1234;
            break;
          case 'check':
            await check();
            break;
        }
      }

      await check();
      // The report from the day before the first case to the day after the last change, over all types and by type.
      const lastDay = nextDay(formatWireDate(t.now.value, ZONE).slice(0, 10));
      const dayBefore = shiftDay(firstDay, -1);
      const days = daysFrom(dayBefore, lastDay);
      for (const caseType of [null, types[0] ?? null, types[1] ?? null]) {
        const response = await postAicc(t.app, token, 'statistics/case/report', {
          ...(caseType && { caseTypeId: caseType.id }), startTime: dayBefore, endTime: lastDay, start: 0, limit: 100,
        });
        assert.equal(response.statusCode, 200, response.body);
        const expected = days.map((day) => expectedDay(cases, day, ZONE, caseType && { id: caseType.id, name: caseType.name })).reverse();
        assert.deepEqual(response.json<{ result: unknown }>().result, { caseStatisticsList: expected, count: days.length }, `report ${caseType?.name ?? 'all types'}`);
      }
    }), { numRuns: RUNS, includeErrorInReport: true, ...(SEED !== undefined && { seed: SEED }) });
  });
});
