import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { hashStats } from '../../src/auth/secrets.js';
import { createTenant, type NewTenant } from '../../src/auth/service.js';
import { DEMO_CLIENT } from '../../src/demo/records.js';
import { startTestApp, type TestApp } from '../helpers.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const MINUTE = 60_000;

type Reply = Awaited<ReturnType<TestApp['app']['inject']>>;

function tokenCall(t: TestApp, clientId: string, secret: string, remoteAddress: string) {
  return t.app.inject({
    method: 'POST', url: TOKEN_PATH, headers: FORM, remoteAddress,
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
  });
}

function statusCounts(replies: Reply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const reply of replies) counts[reply.statusCode] = (counts[reply.statusCode] ?? 0) + 1;
  return counts;
}

/** The OAuth2 error body the token route answers with, and its `error_description`. */
function oauthError(reply: Reply, status: number, error: string): string {
  assert.equal(reply.statusCode, status, reply.body);
  const body = reply.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['error', 'error_description']);
  assert.equal(body.error, error);
  assert.equal(reply.headers['cache-control'], 'no-store');
  return String(body.error_description);
}

describe('token route: failures are limited per address, never per client_id', () => {
  let t: TestApp;
  let tenant: NewTenant;
  before(async () => {
    t = await startTestApp({ demo: true, env: { OPENCASE_TOKEN_FAILURES: '3', OPENCASE_TOKEN_RATE_LIMIT: '0' } });
    tenant = await createTenant(t.database, { name: 'Attacked', timeZone: 'UTC', userName: 'admin' }, t.now.value);
  });
  after(() => t.close());

  it('the rightful client gets its token from its own address while another address hammers its client_id', async () => {
    const statuses: Record<string, Record<number, number>> = { attacker: {}, rightful: {} };
    const count = (who: string, reply: Reply) => { statuses[who]![reply.statusCode] = (statuses[who]![reply.statusCode] ?? 0) + 1; };
    // Three minutes: ten wrong secrets at the start of each minute from one address, the rightful client every 2 s.
    for (let second = 0; second < 180; second += 2) {
      if (second % 60 === 0) for (let i = 0; i < 10; i++) count('attacker', await tokenCall(t, tenant.clientId, `guess ${second} ${i}`, '198.51.100.1'));
      count('rightful', await tokenCall(t, tenant.clientId, tenant.clientSecret, '203.0.113.5'));
      t.now.value += 2000;
    }
    assert.deepEqual(statuses, { attacker: { 401: 9, 429: 21 }, rightful: { 200: 90 } });
  });

  it('an address past its allowance gets 429 with Retry-After before any hash, whatever the client_id, until its window is over', async () => {
    t.now.value += 10 * MINUTE;
    const address = '198.51.100.2';
    for (let i = 0; i < 3; i++) oauthError(await tokenCall(t, `nobody ${i}`, 'guess', address), 401, 'invalid_client');
    const hashesBefore = hashStats().started;
    t.now.value += 20_000;
    const refused = await tokenCall(t, tenant.clientId, 'another guess', address);
    assert.equal(oauthError(refused, 429, 'invalid_request'),
      'too many failed token requests from this address: at most 3 a minute; retry in 40 seconds');
    assert.equal(refused.headers['retry-after'], '40');
    const unknown = await tokenCall(t, 'nobody', 'guess', address);
    assert.equal(unknown.body, refused.body, 'an unknown client_id is refused in the same words');
    assert.equal(hashStats().started, hashesBefore, 'a refused call costs no hash');
    assert.equal((await tokenCall(t, tenant.clientId, tenant.clientSecret, '198.51.100.3')).statusCode, 200, 'another address is not affected');
    t.now.value += 40_000;
    oauthError(await tokenCall(t, 'nobody', 'guess', address), 401, 'invalid_client');
  });

  it('behind an address past its allowance, a secret this process verified before still gets its token; one never seen does not', async () => {
    t.now.value += 10 * MINUTE;
    const shared = '198.51.100.4';
    for (let i = 0; i < 3; i++) await tokenCall(t, DEMO_CLIENT.clientId, `guess ${i}`, shared);
    assert.equal((await tokenCall(t, tenant.clientId, tenant.clientSecret, shared)).statusCode, 200, 'verified by the first test');
    const fresh = await createTenant(t.database, { name: 'Fresh', timeZone: 'UTC', userName: 'admin' }, t.now.value);
    oauthError(await tokenCall(t, fresh.clientId, fresh.clientSecret, shared), 429, 'invalid_request');
    assert.equal((await tokenCall(t, fresh.clientId, fresh.clientSecret, '198.51.100.5')).statusCode, 200);
  });

  it('an unknown client_id and a wrong secret cost one hash each and get the same reply', async () => {
    t.now.value += 10 * MINUTE;
    let hashes = hashStats().started;
    const wrong = await tokenCall(t, tenant.clientId, 'wrong', '198.51.100.6');
    assert.equal(hashStats().started - hashes, 1);
    hashes = hashStats().started;
    const unknown = await tokenCall(t, 'nobody at all', 'wrong', '198.51.100.6');
    assert.equal(hashStats().started - hashes, 1);
    oauthError(wrong, 401, 'invalid_client');
    assert.equal(unknown.body, wrong.body);
  });
});

describe('token route: concurrent guesses', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true, env: { OPENCASE_TOKEN_FAILURES: '10', OPENCASE_TOKEN_RATE_LIMIT: '0' } });
  });
  after(() => t.close());

  it('a burst of 60 concurrent wrong guesses from one address checks at most the allowance; the rest get 429 without a hash', async () => {
    const hashesBefore = hashStats().started;
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => tokenCall(t, DEMO_CLIENT.clientId, `burst ${i}`, '198.51.100.7')));
    assert.deepEqual(statusCounts(replies), { 401: 10, 429: 50 });
    assert.equal(hashStats().started - hashesBefore, 10);
    const refused = replies.find((reply) => reply.statusCode === 429);
    assert.ok(refused);
    assert.match(oauthError(refused, 429, 'invalid_request'), /^too many token requests from this address at once: at most 10 /);
    assert.equal(refused.headers['retry-after'], '1');
    // The calls in flight have settled as failures: the address waits out its minute.
    const after = await tokenCall(t, DEMO_CLIENT.clientId, 'late', '198.51.100.7');
    assert.match(oauthError(after, 429, 'invalid_request'), /at most 10 a minute; retry in 60 seconds$/);
  });
});

describe('token route: a flood of unknown client_ids from other addresses', () => {
  let t: TestApp;
  let tenant: NewTenant;
  before(async () => {
    // The allowance out of the way, so that the flood reaches the hashes: what is tested is their queue.
    t = await startTestApp({ demo: false, env: { OPENCASE_TOKEN_FAILURES: '1000', OPENCASE_TOKEN_RATE_LIMIT: '0' } });
    tenant = await createTenant(t.database, { name: 'Real', timeZone: 'UTC', userName: 'admin' }, t.now.value);
  });
  after(() => t.close());

  it('the real caller is served ahead of the flood: after at most one hash per flooding address', async () => {
    const started = hashStats().started;
    const finished: string[] = [];
    const flood = [];
    for (let i = 0; i < 100; i++) {
      const address = `192.0.2.${1 + (i % 10)}`;
      flood.push(tokenCall(t, `unknown ${i}`, 'guess', address).then((reply) => { finished.push('flood'); return reply; }));
    }
    // Every flood call holds or waits for a hash before the real caller asks.
    while (hashStats().started - started + hashStats().waiting < 100) await new Promise((resolve) => setImmediate(resolve));
    const finishedBefore = finished.length;
    const real = await tokenCall(t, tenant.clientId, tenant.clientSecret, '203.0.113.9');
    const floodServedFirst = finished.length - finishedBefore;
    assert.equal(real.statusCode, 200, real.body);
    // Ahead of it: the two hashes running, and the flood's first call of each address (10), clean as the real call
    // is; the other 90 are suspect and wait behind it. With one finishing beside its own: 13, plus any that finish
    // while the real call is still being looked up (measured 11 to 14 on a loaded machine). First come first served
    // answers the whole flood first (measured 99 and 100).
    assert.ok(floodServedFirst <= 25, `${floodServedFirst} flood calls were answered while the real caller waited (first come first served: about ${100 - finishedBefore})`);
    assert.deepEqual(statusCounts(await Promise.all(flood)), { 401: 100 });
  });

  it('too many addresses waiting: 503 temporarily_unavailable with Retry-After at once rather than a long wait', async () => {
    const replies = await Promise.all(Array.from({ length: 240 }, (_, i) => tokenCall(t, `unknown ${i}`, 'guess', `192.0.2.${100 + (i % 60)}`)));
    const counts = statusCounts(replies);
    assert.deepEqual(Object.keys(counts), ['401', '503'], JSON.stringify(counts));
    const busy = replies.find((reply) => reply.statusCode === 503);
    assert.ok(busy);
    assert.equal(oauthError(busy, 503, 'temporarily_unavailable'),
      'too many token requests from other addresses are waiting for a secret check; retry in 1 second');
    assert.equal(busy.headers['retry-after'], '1');
  });

  it('too many calls of one address waiting: 429 for that address', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => tokenCall(t, `unknown ${i}`, 'guess', '192.0.2.200')));
    const counts = statusCounts(replies);
    assert.deepEqual(Object.keys(counts), ['401', '429'], JSON.stringify(counts));
    const refused = replies.find((reply) => reply.statusCode === 429);
    assert.ok(refused);
    assert.equal(oauthError(refused, 429, 'invalid_request'), 'too many token requests from this address are waiting for a secret check; retry in 1 second');
  });
});
