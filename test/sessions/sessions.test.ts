import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenant, type NewTenant } from '../../src/auth/service.js';
import { DEMO_CLIENT, DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { AICC, assertErrorEnvelope, postAicc, resultOf, startTestApp, TEST_BACKEND, useTestApp, type TestApp } from '../helpers.js';
import {
  assertCookieCleared, detailCode, errorCodeOf, refresh, refreshTokenOf, sessionResultOf, setCookieOf, signedIn, signIn, signOut, taskDetail,
  USERS_PATH, withToken,
} from './session-calls.js';

const AGENT = { name: 'Mei Ling', login: 'mei.ling', password: 'plum blossom 42' };
const ADMIN = { name: 'Ada Admin', login: 'ada', password: 'analytical engine' };
const DISABLED = { name: 'Dormant Dan', login: 'dan', password: 'long asleep now' };
const SHARED = { login: 'front.desk', password: 'same in both tenants' };

interface ExportedTrace {
  seq: number;
  objectId: string;
  type: string;
  creatorId: string;
  creatorName: string;
  via: string | null;
}

/** Sign-in, the session token on the API, refresh with rotation and reuse detection, sign-out. */
describe(`sessions: sign-in, the session token on the API, refresh, sign-out, on ${TEST_BACKEND}`, () => {
  const t = useTestApp();
  const ids = { agent: '', admin: '', disabled: '', sharedDemo: '', sharedOther: '', demoApp: '' };
  let other: NewTenant;

  before(async () => {
    const now = t.now.value;
    ids.agent = (await createUser(t.database, DEMO_TENANT.id, { ...AGENT, role: 'agent' }, now)).userId;
    ids.admin = (await createUser(t.database, DEMO_TENANT.id, { ...ADMIN, role: 'admin' }, now)).userId;
    ids.disabled = (await createUser(t.database, DEMO_TENANT.id, { ...DISABLED, role: 'agent' }, now)).userId;
    const disabled = await withToken(t, t.token, 'PATCH', `${USERS_PATH}/${ids.disabled}`, { status: 'disabled' });
    assert.equal(resultOf<{ status: string }>(disabled).status, 'disabled');
    other = await createTenant(t.database, { name: 'Second tenant', timeZone: 'UTC', userName: 'admin' }, now);
    ids.sharedDemo = (await createUser(t.database, DEMO_TENANT.id, { name: 'Desk (demo)', ...SHARED }, now)).userId;
    ids.sharedOther = (await createUser(t.database, other.tenantId, { name: 'Desk (other)', ...SHARED, role: 'supervisor' }, now)).userId;
    ids.demoApp = (await t.database.db.selectFrom('api_apps').select('id').where('client_id', '=', DEMO_CLIENT.clientId).executeTakeFirstOrThrow()).id;
  });

  /** Every trace of the tenant after `cursor`, read with `token`, and the cursor after them. */
  async function tracesAfter(token: string, cursor: string): Promise<{ traces: ExportedTrace[]; cursor: string }> {
    const traces: ExportedTrace[] = [];
    for (;;) {
      const page = resultOf<{ nextCursor: string; traces: ExportedTrace[] }>(await withToken(t, token, 'GET', `/opencase/v1/traces?after=${cursor}&limit=100`));
      if (page.traces.length === 0) return { traces, cursor };
      traces.push(...page.traces);
      cursor = page.nextCursor;
    }
  }

  describe('sign-in', () => {
    it('answers exactly {accessToken, expiresIn, userId, role}, with the refresh token in an HttpOnly, SameSite=Strict cookie for the session routes only', async () => {
      const reply = await signIn(t, { login: AGENT.login, password: AGENT.password });
      const result = sessionResultOf(reply);
      assert.equal(result.userId, ids.agent);
      assert.equal(result.role, 'agent');
      assert.equal(result.expiresIn, 900, 'OPENCASE_SESSION_TOKEN_TTL defaults to 15 minutes');
      assert.equal(typeof result.accessToken, 'string');
      // The cookie lives as long as the session: OPENCASE_SESSION_TTL, 12 hours by default.
      const refreshToken = refreshTokenOf(reply, 43_200);
      assert.notEqual(refreshToken, result.accessToken);
      assert.ok(!reply.body.includes(refreshToken), 'the refresh token travels only in the cookie');
      assert.equal(await detailCode(t, result.accessToken), '0');
      assert.equal(await detailCode(t, refreshToken), '401002', 'the refresh token is no access token');
      const again = await signedIn(t, AGENT.login, AGENT.password);
      assert.notEqual(again.accessToken, result.accessToken, 'each sign-in is a session of its own');
      assert.notEqual(again.refreshToken, refreshToken);
    });

    it('a wrong password and an unknown login are answered alike: 401003, the same words, no cookie', async () => {
      const address = '192.0.2.10';
      const wrong = await signIn(t, { login: AGENT.login, password: 'not the password' }, address);
      const unknown = await signIn(t, { login: 'nobody.at.all', password: AGENT.password }, address);
      // A login without a password yet (created through the API, awaiting its set-password link) is no different.
      const created = resultOf<{ userId: string }>(await withToken(t, t.token, 'POST', USERS_PATH, { name: 'No Password Yet', login: 'nopass' }));
      assert.ok(created.userId);
      const noPassword = await signIn(t, { login: 'nopass', password: 'anything at all' }, address);
      for (const reply of [wrong, unknown, noPassword]) {
        assert.equal(errorCodeOf(reply, 401), '401003');
        assert.equal(setCookieOf(reply), undefined);
      }
      assert.equal(wrong.body, unknown.body);
      assert.equal(noPassword.body, unknown.body);
      assert.doesNotMatch(assertErrorEnvelope(wrong.body).resMsg, /mei\.ling|nobody/, 'the reply does not echo the login');
    });

    it('a disabled user is refused with its right password (403002); with a wrong one it gets the 401003 anyone gets', async () => {
      const right = await signIn(t, { login: DISABLED.login, password: DISABLED.password }, '192.0.2.11');
      assert.equal(errorCodeOf(right, 403), '403002');
      assert.match(assertErrorEnvelope(right.body).resMsg, /disabled/);
      assert.equal(setCookieOf(right), undefined);
      const wrong = await signIn(t, { login: DISABLED.login, password: 'a wrong guess' }, '192.0.2.11');
      assert.equal(errorCodeOf(wrong, 401), '401003');
      const unknown = await signIn(t, { login: 'nobody.at.all', password: 'a wrong guess' }, '192.0.2.11');
      assert.equal(wrong.body, unknown.body);
    });

    it('a login held in two tenants needs tenantId (a 400 naming it), and with it signs in to that tenant\'s user', async () => {
      const ambiguous = await signIn(t, { login: SHARED.login, password: SHARED.password }, '192.0.2.12');
      assert.equal(errorCodeOf(ambiguous, 400), '400001');
      assert.match(assertErrorEnvelope(ambiguous.body).resMsg, /tenantId/);
      assert.equal(setCookieOf(ambiguous), undefined);

      const demo = await signedIn(t, SHARED.login, SHARED.password, { tenantId: DEMO_TENANT.id });
      assert.deepEqual([demo.userId, demo.role], [ids.sharedDemo, 'agent']);
      const second = await signedIn(t, SHARED.login, SHARED.password, { tenantId: other.tenantId });
      assert.deepEqual([second.userId, second.role], [ids.sharedOther, 'supervisor']);
      // Each session is in its own tenant: the demo task is found only from the demo tenant.
      assert.equal((await taskDetail(t, demo.accessToken)).statusCode, 200);
      assert.equal(errorCodeOf(await taskDetail(t, second.accessToken), 404), '404001');

      const wrongTenant = await signIn(t, { login: AGENT.login, password: AGENT.password, tenantId: other.tenantId }, '192.0.2.12');
      assert.equal(errorCodeOf(wrongTenant, 401), '401003', 'a login of another tenant is unknown there');
    });

    it('refuses unknown fields and malformed bodies (400) before any password is checked', async () => {
      const address = '192.0.2.13';
      for (const body of [
        { login: AGENT.login, password: AGENT.password, rememberMe: true },
        { login: AGENT.login },
        { password: AGENT.password },
        { login: '', password: AGENT.password },
        { login: AGENT.login, password: AGENT.password, tenantId: 'not an id' },
      ]) {
        const reply = await signIn(t, body, address);
        assert.equal(errorCodeOf(reply, 400), '400001', JSON.stringify(body));
        assert.equal(setCookieOf(reply), undefined);
      }
      const unknownField = await signIn(t, { login: AGENT.login, password: AGENT.password, rememberMe: true }, address);
      assert.match(assertErrorEnvelope(unknownField.body).resMsg, /rememberMe/);
      // None of them counted as a failed guess: the address signs in at once.
      await signedIn(t, AGENT.login, AGENT.password);
    });
  });

  describe('the session token on the API', () => {
    it('reads through the AICC API and the extensions as its user', async () => {
      const me = await signedIn(t, AGENT.login, AGENT.password);
      assert.equal((await taskDetail(t, me.accessToken)).statusCode, 200);
      const cases = await postAicc(t.app, me.accessToken, 'case/list', { start: 0, limit: 10 });
      assert.equal(cases.statusCode, 200, cases.body);
      const user = resultOf<{ id: string; login: string; role: string }>(await withToken(t, me.accessToken, 'GET', `${USERS_PATH}/${ids.agent}`));
      assert.deepEqual([user.id, user.login, user.role], [ids.agent, AGENT.login, 'agent']);
    });

    it('a change naming another user as creatorId is 403001; left out, the change is made as the signed-in user, recorded via user:<id>', async () => {
      const me = await signedIn(t, AGENT.login, AGENT.password);
      const { cursor } = await tracesAfter(t.token, '0');

      const asSomeoneElse = await postAicc(t.app, me.accessToken, 'task', { taskInfo: { title: 'as the admin', ownerId: ids.agent, creatorId: DEMO_USER.id } });
      assert.equal(errorCodeOf(asSomeoneElse, 403), '403001');
      assert.match(assertErrorEnvelope(asSomeoneElse.body).resMsg, new RegExp(DEMO_USER.id));
      const statusAsSomeoneElse = await postAicc(t.app, me.accessToken, 'task/status/update', { id: DEMO_TASK_ID, status: 'Processing', creatorId: DEMO_USER.id });
      assert.equal(errorCodeOf(statusAsSomeoneElse, 403), '403001');
      assert.deepEqual((await tracesAfter(t.token, cursor)).traces, [], 'a refused change leaves no trace');

      const mine = resultOf<{ taskId: string }>(await postAicc(t.app, me.accessToken, 'task', { taskInfo: { title: 'my own', ownerId: ids.agent } }));
      const namingMyself = resultOf<{ taskId: string }>(await postAicc(t.app, me.accessToken, 'task', { taskInfo: { title: 'also mine', ownerId: ids.agent, creatorId: ids.agent } }));
      const byApp = resultOf<{ taskId: string }>(await postAicc(t.app, t.token, 'task', { taskInfo: { title: 'by the app', ownerId: ids.agent, creatorId: DEMO_USER.id } }));
      // An API app must name the user it acts as (AICC requires creatorId); a session need not.
      const appWithout = await postAicc(t.app, t.token, 'task', { taskInfo: { title: 'no creator', ownerId: ids.agent } });
      assert.equal(errorCodeOf(appWithout, 400), '400001');
      assert.match(assertErrorEnvelope(appWithout.body).resMsg, /creatorId/);

      const detail = resultOf<{ taskInfo: { creatorId: string } }>(await taskDetailOf(me.accessToken, mine.taskId));
      assert.equal(detail.taskInfo.creatorId, ids.agent);

      const { traces } = await tracesAfter(me.accessToken, cursor);
      const created = (taskId: string) => traces.filter((trace) => trace.objectId === taskId)
        .map(({ type, creatorId, creatorName, via }) => ({ type, creatorId, creatorName, via }));
      assert.deepEqual(created(mine.taskId), [{ type: 'CreateTask', creatorId: ids.agent, creatorName: AGENT.name, via: `user:${ids.agent}` }]);
      assert.deepEqual(created(namingMyself.taskId), [{ type: 'CreateTask', creatorId: ids.agent, creatorName: AGENT.name, via: `user:${ids.agent}` }]);
      assert.deepEqual(created(byApp.taskId), [{ type: 'CreateTask', creatorId: DEMO_USER.id, creatorName: DEMO_USER.name, via: `app:${ids.demoApp}` }]);
      assert.equal(traces.length, 3);
    });
  });

  function taskDetailOf(token: string, taskId: string) {
    return t.app.inject({ method: 'GET', url: `${AICC}/task/${taskId}`, headers: { 'access-token': token } });
  }

  describe('refresh', () => {
    it('rotates: a new access token and a new refresh cookie; the session keeps its user and role', async () => {
      const first = await signedIn(t, ADMIN.login, ADMIN.password);
      t.now.value += 60_000;
      const reply = await refresh(t, first.refreshToken);
      const result = sessionResultOf(reply);
      assert.deepEqual([result.userId, result.role, result.expiresIn], [ids.admin, 'admin', 900]);
      assert.notEqual(result.accessToken, first.accessToken);
      // The cookie lives until the session ends: 12 hours from the sign-in, a minute ago.
      const next = refreshTokenOf(reply, 43_200 - 60);
      assert.notEqual(next, first.refreshToken);
      assert.equal(await detailCode(t, result.accessToken), '0');
      assert.equal(await detailCode(t, first.accessToken), '0', 'the earlier access token lives on until it expires');
      // The new cookie rotates in turn.
      const again = await refresh(t, next);
      sessionResultOf(again);
      assert.notEqual(refreshTokenOf(again), next);
    });

    it('a replaced cookie presented again within 10 s gets an access token but no cookie; after the grace it ends the whole session (401004)', async () => {
      const session = await signedIn(t, AGENT.login, AGENT.password);
      const rotated = await refresh(t, session.refreshToken);
      const afterRotation = sessionResultOf(rotated);
      const current = refreshTokenOf(rotated);

      // Another tab that refreshed a moment too late: still served, and its browser keeps the winner's cookie.
      t.now.value += 5_000;
      const late = await refresh(t, session.refreshToken);
      const lateResult = sessionResultOf(late);
      assert.equal(setCookieOf(late), undefined, 'no new cookie within the grace');
      assert.equal(lateResult.userId, ids.agent);
      assert.equal(await detailCode(t, lateResult.accessToken), '0');

      // 11 s after it was replaced, the old cookie is a copy in someone else's hands: the whole session ends.
      t.now.value += 6_000;
      const reused = await refresh(t, session.refreshToken);
      assert.equal(errorCodeOf(reused, 401), '401004');
      assertCookieCleared(reused);
      for (const token of [session.accessToken, afterRotation.accessToken, lateResult.accessToken]) {
        assert.equal(await detailCode(t, token), '401002');
        assert.equal(errorCodeOf(await postAicc(t.app, token, 'case/list', { start: 0, limit: 1 }), 401), '401002');
      }
      const currentToo = await refresh(t, current);
      assert.equal(errorCodeOf(currentToo, 401), '401004', 'the current cookie of a session ended by reuse is refused too');
      assertCookieCleared(currentToo);
      // The user itself may sign in again.
      assert.equal(await detailCode(t, (await signedIn(t, AGENT.login, AGENT.password)).accessToken), '0');
    });

    it('the current cookie used twice more than 10 s apart is no reuse: only a replaced one is', async () => {
      const session = await signedIn(t, AGENT.login, AGENT.password);
      t.now.value += 30_000;
      const reply = await refresh(t, session.refreshToken);
      sessionResultOf(reply);
      const current = refreshTokenOf(reply);
      t.now.value += 30_000;
      sessionResultOf(await refresh(t, current));
    });

    it('concurrent refreshes of one cookie: exactly one rotates, the others get an access token and no cookie', async () => {
      for (let round = 0; round < 3; round++) {
        const session = await signedIn(t, AGENT.login, AGENT.password);
        const replies = await Promise.all(Array.from({ length: 6 }, () => refresh(t, session.refreshToken)));
        const results = replies.map((reply) => sessionResultOf(reply));
        const cookies = replies.map((reply) => setCookieOf(reply)).filter((cookie) => cookie !== undefined);
        assert.equal(cookies.length, 1, `round ${round}: ${cookies.length} refreshes rotated the cookie`);
        assert.equal(new Set(results.map((result) => result.accessToken)).size, 6, 'each got an access token of its own');
        for (const result of results) assert.equal(await detailCode(t, result.accessToken), '0');
        const winner = replies.find((reply) => setCookieOf(reply) !== undefined);
        assert.ok(winner);
        sessionResultOf(await refresh(t, refreshTokenOf(winner)));
      }
    });

    it('without a cookie, or with one opencase never issued, a refresh is 401004', async () => {
      const none = await refresh(t, undefined);
      assert.equal(errorCodeOf(none, 401), '401004');
      const unknown = await refresh(t, 'A'.repeat(43));
      assert.equal(errorCodeOf(unknown, 401), '401004');
      assertCookieCleared(unknown);
      const accessAsCookie = await refresh(t, (await signedIn(t, AGENT.login, AGENT.password)).accessToken.replace(/[^A-Za-z0-9_-]/g, ''));
      assert.equal(errorCodeOf(accessAsCookie, 401), '401004', 'an access token is no refresh token');
    });
  });

  describe('sign-out', () => {
    it('with the access-token header: the session ends (its access tokens 401002, its cookie 401004) and the cookie is cleared', async () => {
      const session = await signedIn(t, AGENT.login, AGENT.password);
      const rotated = await refresh(t, session.refreshToken);
      const second = sessionResultOf(rotated);
      const current = refreshTokenOf(rotated);
      const otherSession = await signedIn(t, AGENT.login, AGENT.password);
      assert.equal(await detailCode(t, session.accessToken), '0');

      const out = await signOut(t, { 'access-token': session.accessToken });
      assert.equal(out.statusCode, 200, out.body);
      assert.deepEqual(Object.keys(out.json<object>()), ['resCode', 'resMsg']);
      assert.equal(out.json<{ resCode: string }>().resCode, '0');
      assertCookieCleared(out);
      assert.equal(await detailCode(t, session.accessToken), '401002');
      assert.equal(await detailCode(t, second.accessToken), '401002', 'every access token of the session stops');
      assert.equal(errorCodeOf(await refresh(t, current), 401), '401004');
      assert.equal(errorCodeOf(await refresh(t, session.refreshToken), 401), '401004');
      assert.equal(await detailCode(t, otherSession.accessToken), '0', 'another session of the same user goes on');
      // Signing out again is no error: the session is over either way.
      assert.equal((await signOut(t, { 'access-token': session.accessToken })).statusCode, 200);
    });

    it('with only the refresh cookie', async () => {
      const session = await signedIn(t, ADMIN.login, ADMIN.password);
      const out = await signOut(t, { cookie: `opencase_refresh=${session.refreshToken}` });
      assert.equal(out.statusCode, 200, out.body);
      assertCookieCleared(out);
      assert.equal(await detailCode(t, session.accessToken), '401002');
      assert.equal(errorCodeOf(await refresh(t, session.refreshToken), 401), '401004');
    });

    it('an API app\'s token is refused with a 400 and keeps working; with nothing to sign out, 401004', async () => {
      const out = await signOut(t, { 'access-token': t.token });
      assert.equal(errorCodeOf(out, 400), '400001');
      assert.match(assertErrorEnvelope(out.body).resMsg, /API app/);
      assert.equal(await detailCode(t, t.token), '0');
      assert.equal(errorCodeOf(await signOut(t, {}), 401), '401004');
    });
  });
});

describe(`sessions: access tokens expire after OPENCASE_SESSION_TOKEN_TTL, the session after OPENCASE_SESSION_TTL, on ${TEST_BACKEND}`, () => {
  const t = useTestApp({ demo: true, env: { OPENCASE_SESSION_TOKEN_TTL: '60', OPENCASE_SESSION_TTL: '300' } });
  before(async () => {
    await createUser(t.database, DEMO_TENANT.id, { ...AGENT, role: 'agent' }, t.now.value);
  });

  it('the access token stops after its minute; refreshes go on until the session\'s 5 minutes are over, then 401004', async () => {
    const session = await signedIn(t, AGENT.login, AGENT.password);
    assert.equal(session.expiresIn, 60);
    assert.equal(await detailCode(t, session.accessToken), '0');
    t.now.value += 59_000;
    assert.equal(await detailCode(t, session.accessToken), '0');
    t.now.value += 1_000;
    assert.equal(await detailCode(t, session.accessToken), '401002');

    // 60 s into the session: refreshed every 50 s, each access token lives 60 s, the last ones cut to the session's end.
    let cookie = session.refreshToken;
    let elapsed = 60;
    const expiresIns: number[] = [];
    while (elapsed + 50 < 300) {
      const reply = await refresh(t, cookie);
      const result = sessionResultOf(reply);
      cookie = refreshTokenOf(reply, 300 - elapsed);
      expiresIns.push(result.expiresIn);
      assert.equal(await detailCode(t, result.accessToken), '0');
      t.now.value += 50_000;
      elapsed += 50;
      assert.equal(await detailCode(t, result.accessToken), '0', 'an access token lives its 60 s');
    }
    // At 260 s: a token for the 40 s left, no more.
    const last = await refresh(t, cookie);
    const lastResult = sessionResultOf(last);
    cookie = refreshTokenOf(last, 40);
    assert.deepEqual([...expiresIns, lastResult.expiresIn], [60, 60, 60, 60, 40]);
    t.now.value += 39_000;
    assert.equal(await detailCode(t, lastResult.accessToken), '0');
    t.now.value += 1_000;
    assert.equal(await detailCode(t, lastResult.accessToken), '401002', 'no access token outlives its session');
    const over = await refresh(t, cookie);
    assert.equal(errorCodeOf(over, 401), '401004');
    assertCookieCleared(over);
  });
});

/**
 * Two browser tabs refreshing at once may reach two processes. On PostgreSQL each change here runs in a transaction of
 * its own (OPENCASE_PG_GROUP_COMMIT=0, and two stores), so the refreshes really race in the database.
 */
describe(`sessions: concurrent refreshes of one cookie through two apps on one database never both rotate, on ${TEST_BACKEND}`, () => {
  let first: TestApp;
  let second: TestApp;
  before(async () => {
    const env = { OPENCASE_PG_GROUP_COMMIT: '0' };
    first = await startTestApp({ demo: true, env });
    second = await startTestApp({ sqliteFile: first.dbLocation, demo: false, env });
    await createUser(first.database, DEMO_TENANT.id, { ...AGENT, role: 'agent' }, first.now.value);
  });
  after(async () => {
    await second?.close();
    await first?.close();
  });

  it('exactly one of a burst of refreshes, split between the apps, gets a new cookie; all get working access tokens', async () => {
    for (let round = 0; round < 5; round++) {
      const session = await signedIn(first, AGENT.login, AGENT.password);
      const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => refresh(i % 2 === 0 ? first : second, session.refreshToken)));
      const results = replies.map((reply) => sessionResultOf(reply));
      const rotated = replies.filter((reply) => setCookieOf(reply) !== undefined);
      assert.equal(rotated.length, 1, `round ${round}: ${rotated.length} refreshes rotated the cookie`);
      for (const result of results) assert.equal(await detailCode(first, result.accessToken), '0');
      const winner = rotated[0];
      assert.ok(winner);
      sessionResultOf(await refresh(second, refreshTokenOf(winner)));
    }
  });
});
