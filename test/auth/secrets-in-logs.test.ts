import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { fetchToken, postAicc, startTestApp, TASK_PATH, type TestApp } from '../helpers.js';

/** Every log line the server writes at its most verbose level, read back: no client secret and no token in any. */
describe('secrets and tokens never reach the logs', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: false, env: { OPENCASE_LOG_LEVEL: 'trace', OPENCASE_TOKEN_FAILURES: '2' } });
  });
  after(() => t.close());

  it('through token calls (form, JSON, Basic; right, wrong, refused) and API calls that succeed and fail', async () => {
    const tenant = await createTenant(t.database.db, { name: 'Logged', timeZone: 'UTC', userName: 'admin' }, Date.now());
    const { clientId, clientSecret } = tenant;
    const token = await fetchToken(t.app, clientId, clientSecret);
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/json' }, payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}x` });
    }
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/json' }, payload: `{"client_secret":"${clientSecret}",` });
    await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
    await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': `${token}x` } });
    await postAicc(t.app, token, 'task/list', { start: 0, limit: 1, creatorId: tenant.userId });
    await t.app.inject({ method: 'POST', url: `${TASK_PATH}/list`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: '{"start":' });
    await t.app.inject({ method: 'GET', url: `/nowhere?access-token=${token}` });

    const refusals = t.logs.lines.filter((line) => line.includes('token request refused'));
    assert.ok(refusals.length >= 3, 'failed token calls are logged, with who and from where');
    assert.ok(refusals.every((line) => line.includes(clientId)));
    for (const line of t.logs.lines) {
      for (const secret of [clientSecret, token, basic, encodeURIComponent(clientSecret)]) {
        assert.ok(!line.includes(secret), `a log line holds a secret or token: ${line.slice(0, 300)}`);
      }
    }
  });
});
