import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { SECURITY_HEADERS } from '../../src/wire/fastify.js';
import { startTestApp, TASK_PATH, useTestApp } from '../helpers.js';

describe('security headers and CORS', () => {
  const t = useTestApp();

  it('every reply, success or failure, carries the security headers and no-store', async () => {
    const replies = await Promise.all([
      t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': t.token } }),
      t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}` }),
      t.app.inject({ method: 'GET', url: '/nowhere' }),
      t.app.inject({ method: 'GET', url: '/healthz' }),
    ]);
    assert.deepEqual(replies.map((reply) => reply.statusCode), [200, 401, 404, 200]);
    for (const reply of replies) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) assert.equal(reply.headers[name], value, `${name} on a ${reply.statusCode}`);
    }
    assert.equal(SECURITY_HEADERS['x-content-type-options'], 'nosniff');
    assert.equal(SECURITY_HEADERS['cache-control'], 'no-store');
  });

  it('CORS is off unless configured: no Access-Control-Allow-Origin, and a preflight finds no route', async () => {
    const simple = await t.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    assert.equal(simple.headers['access-control-allow-origin'], undefined);
    const preflight = await t.app.inject({
      method: 'OPTIONS', url: `${TASK_PATH}/list`, headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });

  it('with OPENCASE_CORS_ORIGINS, exactly those origins may call, with the access-token header', async () => {
    const withCors = await startTestApp({ demo: true, env: { OPENCASE_CORS_ORIGINS: 'https://crm.example.com, http://localhost:3000' } });
    try {
      const preflight = await withCors.app.inject({
        method: 'OPTIONS', url: `${TASK_PATH}/list`,
        headers: { origin: 'https://crm.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'access-token,content-type' },
      });
      assert.equal(preflight.statusCode, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], 'https://crm.example.com');
      assert.match(String(preflight.headers['access-control-allow-headers']), /access-token/);
      // A change stream resumed from a browser sends Last-Event-ID (GET /opencase/v1/changes).
      assert.match(String(preflight.headers['access-control-allow-headers']), /last-event-id/);
      // A console on such an origin keeps the refresh cookie of its sign-in.
      assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
      const elsewhere = await withCors.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
      assert.equal(elsewhere.headers['access-control-allow-origin'], undefined);
    } finally {
      await withCors.close();
    }
    assert.throws(() => loadConfig({}, { OPENCASE_CORS_ORIGINS: '*' }), /OPENCASE_CORS_ORIGINS must list origins/);
  });
});
