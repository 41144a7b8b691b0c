import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
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

  it('through token calls (form, JSON, Basic, query string; right, wrong, refused) and API calls that succeed and fail', async () => {
    const tenant = await createTenant(t.database, { name: 'Logged', timeZone: 'UTC', userName: 'admin' }, Date.now());
    const { clientId, clientSecret } = tenant;
    const token = await fetchToken(t.app, clientId, clientSecret);
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/json' }, payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
    // The query string, as AppCube clients send it: right, wrong, with the credentials twice; locked out below.
    const inQuery = (secret: string) => `${TOKEN_PATH}?grant_type=client_credentials&client_id=${clientId}&client_secret=${encodeURIComponent(secret)}`;
    assert.equal((await t.app.inject({ method: 'POST', url: inQuery(clientSecret) })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'POST', url: inQuery(clientSecret), headers: { authorization: `Basic ${basic}` } })).statusCode, 400);
    assert.equal((await t.app.inject({ method: 'POST', url: `${inQuery(clientSecret)}&client_secret=${clientSecret}` })).statusCode, 400);
    await t.app.inject({ method: 'POST', url: inQuery(`${clientSecret}x`) });

    for (let i = 0; i < 3; i++) {
      await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}x` });
    }
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/json' }, payload: `{"client_secret":"${clientSecret}",` });
    assert.equal((await t.app.inject({ method: 'POST', url: inQuery(`${clientSecret}y`) })).statusCode, 429);
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

/**
 * A secret in the token call's query string, wherever the URL can reach a log line: a failure that logs the request
 * (a 500), the per-address limit (429), and a request Node's HTTP parser refuses (431, logged with the bytes received).
 */
describe('a client_secret in the query string is redacted from every log line', () => {
  let t: TestApp;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  before(async () => {
    t = await startTestApp({ demo: false, env: { OPENCASE_LOG_LEVEL: 'trace', OPENCASE_TOKEN_RATE_LIMIT: '3' } });
    tenant = await createTenant(t.database, { name: 'Logged', timeZone: 'UTC', userName: 'admin' }, Date.now());
  });
  after(() => t.close());

  const url = () => `${TOKEN_PATH}?grant_type=client_credentials&client_id=${tenant.clientId}&client_secret=${encodeURIComponent(tenant.clientSecret)}`;
  const assertNoSecret = () => {
    for (const line of t.logs.lines) {
      for (const secret of [tenant.clientSecret, encodeURIComponent(tenant.clientSecret)]) {
        assert.ok(!line.includes(secret), `a log line holds the client secret: ${line.slice(0, 300)}`);
      }
    }
  };

  it('a 500 logs which call failed, with the secret redacted', async () => {
    // The token table gone: the secret checks out, the insert fails.
    await sql`alter table access_tokens rename to access_tokens_away`.execute(t.database.db);
    try {
      const response = await t.app.inject({ method: 'POST', url: url() });
      assert.equal(response.statusCode, 500, response.body);
    } finally {
      await sql`alter table access_tokens_away rename to access_tokens`.execute(t.database.db);
    }
    const failure = t.logs.lines.map((line) => JSON.parse(line) as { msg?: string; req?: { method?: string; url?: string } })
      .find((line) => line.msg === 'token request failed');
    assert.ok(failure, 'the 500 is logged');
    assert.equal(failure.req?.method, 'POST');
    assert.equal(failure.req?.url, `${TOKEN_PATH}?grant_type=client_credentials&client_id=${tenant.clientId}&client_secret=[REDACTED]`);
    assertNoSecret();
  });

  it('past the per-address limit (429), and for headers Node refuses (431)', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.app.inject({ method: 'POST', url: url() })).statusCode);
    assert.equal(statuses.at(-1), 429, statuses.join());

    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const reply = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST ${url()} HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
      });
      socket.on('data', (chunk) => { received += chunk.toString('utf8'); });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 431/);
    assert.ok(t.logs.lines.some((line) => line.includes('client error')), 'the refused request is logged at trace level');
    // Node hands the bytes it received to the error (rawPacket): logged, they would hold the URL, as numbers.
    const secretBytes = [...Buffer.from(tenant.clientSecret)].join(',');
    for (const line of t.logs.lines) assert.ok(!line.includes(secretBytes), `a log line holds the secret's bytes: ${line.slice(0, 300)}`);
    assertNoSecret();
  });
});
