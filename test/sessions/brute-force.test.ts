import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { hashStats } from '../../src/auth/secrets.js';
import { DEMO_TENANT } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { assertErrorEnvelope, startTestApp, TEST_BACKEND, type TestApp } from '../helpers.js';
import { detailCode, sessionResultOf, signIn } from './session-calls.js';

const MINUTE = 60_000;
/** Five failed sign-ins an address may have in a minute; five of one login in 15 minutes put it under attack. */
const LIMITS = { OPENCASE_SIGNIN_FAILURES: '5', OPENCASE_SIGNIN_LOGIN_FAILURES: '5' };
const RIGHTFUL_ADDRESS = '203.0.113.7';

function statusCounts(replies: LightMyRequestResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const reply of replies) counts[reply.statusCode] = (counts[reply.statusCode] ?? 0) + 1;
  return counts;
}

/** A 429 of the sign-in route: 429001, Retry-After in whole seconds, the same wait in the words; the wait. */
function refusal(reply: LightMyRequestResponse): { seconds: number; message: string } {
  assert.equal(reply.statusCode, 429, reply.body);
  const { resCode, resMsg } = assertErrorEnvelope(reply.body);
  assert.equal(resCode, '429001');
  const header = reply.headers['retry-after'];
  assert.ok(typeof header === 'string' && /^[1-9]\d*$/.test(header), `Retry-After: ${String(header)}`);
  assert.match(resMsg, new RegExp(`; retry in ${header} seconds?$`));
  return { seconds: Number(header), message: resMsg };
}

/**
 * Guessing a person's password: each address has a few failures a minute, and a login failed that often in 15 minutes
 * refuses the addresses that failed it, never the rightful user at another address (a login is no secret: anyone may
 * name it). Refusals come before any hash.
 */
describe(`sign-in under guessing: limited per address and per login, never locking the rightful user out, on ${TEST_BACKEND}`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true, env: LIMITS });
  });
  after(() => t.close());

  async function person(login: string, password: string): Promise<string> {
    return (await createUser(t.database, DEMO_TENANT.id, { name: login, login, password }, t.now.value)).userId;
  }

  it('one address hammering a login for 30 minutes gets five guesses per login window; the rightful user signs in all along from its own address', async () => {
    const login = 'target.one';
    const password = 'the real passphrase';
    const userId = await person(login, password);
    const attacker = '198.51.100.66';
    const replies: { attacker: LightMyRequestResponse[]; rightful: LightMyRequestResponse[] } = { attacker: [], rightful: [] };
    const hashesBefore = hashStats().started;
    let firstRefusal: LightMyRequestResponse | undefined;
    // A guess every 6 s (300 in all), the rightful user signing in every minute.
    for (let second = 0; second < 1800; second += 6) {
      const guess = await signIn(t, { login, password: `guess number ${second}` }, attacker);
      replies.attacker.push(guess);
      if (guess.statusCode === 429) firstRefusal ??= guess;
      // Mid-attack the attacker's address is refused even with the right password: the refusal is no oracle.
      if (second === 600) refusal(await signIn(t, { login, password }, attacker));
      if (second % 60 === 0) {
        const reply = await signIn(t, { login, password }, RIGHTFUL_ADDRESS);
        replies.rightful.push(reply);
        assert.equal(sessionResultOf(reply).userId, userId);
      }
      t.now.value += 6_000;
    }
    // Five wrong guesses at the start, five more once the login's 15-minute window is over: every other call refused.
    assert.deepEqual({ attacker: statusCounts(replies.attacker), rightful: statusCounts(replies.rightful) }, { attacker: { 401: 10, 429: 290 }, rightful: { 200: 30 } });
    assert.deepEqual(replies.attacker.slice(0, 6).map((reply) => reply.statusCode), [401, 401, 401, 401, 401, 429]);
    assert.deepEqual(replies.attacker.slice(148, 156).map((reply) => reply.statusCode), [429, 429, 401, 401, 401, 401, 401, 429]);
    for (const reply of replies.attacker.filter((one) => one.statusCode === 401)) assert.equal(assertErrorEnvelope(reply.body).resCode, '401003');
    assert.equal(hashStats().started - hashesBefore, 10 + 30, 'a hash for each of the ten guesses and each sign-in, none for a refusal');

    // The first refusal, 30 s after the first guess: until the login's window ends, 870 s later.
    assert.ok(firstRefusal);
    assert.deepEqual(refusal(firstRefusal), { seconds: 870, message: `too many failed sign-ins of login ${login} from this address; retry in 870 seconds` });
    for (const reply of replies.attacker.filter((one) => one.statusCode === 429)) refusal(reply);

    // Afterwards, the rightful user's session works as any other.
    const afterwards = await signIn(t, { login, password }, RIGHTFUL_ADDRESS);
    assert.equal(await detailCode(t, sessionResultOf(afterwards).accessToken), '0');
  });

  it('once the login is under attack, each further attacking address gets one guess and is refused before any hash; the rightful user still gets in', async () => {
    t.now.value += 20 * MINUTE;
    const login = 'target.two';
    const password = 'another real passphrase';
    const userId = await person(login, password);
    // Under attack: five failures from one address.
    for (let i = 0; i < 5; i++) assert.equal((await signIn(t, { login, password: `first wave ${i}` }, '198.51.100.1')).statusCode, 401);

    const others = ['198.51.100.2', '198.51.100.3', '198.51.100.4', '2001:db8::5', '2001:db8::6'];
    for (const address of others) {
      const hashesBefore = hashStats().started;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const reply = await signIn(t, { login, password: `${address} guess ${i}` }, address);
        statuses.push(reply.statusCode);
        if (reply.statusCode === 429) assert.match(refusal(reply).message, new RegExp(`^too many failed sign-ins of login ${login} from this address`));
        t.now.value += 1_000;
      }
      assert.deepEqual(statuses, [401, 429, 429, 429], address);
      // Naming a tenant (the demo's, or one made up) gives the login no fresh count.
      for (const tenantId of [DEMO_TENANT.id, 'tnnt0000000000madeup']) refusal(await signIn(t, { login, password: 'with a tenant', tenantId }, address));
      assert.equal(hashStats().started - hashesBefore, 1, `${address}: one hash, for its first guess`);
      // The rightful user, between the attackers.
      assert.equal(sessionResultOf(await signIn(t, { login, password }, RIGHTFUL_ADDRESS)).userId, userId);
    }
    // A new address of the rightful user's (a phone) is no attacker either.
    assert.equal(sessionResultOf(await signIn(t, { login, password }, '203.0.113.99')).userId, userId);
    // Another login is not under attack: an address that failed target.two may still try it.
    await person('bystander', 'bystander passphrase');
    t.now.value += MINUTE;
    assert.equal(sessionResultOf(await signIn(t, { login: 'bystander', password: 'bystander passphrase' }, '198.51.100.2')).role, 'agent');
  });

  it('a burst of concurrent guesses from one address is held to its five failures; the rightful user signs in during the burst', async () => {
    t.now.value += 20 * MINUTE;
    const login = 'target.three';
    const password = 'a third real passphrase';
    const userId = await person(login, password);
    const hashesBefore = hashStats().started;
    const [rightful, ...burst] = await Promise.all([
      signIn(t, { login, password }, RIGHTFUL_ADDRESS),
      ...Array.from({ length: 40 }, (_, i) => signIn(t, { login, password: `burst ${i}` }, '198.51.100.77')),
    ]);
    assert.ok(rightful);
    assert.equal(sessionResultOf(rightful).userId, userId);
    assert.deepEqual(statusCounts(burst), { 401: 5, 429: 35 });
    for (const reply of burst.filter((one) => one.statusCode === 429)) refusal(reply);
    assert.equal(hashStats().started - hashesBefore, 1 + 5);
  });

  it('an address spraying guesses over many logins is held to five failures a minute, whether or not the logins exist', async () => {
    t.now.value += 20 * MINUTE;
    await person('sprayed', 'sprayed passphrase');
    const sprayer = '198.51.100.200';
    const statuses: number[] = [];
    const logins = ['sprayed', 'nobody.1', 'nobody.2', 'nobody.3', 'nobody.4', 'nobody.5', 'sprayed', 'nobody.6'];
    for (const login of logins) {
      statuses.push((await signIn(t, { login, password: 'Winter2024!' }, sprayer)).statusCode);
      t.now.value += 1_000;
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    // Five failures 1 s apart from the window's start: refused for the 55 s left of its minute, right password or not.
    const refused = await signIn(t, { login: 'sprayed', password: 'sprayed passphrase' }, sprayer);
    assert.deepEqual(refusal(refused), { seconds: 52, message: 'too many failed sign-ins from this address: at most 5 a minute; retry in 52 seconds' });
    assert.equal(sessionResultOf(await signIn(t, { login: 'sprayed', password: 'sprayed passphrase' }, RIGHTFUL_ADDRESS)).role, 'agent');
    t.now.value += 52_000;
    assert.equal(sessionResultOf(await signIn(t, { login: 'sprayed', password: 'sprayed passphrase' }, sprayer)).role, 'agent', 'the next minute, a fresh allowance');
  });
});
