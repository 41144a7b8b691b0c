import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashToken } from '../../src/auth/secrets.js';
import { revokeApp, revokeToken } from '../../src/auth/service.js';
import { openDatabase } from '../../src/db/database.js';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { WIRE_CONTENT_TYPE } from '../../src/wire/envelope.js';
import { assertErrorEnvelope, fetchToken, ON_POSTGRES, startTestApp, TASK_PATH, type TestApp } from '../helpers.js';

describe('the access-token header on AICC routes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true, env: { OPENCASE_TOKEN_TTL: '600' } });
  });
  after(() => t.close());

  const detail = (headers: Record<string, string>, method: 'GET' | 'POST' = 'GET') =>
    t.app.inject({ method, url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers });

  it('a missing or empty header is a 401 envelope (401001)', async () => {
    for (const headers of [{}, { 'access-token': '' }] as Array<Record<string, string>>) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await detail(headers, method);
        assert.equal(response.statusCode, 401);
        assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
        assert.equal(assertErrorEnvelope(response.body).resCode, '401001');
      }
    }
  });

  it('an unknown token is a 401 envelope (401002), also as a Bearer Authorization header', async () => {
    for (const headers of [{ 'access-token': 'x'.repeat(43) }, { 'access-token': "' OR 1=1 --" }, { authorization: 'Bearer whatever' }] as Array<Record<string, string>>) {
      const response = await detail(headers);
      assert.equal(response.statusCode, 401);
      assertErrorEnvelope(response.body);
    }
  });

  it('a token sent as Authorization: Bearer, without access-token, is a 401001 that names the header to use', async () => {
    const token = await fetchToken(t.app);
    for (const authorization of [`Bearer ${token}`, `bearer ${token}`]) {
      const response = await detail({ authorization });
      assert.equal(response.statusCode, 401);
      assert.deepEqual(assertErrorEnvelope(response.body), {
        resCode: '401001', resMsg: 'access-token header is required: send the token in the access-token header, not Authorization: Bearer',
      });
    }
    // Without any Authorization the message stays short, and with both headers the access-token is what counts.
    assert.equal(assertErrorEnvelope((await detail({})).body).resMsg, 'access-token header is required');
    assert.equal((await detail({ 'access-token': token, authorization: `Bearer ${token}` })).statusCode, 200);
  });

  it('a token works until it expires, then is a 401 (401002)', async () => {
    const token = await fetchToken(t.app);
    assert.equal((await detail({ 'access-token': token })).statusCode, 200);
    t.now.value += 599_000;
    assert.equal((await detail({ 'access-token': token })).statusCode, 200);
    t.now.value += 1_000;
    const expired = await detail({ 'access-token': token });
    assert.equal(expired.statusCode, 401);
    assert.equal(assertErrorEnvelope(expired.body).resCode, '401002');
  });

  it('a 401 comes before any look at the body: bad JSON without a token is still a 401', async () => {
    const response = await t.app.inject({
      method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'content-type': 'application/json' }, payload: '{not json',
    });
    assert.equal(response.statusCode, 401);
  });

  it('a token revoked through another connection (another process, the CLI) stops working on the very next request; on PostgreSQL within the staleness bound', async () => {
    const token = await fetchToken(t.app);
    for (let i = 0; i < 3; i++) assert.equal((await detail({ 'access-token': token })).statusCode, 200);
    const other = openDatabase(t.dbLocation);
    let revokedAt: number;
    try {
      // SQLite: any commit, even a bare UPDATE, moves data_version. PostgreSQL: a revocation is heard through the change
      // signal, which opencase's own revocation sends (a bare UPDATE there is not heard: docs/scaling.md).
      if (ON_POSTGRES) await revokeToken(other, token, t.now.value);
      else await other.db.updateTable('access_tokens').set({ revoked_at: t.now.value }).where('token_hash', '=', hashToken(token)).execute();
      revokedAt = performance.now();
    } finally {
      await other.close();
    }
    let revoked = await detail({ 'access-token': token });
    while (ON_POSTGRES && revoked.statusCode === 200 && performance.now() - revokedAt < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      revoked = await detail({ 'access-token': token });
    }
    assert.equal(revoked.statusCode, 401, `still served ${Math.round(performance.now() - revokedAt)} ms after the revocation`);
    assert.equal(assertErrorEnvelope(revoked.body).resCode, '401002');
  });

  it('a revoked app\'s tokens stop working at once', async () => {
    const token = await fetchToken(t.app);
    assert.equal((await detail({ 'access-token': token })).statusCode, 200);
    await revokeApp(t.database, 'demo-client', t.now.value);
    assert.equal((await detail({ 'access-token': token })).statusCode, 401);
  });

});
