import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_TENANT } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { runCli } from '../cli-helpers.js';
import { AICC, fetchToken, ON_POSTGRES, resultOf, startTestApp, TEST_BACKEND, type TestApp } from '../helpers.js';
import { detailCode, errorCodeOf, eventually, refresh, sessionResultOf, signedIn, signIn, USERS_PATH, withToken } from './session-calls.js';

const ADMIN = { name: 'Grace Admin', login: 'grace', password: 'compiler pioneer' };
const PERSON = { name: 'Lin Agent', login: 'lin', password: 'bamboo forest 7' };

/**
 * A user disabled, or given another role, reaches that user's sessions on the next request, in this app and in another
 * app on the same database (another process: on SQLite through the file's commit counter, on PostgreSQL through the
 * revocation's notification, heard within a moment).
 */
describe(`sessions: disabling a user or changing its role reaches its sessions at once, in every app on the database, on ${TEST_BACKEND}`, () => {
  let first: TestApp;
  let second: TestApp;
  let appToken: string;
  let adminToken: string;
  let userId: string;

  before(async () => {
    first = await startTestApp();
    second = await startTestApp({ sqliteFile: first.dbLocation, demo: false });
    appToken = await fetchToken(first.app);
    await createUser(first.database, DEMO_TENANT.id, { ...ADMIN, role: 'admin' }, first.now.value);
    userId = (await createUser(first.database, DEMO_TENANT.id, { ...PERSON, role: 'agent' }, first.now.value)).userId;
    adminToken = (await signedIn(first, ADMIN.login, ADMIN.password)).accessToken;
  });
  after(async () => {
    await second?.close();
    await first?.close();
  });

  const apps = () => [first, second];
  /** The token's resCode on task detail in one app: at once on SQLite, within a moment on PostgreSQL. */
  const codeIn = (t: TestApp, token: string, expected: string) => eventually(() => detailCode(t, token), expected, ON_POSTGRES);
  const statisticsCode = async (t: TestApp, token: string) =>
    (await t.app.inject({ method: 'GET', url: `${AICC}/statistics/case/current`, headers: { 'access-token': token } })).json<{ resCode: string }>().resCode;

  /** A session of the user, its token checked (and so kept) by both apps. */
  async function warmSession() {
    const session = await signedIn(first, PERSON.login, PERSON.password);
    for (let i = 0; i < 3; i++) for (const t of apps()) assert.equal(await detailCode(t, session.accessToken), '0');
    return session;
  }

  it('an admin\'s PATCH status disabled: the user\'s tokens 401002 and its cookie 401004 in both apps; it cannot sign in until enabled', async () => {
    const session = await warmSession();
    const disabled = await withToken(first, adminToken, 'PATCH', `${USERS_PATH}/${userId}`, { status: 'disabled' });
    assert.equal(resultOf<{ status: string }>(disabled).status, 'disabled');

    assert.equal(await detailCode(first, session.accessToken), '401002', 'the app that made the change: at once');
    assert.equal(await codeIn(second, session.accessToken, '401002'), '401002', 'the other app on the database');
    for (const t of apps()) assert.equal(errorCodeOf(await refresh(t, session.refreshToken), 401), '401004');
    assert.equal(errorCodeOf(await signIn(second, { login: PERSON.login, password: PERSON.password }), 403), '403002');

    const enabled = await withToken(second, adminToken, 'PATCH', `${USERS_PATH}/${userId}`, { status: 'active' });
    assert.equal(resultOf<{ status: string }>(enabled).status, 'active');
    for (const t of apps()) assert.equal(await codeIn(t, session.accessToken, '401002'), '401002', 'enabling does not bring an ended session back');
    const fresh = await signedIn(second, PERSON.login, PERSON.password);
    for (const t of apps()) assert.equal(await codeIn(t, fresh.accessToken, '0'), '0');
    assert.equal(await detailCode(first, adminToken), '0', 'the admin\'s own session is untouched');
  });

  it('`opencase user disable` from the command line while the apps run: the token stops in both; `user enable` lets the user sign in again', { timeout: 120_000 }, async () => {
    const session = await warmSession();
    const disabled = await runCli(['user', 'disable', '--db', first.dbLocation, '--tenant', DEMO_TENANT.id, '--login', PERSON.login, '--json']);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.equal((JSON.parse(disabled.stdout) as { status: string }).status, 'disabled');
    for (const t of apps()) assert.equal(await codeIn(t, session.accessToken, '401002'), '401002');
    for (const t of apps()) assert.equal(errorCodeOf(await refresh(t, session.refreshToken), 401), '401004');
    assert.equal(errorCodeOf(await signIn(first, { login: PERSON.login, password: PERSON.password }), 403), '403002');

    const enabled = await runCli(['user', 'enable', '--db', first.dbLocation, '--tenant', DEMO_TENANT.id, '--user', userId]);
    assert.equal(enabled.code, 0, enabled.stderr);
    const fresh = await signedIn(first, PERSON.login, PERSON.password);
    for (const t of apps()) assert.equal(await codeIn(t, fresh.accessToken, '0'), '0');
  });

  it('a new role takes effect on the session\'s next call, in both apps, without ending it', async () => {
    const session = await warmSession();
    for (const t of apps()) assert.equal(await statisticsCode(t, session.accessToken), '403002', 'an agent may not read the statistics');

    const promoted = await withToken(first, appToken, 'PATCH', `${USERS_PATH}/${userId}`, { role: 'supervisor' });
    assert.equal(resultOf<{ role: string }>(promoted).role, 'supervisor');
    assert.equal(await statisticsCode(first, session.accessToken), '0');
    assert.equal(await eventually(() => statisticsCode(second, session.accessToken), '0', ON_POSTGRES), '0');
    const refreshed = sessionResultOf(await refresh(second, session.refreshToken));
    assert.equal(refreshed.role, 'supervisor');

    const demoted = await withToken(second, adminToken, 'PATCH', `${USERS_PATH}/${userId}`, { role: 'agent' });
    assert.equal(resultOf<{ role: string }>(demoted).role, 'agent');
    for (const token of [session.accessToken, refreshed.accessToken]) {
      assert.equal(await statisticsCode(second, token), '403002');
      assert.equal(await eventually(() => statisticsCode(first, token), '403002', ON_POSTGRES), '403002');
      assert.equal(await detailCode(first, token), '0', 'the session itself goes on');
    }
  });
});
