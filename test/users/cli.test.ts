import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliResult } from '../cli-helpers.js';
import { AICC, fetchToken, ON_POSTGRES, startTestApp, testDatabase, TEST_BACKEND, type TestApp } from '../helpers.js';
import { detailCode, errorCodeOf, eventually, signedIn, signIn } from '../sessions/session-calls.js';
import type { User } from '../../src/client/index.js';

function assertOneLineError(result: CliResult, expected: string | RegExp): void {
  assert.equal(result.code, 1, `exit ${String(result.code)}: ${result.stdout}${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected:\n${result.stderr}`);
  if (typeof expected === 'string') assert.equal(lines[0], expected);
  else assert.match(lines[0] ?? '', expected);
}

/** The operator's side of people: users who sign in, their passwords and status, and API apps limited to a role. */
describe(`opencase user create|set-password|disable|enable|list and app create --role, with the API on the same database, on ${TEST_BACKEND}`, { timeout: 300_000 }, () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let t: TestApp;
  let tenant: { tenantId: string; userId: string; clientId: string; clientSecret: string };

  before(async () => {
    database = await testDatabase();
    const created = await runCli(['tenant', 'create', '--db', database.location, '--name', 'People Inc', '--json']);
    assert.equal(created.code, 0, created.stderr);
    tenant = JSON.parse(created.stdout) as typeof tenant;
    t = await startTestApp({ sqliteFile: database.location, demo: false });
  });
  after(async () => {
    await t?.close();
    await database?.remove();
  });

  const cli = (...args: string[]) => runCli([...args, '--db', database.location, '--tenant', tenant.tenantId]);
  const cliWithPassword = (password: string, ...args: string[]) => runCli([...args, '--db', database.location, '--tenant', tenant.tenantId], {}, password);
  async function listed(): Promise<User[]> {
    const result = await cli('user', 'list', '--json');
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as User);
  }
  /** The token's resCode on an AICC read (task detail of a task no tenant here has: 404001 while the token works). */
  const tokenCode = (token: string) => eventually(() => detailCode(t, token), '401002', ON_POSTGRES);

  it('user create --login --role admin --password-stdin --json: a user who signs in through the API, as an admin', async () => {
    const created = await cliWithPassword('first passphrase\n', 'user', 'create', '--name', 'Olga Operator', '--login', 'olga', '--role', 'admin', '--password-stdin', '--json');
    assert.equal(created.code, 0, created.stderr);
    assert.ok(!created.stdout.includes('first passphrase'));
    const user = JSON.parse(created.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(user).sort(), ['login', 'name', 'role', 'tenantId', 'userId']);
    assert.deepEqual([user.tenantId, user.name, user.login, user.role], [tenant.tenantId, 'Olga Operator', 'olga', 'admin']);
    assert.match(user.userId ?? '', /^[0-9A-Za-z]{20}$/);

    const session = await signedIn(t, 'olga', 'first passphrase');
    assert.deepEqual([session.userId, session.role], [user.userId, 'admin']);
    const users = await t.app.inject({ method: 'GET', url: `/opencase/v1/users/${user.userId}`, headers: { 'access-token': session.accessToken } });
    assert.equal(users.statusCode, 200, users.body);

    // Without --json: one line naming the user.
    const text = await cliWithPassword('agent passphrase\n', 'user', 'create', '--name', 'Pat Agent', '--login', 'pat', '--password-stdin');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^user [0-9A-Za-z]{20} {2}login pat {2}agent {2}\(Pat Agent\) in tenant [0-9A-Za-z]{20}\n$/);
    assert.equal((await signedIn(t, 'pat', 'agent passphrase')).role, 'agent');
  });

  it('a password under 10 characters on standard input: exit 1, one line, nothing created or changed', async () => {
    // Independent commands, run side by side (each is a process of its own).
    const [short, empty, setShort, ten, noLogin, taken] = await Promise.all([
      cliWithPassword('nine char\n', 'user', 'create', '--name', 'Shorty', '--login', 'shorty', '--password-stdin'),
      cliWithPassword('', 'user', 'create', '--name', 'Shorty', '--login', 'shorty', '--password-stdin'),
      cliWithPassword('tiny\n', 'user', 'set-password', '--login', 'olga', '--password-stdin'),
      // Ten characters, the newline not counted, is enough.
      cliWithPassword('ten chars!\n', 'user', 'create', '--name', 'Tenny', '--login', 'tenny', '--password-stdin'),
      cliWithPassword('long enough passphrase\n', 'user', 'create', '--name', 'No Login', '--password-stdin'),
      cliWithPassword('long enough passphrase\n', 'user', 'create', '--name', 'Dup', '--login', 'olga', '--password-stdin'),
    ]);
    for (const result of [short, empty, setShort]) assertOneLineError(result, 'opencase: the password on standard input must be 10 to 1024 characters');
    assertOneLineError(noLogin, /--password-stdin needs --login/);
    assertOneLineError(taken, /login olga is already used/);
    assert.equal(ten.code, 0, ten.stderr);
    assert.ok(!(await listed()).some((user) => user.login === 'shorty' || user.name === 'No Login' || user.name === 'Dup'));
    await signedIn(t, 'olga', 'first passphrase');
    await signedIn(t, 'tenny', 'ten chars!');
  });

  it('user set-password reads the new password from standard input and ends the user\'s sessions at once', async () => {
    const session = await signedIn(t, 'olga', 'first passphrase');
    assert.equal(await detailCode(t, session.accessToken), '404001', 'the token works (the demo task is not this tenant\'s)');
    const set = await cliWithPassword('second passphrase\n', 'user', 'set-password', '--login', 'olga', '--password-stdin');
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /^password of user [0-9A-Za-z]{20} set; its sessions ended\n$/);
    assert.ok(!(set.stdout + set.stderr).includes('passphrase'));
    assert.equal(await tokenCode(session.accessToken), '401002');
    assert.equal(errorCodeOf(await signIn(t, { login: 'olga', password: 'first passphrase' }), 401), '401003');
    await signedIn(t, 'olga', 'second passphrase');
    const [unnamed, unknown, unknownDisable] = await Promise.all([
      cliWithPassword('whatever passphrase\n', 'user', 'set-password', '--password-stdin'),
      cliWithPassword('whatever passphrase\n', 'user', 'set-password', '--login', 'nobody', '--password-stdin'),
      cli('user', 'disable', '--login', 'nobody'),
    ]);
    assertOneLineError(unnamed, /--user or --login/);
    assertOneLineError(unknown, /nobody/);
    assertOneLineError(unknownDisable, /nobody/);
  });

  it('user disable stops the user\'s session and sign-in; user enable lets it sign in again', async () => {
    const session = await signedIn(t, 'pat', 'agent passphrase');
    const disabled = await cli('user', 'disable', '--login', 'pat', '--json');
    assert.equal(disabled.code, 0, disabled.stderr);
    const shown = JSON.parse(disabled.stdout) as User;
    assert.deepEqual([shown.login, shown.status, shown.role], ['pat', 'disabled', 'agent']);
    assert.equal(await tokenCode(session.accessToken), '401002');
    assert.equal(errorCodeOf(await signIn(t, { login: 'pat', password: 'agent passphrase' }), 403), '403002');

    const enabled = await cli('user', 'enable', '--user', shown.id);
    assert.equal(enabled.code, 0, enabled.stderr);
    assert.equal(enabled.stdout, `user ${shown.id}  login pat  agent  active  (Pat Agent)\n`);
    const again = await signedIn(t, 'pat', 'agent passphrase');
    assert.equal(await detailCode(t, again.accessToken), '404001');
    assert.equal(await detailCode(t, session.accessToken), '401002', 'the session ended by disabling stays ended');
  });

  it('user list --json: one JSON object a line, oldest first, the tenant\'s first user leading', async () => {
    const users = await listed();
    assert.deepEqual(users.map((user) => [user.login, user.role, user.status]), [
      [null, 'admin', 'active'], ['olga', 'admin', 'active'], ['pat', 'agent', 'active'], ['tenny', 'agent', 'active'],
    ]);
    assert.equal(users[0]?.id, tenant.userId);
    for (const user of users) assert.deepEqual(Object.keys(user), ['createdDate', 'id', 'login', 'name', 'role', 'status']);
    const text = await cli('user', 'list');
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout.trimEnd().split('\n').length, 4);
    assert.match(text.stdout, /login olga {2}admin {2}active {2}\(Olga Operator\)/);
  });

  it('app create --role agent: its token gets 403002 on statistics/case/current, where an app without a role gets it', async () => {
    const [limited, open, badRole] = await Promise.all([
      cli('app', 'create', '--name', 'agent desk', '--role', 'agent', '--json'),
      cli('app', 'create', '--name', 'integration', '--json'),
      cli('app', 'create', '--name', 'bad', '--role', 'owner'),
    ]);
    assert.equal(limited.code, 0, limited.stderr);
    const agentApp = JSON.parse(limited.stdout) as { appId: string; clientId: string; clientSecret: string; userId: string; role: string | null };
    assert.deepEqual(Object.keys(agentApp).sort(), ['appId', 'clientId', 'clientSecret', 'role', 'userId']);
    assert.deepEqual([agentApp.role, agentApp.userId], ['agent', tenant.userId]);
    assert.equal(open.code, 0, open.stderr);
    const fullApp = JSON.parse(open.stdout) as typeof agentApp;
    assert.equal(fullApp.role, null);

    const statistics = async (clientId: string, clientSecret: string) => t.app.inject({
      method: 'GET', url: `${AICC}/statistics/case/current`, headers: { 'access-token': await fetchToken(t.app, clientId, clientSecret) },
    });
    const refused = await statistics(agentApp.clientId, agentApp.clientSecret);
    assert.equal(errorCodeOf(refused, 403), '403002');
    const allowed = await statistics(fullApp.clientId, fullApp.clientSecret);
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.equal(allowed.json<{ resCode: string }>().resCode, '0');
    const tenantApp = await statistics(tenant.clientId, tenant.clientSecret);
    assert.equal(tenantApp.json<{ resCode: string }>().resCode, '0', 'the tenant\'s first app has no role either');

    assertOneLineError(badRole, /--role.*owner|owner.*--role|Allowed choices/i);
  });
});
