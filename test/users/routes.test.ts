import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEMO_TENANT } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { assertErrorEnvelope, resultOf, TEST_BACKEND, useTestApp } from '../helpers.js';
import {
  detailCode, errorCodeOf, PASSWORD_PATH, refresh, signedIn, signIn, USERS_PATH, withToken, type SignedIn,
} from '../sessions/session-calls.js';
import type { User } from '../../src/client/index.js';

const HOUR = 3_600_000;
const PEOPLE = {
  admin: { name: 'Alice Admin', login: 'alice', password: 'alice passphrase', role: 'admin' },
  deputy: { name: 'Dora Deputy', login: 'dora', password: 'dora passphrase', role: 'admin' },
  supervisor: { name: 'Sam Supervisor', login: 'sam', password: 'sam passphrase', role: 'supervisor' },
  agent: { name: 'Abe Agent', login: 'abe', password: 'abe passphrase', role: 'agent' },
} as const;
type Person = keyof typeof PEOPLE;

/** The users API (an admin's: creating, changing, set-password links) and setting a password with a link. */
describe(`users API and set-password links, on ${TEST_BACKEND}`, () => {
  const t = useTestApp();
  const ids = {} as Record<Person, string>;
  const sessions = {} as Record<Person, SignedIn>;
  let counter = 0;

  before(async () => {
    for (const [person, { name, login, password, role }] of Object.entries(PEOPLE) as Array<[Person, (typeof PEOPLE)[Person]]>) {
      ids[person] = (await createUser(t.database, DEMO_TENANT.id, { name, login, password, role }, t.now.value)).userId;
      sessions[person] = await signedIn(t, login, password);
    }
  });

  const as = (person: Person, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => withToken(t, sessions[person].accessToken, method, url, body);
  /** A user created by the admin through the API (without a password: a link gives it one). */
  async function newUser(fields: { login?: string; role?: string } = {}): Promise<{ id: string; login: string }> {
    const login = fields.login ?? `person.${++counter}`;
    const { userId } = resultOf<{ userId: string }>(await as('admin', 'POST', USERS_PATH, { name: `Person ${counter}`, login, ...(fields.role && { role: fields.role }) }));
    return { id: userId, login };
  }
  async function passwordLink(userId: string): Promise<string> {
    return resultOf<{ token: string }>(await as('admin', 'POST', `${USERS_PATH}/${userId}/password-link`)).token;
  }
  const setPassword = (token: string, password: string) =>
    t.app.inject({ method: 'POST', url: PASSWORD_PATH, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token, password }) });

  it('an admin creates a user with a login and a role; GET shows it, in the list too', async () => {
    const reply = await as('admin', 'POST', USERS_PATH, { name: 'Nina New', login: 'nina', role: 'supervisor' });
    const created = resultOf<Record<string, string>>(reply);
    assert.deepEqual(Object.keys(created), ['userId']);
    const userId = created.userId ?? '';
    const shown = resultOf<User>(await as('agent', 'GET', `${USERS_PATH}/${userId}`));
    assert.deepEqual(Object.keys(shown), ['createdDate', 'id', 'login', 'name', 'role', 'status']);
    assert.deepEqual({ ...shown, createdDate: '' }, { createdDate: '', id: userId, login: 'nina', name: 'Nina New', role: 'supervisor', status: 'active' });
    assert.match(shown.createdDate, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const plain = resultOf<{ userId: string }>(await as('admin', 'POST', USERS_PATH, { name: 'Plain Name' }));
    const plainShown = resultOf<User>(await as('admin', 'GET', `${USERS_PATH}/${plain.userId}`));
    assert.deepEqual([plainShown.login, plainShown.role, plainShown.status], [null, 'agent', 'active'], 'an agent without a login by default');

    const list = resultOf<{ count: number; users: User[] }>(await as('agent', 'GET', `${USERS_PATH}?limit=100`));
    assert.equal(list.count, list.users.length);
    assert.deepEqual(list.users.find((user) => user.id === userId), shown);
    for (const person of Object.keys(PEOPLE) as Person[]) assert.equal(list.users.find((user) => user.id === ids[person])?.role, PEOPLE[person].role);
    assert.ok(!JSON.stringify(list).includes('password'), 'no password hash is ever shown');
    // Created without a password: it cannot sign in until a set-password link gives it one.
    assert.equal(errorCodeOf(await signIn(t, { login: 'nina', password: 'anything at all' }), 401), '401003');
  });

  it('agent and supervisor sessions get 403002 on creating, changing and password links; they may read', async () => {
    const target = await newUser();
    for (const person of ['agent', 'supervisor'] as const) {
      for (const [method, url, body] of [
        ['POST', USERS_PATH, { name: 'Sneaky', login: `sneaky.${person}` }],
        ['PATCH', `${USERS_PATH}/${target.id}`, { role: 'admin' }],
        ['PATCH', `${USERS_PATH}/${ids[person]}`, { role: 'admin' }],
        ['POST', `${USERS_PATH}/${target.id}/password-link`, undefined],
      ] as const) {
        const reply = await as(person, method, url, body);
        assert.equal(errorCodeOf(reply, 403), '403002', `${person} ${method} ${url}`);
        assert.match(assertErrorEnvelope(reply.body).resMsg, new RegExp(`role ${person} may not change users`));
      }
      assert.equal((await as(person, 'GET', USERS_PATH)).statusCode, 200);
    }
    const unchanged = resultOf<User>(await as('admin', 'GET', `${USERS_PATH}/${target.id}`));
    assert.equal(unchanged.role, 'agent');
    const list = resultOf<{ users: User[] }>(await as('admin', 'GET', `${USERS_PATH}?limit=100`));
    assert.ok(!list.users.some((user) => user.login?.startsWith('sneaky')));
    assert.equal(resultOf<User>(await as('admin', 'GET', `${USERS_PATH}/${ids.agent}`)).role, 'agent');
  });

  it('a set-password link sets the password once, with no access token; a second use is a 400; the new password signs in', async () => {
    const user = await newUser();
    const reply = await as('admin', 'POST', `${USERS_PATH}/${user.id}/password-link`);
    const link = resultOf<Record<string, unknown>>(reply);
    assert.deepEqual(Object.keys(link), ['token', 'expiresIn', 'userId']);
    assert.deepEqual([link.expiresIn, link.userId], [86_400, user.id]);
    const token = String(link.token);

    // A password the rules refuse leaves the link as it was.
    const tooShort = await setPassword(token, 'short');
    assert.equal(errorCodeOf(tooShort, 400), '400001');
    assert.match(assertErrorEnvelope(tooShort.body).resMsg, /password/);
    const used = await setPassword(token, 'my own passphrase');
    assert.equal(used.statusCode, 200, used.body);
    assert.equal(used.json<{ resCode: string }>().resCode, '0');
    const again = await setPassword(token, 'another passphrase');
    assert.equal(errorCodeOf(again, 400), '400001');
    assert.match(assertErrorEnvelope(again.body).resMsg, /token is unknown, used or expired/);
    assert.equal(errorCodeOf(await setPassword('x'.repeat(43), 'my own passphrase'), 400), '400001');

    assert.equal(errorCodeOf(await signIn(t, { login: user.login, password: 'another passphrase' }), 401), '401003', 'the second use changed nothing');
    const session = await signedIn(t, user.login, 'my own passphrase');
    assert.deepEqual([session.userId, session.role], [user.id, 'agent']);
  });

  it('a new password through a link ends the user\'s sessions: tokens 401002, cookies 401004, the old password refused', async () => {
    const user = await newUser();
    assert.equal((await setPassword(await passwordLink(user.id), 'first passphrase')).statusCode, 200);
    const before = [await signedIn(t, user.login, 'first passphrase'), await signedIn(t, user.login, 'first passphrase')];
    for (const session of before) assert.equal(await detailCode(t, session.accessToken), '0');
    assert.equal((await setPassword(await passwordLink(user.id), 'second passphrase')).statusCode, 200);
    for (const session of before) {
      assert.equal(await detailCode(t, session.accessToken), '401002');
      assert.equal(errorCodeOf(await refresh(t, session.refreshToken), 401), '401004');
    }
    assert.equal(errorCodeOf(await signIn(t, { login: user.login, password: 'first passphrase' }), 401), '401003');
    await signedIn(t, user.login, 'second passphrase');
  });

  it('logins are unique in the tenant (409); a user without a login gets no link (409); login null takes the sign-in away', async () => {
    const user = await newUser();
    const taken = await as('admin', 'POST', USERS_PATH, { name: 'Copycat', login: user.login });
    assert.equal(errorCodeOf(taken, 409), '409001');
    assert.match(assertErrorEnvelope(taken.body).resMsg, new RegExp(`login ${user.login} is already used by user ${user.id}`));
    const other = await newUser();
    assert.equal(errorCodeOf(await as('admin', 'PATCH', `${USERS_PATH}/${other.id}`, { login: user.login }), 409), '409001');
    assert.equal(errorCodeOf(await as('admin', 'PATCH', `${USERS_PATH}/${other.id}`, { login: PEOPLE.admin.login }), 409), '409001');
    assert.equal(resultOf<User>(await as('admin', 'PATCH', `${USERS_PATH}/${user.id}`, { login: user.login })).login, user.login, 'its own login is no conflict');

    assert.equal((await setPassword(await passwordLink(user.id), 'a passphrase here')).statusCode, 200);
    const session = await signedIn(t, user.login, 'a passphrase here');
    const removed = resultOf<User>(await as('admin', 'PATCH', `${USERS_PATH}/${user.id}`, { login: null }));
    assert.equal(removed.login, null);
    assert.equal(await detailCode(t, session.accessToken), '401002', 'its sessions end with its login');
    assert.equal(errorCodeOf(await signIn(t, { login: user.login, password: 'a passphrase here' }), 401), '401003');
    const noLogin = await as('admin', 'POST', `${USERS_PATH}/${user.id}/password-link`);
    assert.equal(errorCodeOf(noLogin, 409), '409001');
    // The freed login may go to someone else.
    assert.equal(resultOf<User>(await as('admin', 'PATCH', `${USERS_PATH}/${other.id}`, { login: user.login })).login, user.login);
  });

  it('an admin cannot disable itself, change its own role nor take away its own login through its session (409); another admin can disable it', async () => {
    const self = `${USERS_PATH}/${ids.admin}`;
    for (const body of [{ status: 'disabled' }, { role: 'agent' }, { name: 'Alice', status: 'disabled' }, { login: null }]) {
      const reply = await as('admin', 'PATCH', self, body);
      assert.equal(errorCodeOf(reply, 409), '409001', JSON.stringify(body));
      assert.match(assertErrorEnvelope(reply.body).resMsg, /is you/);
    }
    const unchanged = resultOf<User>(await as('admin', 'GET', self));
    assert.deepEqual([unchanged.name, unchanged.role, unchanged.status], [PEOPLE.admin.name, 'admin', 'active']);
    assert.equal(resultOf<User>(await as('admin', 'PATCH', self, { name: 'Alice A.' })).name, 'Alice A.', 'its own name it may change');

    const byDeputy = await as('deputy', 'PATCH', self, { status: 'disabled' });
    assert.equal(resultOf<User>(byDeputy).status, 'disabled');
    assert.equal(await detailCode(t, sessions.admin.accessToken), '401002');
    assert.equal(resultOf<User>(await as('deputy', 'PATCH', self, { status: 'active' })).status, 'active');
    sessions.admin = await signedIn(t, PEOPLE.admin.login, PEOPLE.admin.password);
  });

  it('refuses malformed changes (400) and unknown users (404)', async () => {
    const user = await newUser();
    for (const body of [{}, { status: 'deleted' }, { role: 'owner' }, { nickname: 'x' }, { login: 'has space' }, { login: '' }, { name: '' }]) {
      assert.equal(errorCodeOf(await as('admin', 'PATCH', `${USERS_PATH}/${user.id}`, body), 400), '400001', JSON.stringify(body));
    }
    for (const body of [{ login: 'no.name' }, { name: 'N', login: 'tab\there' }, { name: 'N', role: 'root' }, { name: 'N', password: 'not here' }]) {
      assert.equal(errorCodeOf(await as('admin', 'POST', USERS_PATH, body), 400), '400001', JSON.stringify(body));
    }
    const nobody = '10gg0000000000nobody';
    assert.equal(errorCodeOf(await as('admin', 'GET', `${USERS_PATH}/${nobody}`), 404), '404001');
    assert.equal(errorCodeOf(await as('admin', 'PATCH', `${USERS_PATH}/${nobody}`, { name: 'x' }), 404), '404001');
    assert.equal(errorCodeOf(await as('admin', 'POST', `${USERS_PATH}/${nobody}/password-link`), 404), '404001');
    assert.equal(errorCodeOf(await t.app.inject({ method: 'POST', url: PASSWORD_PATH, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token: 'x', password: 'long enough passphrase', userId: user.id }) }), 400), '400001');
  });

  it('one link at a time: a new link, or a password set with one, ends the older unused links', async () => {
    const user = await newUser();
    const first = await passwordLink(user.id);
    const second = await passwordLink(user.id);
    assert.match(assertErrorEnvelope((await setPassword(first, 'first link passphrase')).body).resMsg, /token is unknown, used or expired/);
    const third = await passwordLink(user.id);
    assert.equal(errorCodeOf(await setPassword(second, 'second link passphrase'), 400), '400001', 'a newer link retired it');
    assert.equal((await setPassword(third, 'third link passphrase')).statusCode, 200);
    await signedIn(t, user.login, 'third link passphrase');
  });

  it('a link lasts 24 hours', async () => {
    const user = await newUser();
    const early = await passwordLink(user.id);
    t.now.value += 24 * HOUR - 60_000;
    assert.equal((await setPassword(early, 'set in time passphrase')).statusCode, 200);
    // A day on, the admin signs in again to ask for another link, which is then used a minute too late.
    sessions.admin = await signedIn(t, PEOPLE.admin.login, PEOPLE.admin.password);
    const late = await passwordLink(user.id);
    t.now.value += 24 * HOUR + 60_000;
    assert.equal(errorCodeOf(await setPassword(late, 'set too late passphrase'), 400), '400001');
    assert.equal(errorCodeOf(await signIn(t, { login: user.login, password: 'set too late passphrase' }), 401), '401003');
    await signedIn(t, user.login, 'set in time passphrase');
    assert.equal(await detailCode(t, sessions.admin.accessToken), '401002', 'a day later, the setup\'s sessions are over too');
  });
});
