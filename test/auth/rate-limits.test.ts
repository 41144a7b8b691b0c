import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { FixedWindows, installRateLimits } from '../../src/auth/rate-limits.js';
import { loadConfig } from '../../src/config.js';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { assertErrorEnvelope, fetchToken, startTestApp, TASK_PATH, type TestApp } from '../helpers.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('rate limits', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true, env: { OPENCASE_RATE_LIMIT: '5', OPENCASE_TOKEN_RATE_LIMIT: '6' } });
  });
  after(() => t.close());

  const tokenCall = (clientId: string, secret: string, remoteAddress = '127.0.0.1') => t.app.inject({
    method: 'POST', url: TOKEN_PATH, headers: FORM, remoteAddress,
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
  });

  it('per API app: past the limit a 429 envelope with Retry-After and X-RateLimit-*; another app and the probes are not affected', async () => {
    const token = await fetchToken(t.app);
    const other = await createTenant(t.database, { name: 'Other', timeZone: 'UTC', userName: 'o' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const detail = (accessToken: string) => t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': accessToken } });
    for (let i = 0; i < 5; i++) {
      const allowed = await detail(token);
      assert.equal(allowed.statusCode, 200);
      assert.equal(allowed.headers['x-ratelimit-limit'], '5');
      assert.equal(allowed.headers['x-ratelimit-remaining'], String(4 - i));
    }
    const limited = await detail(token);
    assert.equal(limited.statusCode, 429);
    assert.equal(assertErrorEnvelope(limited.body).resCode, '429001');
    assert.match(assertErrorEnvelope(limited.body).resMsg, /at most 5 a minute/);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(limited.headers['x-ratelimit-remaining'], '0');
    assert.ok(limited.headers['x-ratelimit-reset'] !== undefined);
    assert.equal((await detail(otherToken)).statusCode, 404, 'the other tenant has its own allowance (and cannot see the demo task)');
    assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });

  it('the token route is limited per address', async () => {
    const statuses: number[] = [];
    // Failures are allowed by the tens here (test/helpers.ts), so only the address limit (6 a minute) can refuse.
    for (let i = 0; i < 8; i++) statuses.push((await tokenCall(`nobody-${i}`, 'x', '192.0.2.7')).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429, 429]);
    assert.equal((await tokenCall('nobody-9', 'x', '192.0.2.8')).statusCode, 401, 'another address has its own allowance');
  });
});

describe('rate limits beyond the API app\'s calls', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true, env: { OPENCASE_RATE_LIMIT: '3', OPENCASE_TOKEN_RATE_LIMIT: '0' } });
  });
  after(() => t.close());

  it('a HEAD of an API route counts once; a refused token counts nothing', async () => {
    const token = await fetchToken(t.app);
    const call = (method: 'GET' | 'HEAD', accessToken: string) =>
      t.app.inject({ method, url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': accessToken } });
    for (let i = 0; i < 3; i++) assert.equal((await call('GET', 'x'.repeat(43))).statusCode, 401);
    const head = await call('HEAD', token);
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['x-ratelimit-remaining'], '2');
    assert.equal((await call('GET', token)).headers['x-ratelimit-remaining'], '1');
  });

  it('routes outside the API without a limit of their own are limited per address; the token route, without one, is not', async () => {
    const root = (remoteAddress: string) => t.app.inject({ method: 'GET', url: '/', remoteAddress });
    for (let i = 0; i < 3; i++) assert.equal((await root('192.0.2.20')).headers['x-ratelimit-remaining'], String(2 - i));
    const limited = await root('192.0.2.20');
    assert.equal(limited.statusCode, 429);
    assert.match(assertErrorEnvelope(limited.body).resMsg, /at most 3 a minute; retry in (\d+ seconds?|1 minute)$/);
    assert.equal(limited.headers['retry-after'], limited.headers['x-ratelimit-reset']);
    assert.equal((await root('192.0.2.21')).headers['x-ratelimit-remaining'], '2', 'another address has its own allowance');
    for (let i = 0; i < 4; i++) {
      const response = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, remoteAddress: '192.0.2.20', payload: 'grant_type=client_credentials&client_id=x&client_secret=y' });
      assert.equal(response.statusCode, 401);
      assert.equal(response.headers['x-ratelimit-limit'], undefined);
    }
  });
});

describe('the per-address limit on a bare app', () => {
  it('counts a HEAD once, also where its GET route has preValidation hooks of its own (Fastify copies them to the HEAD)', async () => {
    const app = Fastify();
    await installRateLimits(app, loadConfig({ db: 'unused.db', port: '0' }, { OPENCASE_RATE_LIMIT: '5' }));
    app.get('/own', { preValidation: [async () => undefined] }, async () => 'ok');
    const head = await app.inject({ method: 'HEAD', url: '/own' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['x-ratelimit-remaining'], '4');
    assert.equal((await app.inject({ method: 'GET', url: '/own' })).headers['x-ratelimit-remaining'], '3');
    await app.close();
  });
});

describe('fixed windows', () => {
  it('count a key\'s calls until its window has passed, then open the next at that call', () => {
    const windows = new FixedWindows(1000);
    assert.deepEqual({ ...windows.count('a', 0) }, { start: 0, count: 1 });
    assert.deepEqual({ ...windows.count('a', 999) }, { start: 0, count: 2 });
    assert.deepEqual({ ...windows.count('b', 500) }, { start: 500, count: 1 });
    assert.deepEqual({ ...windows.count('a', 1000) }, { start: 1000, count: 1 });
    assert.deepEqual({ ...windows.count('b', 1000) }, { start: 500, count: 2 });
  });

  it('keep at most `capacity` keys: passed windows go first, then the oldest open one', () => {
    const windows = new FixedWindows(1000, 3);
    windows.count('a', 0);
    windows.count('b', 10);
    windows.count('c', 20);
    windows.count('b', 30);
    // a's window has passed: it goes, and b and c keep their counts.
    windows.count('d', 1005);
    assert.deepEqual({ ...windows.count('b', 1006) }, { start: 10, count: 3 });
    assert.deepEqual({ ...windows.count('c', 1007) }, { start: 20, count: 2 });
    // Full of open windows: the oldest (b) goes to make room for e, and starts afresh when it comes back.
    windows.count('e', 1008);
    assert.deepEqual({ ...windows.count('c', 1009) }, { start: 20, count: 3 });
    assert.deepEqual({ ...windows.count('b', 1009) }, { start: 1009, count: 1 });
  });
});
