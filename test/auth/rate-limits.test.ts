import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
