import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { hashClientSecret, hashToken } from '../../src/auth/secrets.js';
import { DEMO_CLIENT } from '../../src/demo/records.js';
import { WIRE_CONTENT_TYPE } from '../../src/wire/envelope.js';
import { startTestApp, type TestApp } from '../helpers.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const goodFields = { grant_type: 'client_credentials', client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret };

describe('POST /baas/auth/v1.0/oauth2/token', () => {
  let t: TestApp;
  before(async () => {
    // The default lifetime, as a server started without OPENCASE_TOKEN_TTL has it.
    t = await startTestApp({ demo: true, env: { OPENCASE_TOKEN_TTL: '3600' } });
  });
  after(() => t.close());

  /** The token call with its client credentials (`client_id:client_secret`) in an HTTP Basic header. */
  function withBasic(credentials: string, payload = form({ grant_type: 'client_credentials' })) {
    const authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    return t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { ...FORM, authorization }, payload });
  }

  function assertOAuthError(response: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, error: string) {
    assert.equal(response.statusCode, status, response.body);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['error', 'error_description']);
    assert.equal(body.error, error);
    assert.equal(typeof body.error_description, 'string');
    assert.equal(response.headers['cache-control'], 'no-store');
  }

  it('issues a bearer token for a form-encoded request, as AICC documents it', async () => {
    const response = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form(goodFields) });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
    assert.equal(response.headers['cache-control'], 'no-store');
    const body = response.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['access_token', 'expires_in', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    // 256 random bits in base64url: 43 characters.
    assert.match(String(body.access_token), /^[A-Za-z0-9_-]{43}$/);
  });

  it('issues a token for a JSON body and for HTTP Basic client credentials', async () => {
    const json = await t.app.inject({ method: 'POST', url: TOKEN_PATH, payload: goodFields });
    assert.equal(json.statusCode, 200, json.body);
    const viaHeader = await withBasic(`${DEMO_CLIENT.clientId}:${DEMO_CLIENT.clientSecret}`);
    assert.equal(viaHeader.statusCode, 200, viaHeader.body);
  });

  it('issues a token for the query string of a POST without a body, as AppCube clients send it', async () => {
    const url = `${TOKEN_PATH}?${form(goodFields)}`;
    for (const headers of [{}, FORM, { 'content-type': 'application/json' }]) {
      const response = await t.app.inject({ method: 'POST', url, headers });
      assert.equal(response.statusCode, 200, `${JSON.stringify(headers)}: ${response.body}`);
      assert.deepEqual(Object.keys(response.json() as object), ['access_token', 'expires_in', 'token_type']);
    }
    // Over real HTTP too, where the empty POST carries Content-Length: 0.
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const overHttp = await fetch(`${address}${url}`, { method: 'POST' });
    assert.equal(overHttp.status, 200, await overHttp.clone().text());
    assert.match(((await overHttp.json()) as { access_token: string }).access_token, /^[A-Za-z0-9_-]{43}$/);
  });

  it('the query string and the body or Basic may share the call, each parameter in one place', async () => {
    const { grant_type: grantType, ...credentials } = goodFields;
    const grantInQuery = await t.app.inject({ method: 'POST', url: `${TOKEN_PATH}?grant_type=${grantType}`, headers: FORM, payload: form(credentials) });
    assert.equal(grantInQuery.statusCode, 200, grantInQuery.body);
    const authorization = `Basic ${Buffer.from(`${DEMO_CLIENT.clientId}:${DEMO_CLIENT.clientSecret}`).toString('base64')}`;
    const basic = await t.app.inject({ method: 'POST', url: `${TOKEN_PATH}?grant_type=${grantType}`, headers: { authorization } });
    assert.equal(basic.statusCode, 200, basic.body);
  });

  it('400 for credentials in the query string and in the body or Basic, or a parameter sent twice', async () => {
    const url = `${TOKEN_PATH}?${form(goodFields)}`;
    const andBody = await t.app.inject({ method: 'POST', url: `${TOKEN_PATH}?grant_type=client_credentials&client_id=${DEMO_CLIENT.clientId}`, headers: FORM, payload: form({ client_secret: DEMO_CLIENT.clientSecret }) });
    assertOAuthError(andBody, 400, 'invalid_request');
    assert.equal(JSON.parse(andBody.body).error_description, 'send client credentials in one place, not both in the query string and in the body');
    const authorization = `Basic ${Buffer.from(`${DEMO_CLIENT.clientId}:${DEMO_CLIENT.clientSecret}`).toString('base64')}`;
    const andBasic = await t.app.inject({ method: 'POST', url, headers: { authorization } });
    assertOAuthError(andBasic, 400, 'invalid_request');
    assert.equal(JSON.parse(andBasic.body).error_description, 'send client credentials in one place, not both in the Authorization header and in the query string');
    const grantTwice = await t.app.inject({ method: 'POST', url, headers: FORM, payload: form({ grant_type: 'client_credentials' }) });
    assertOAuthError(grantTwice, 400, 'invalid_request');
    assert.equal(JSON.parse(grantTwice.body).error_description, 'grant_type is sent both in the query string and in the body: send it once');
    const repeated = await t.app.inject({ method: 'POST', url: `${url}&client_id=${DEMO_CLIENT.clientId}` });
    assertOAuthError(repeated, 400, 'invalid_request');
    const wrong = await t.app.inject({ method: 'POST', url: `${TOKEN_PATH}?${form({ ...goodFields, client_secret: 'nope' })}` });
    assertOAuthError(wrong, 401, 'invalid_client');
    assert.equal(wrong.headers['www-authenticate'], undefined);
  });

  it('ignores parameters it does not know, in the query string as in the body (RFC 6749 §3.1)', async () => {
    const inQuery = await t.app.inject({ method: 'POST', url: `${TOKEN_PATH}?${form({ ...goodFields, scope: 'all', tenant: 'x' })}` });
    assert.equal(inQuery.statusCode, 200, inQuery.body);
    const inBody = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, scope: 'all' }) });
    assert.equal(inBody.statusCode, 200, inBody.body);
    const mixed = await t.app.inject({ method: 'POST', url: `${TOKEN_PATH}?scope=all`, headers: FORM, payload: form(goodFields) });
    assert.equal(mixed.statusCode, 200, mixed.body);
  });

  it('every token is new, and only its hash is stored', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form(goodFields) });
      tokens.add((response.json() as { access_token: string }).access_token);
    }
    assert.equal(tokens.size, 3);
    const rows = await t.database.db.selectFrom('access_tokens').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const token of tokens) {
      assert.ok(!stored.includes(token), 'a raw token is in the database');
      assert.ok(rows.some((row) => row.token_hash === hashToken(token)));
    }
  });

  it('stores the client secret with scrypt, never in clear', async () => {
    const apps = await t.database.db.selectFrom('api_apps').selectAll().execute();
    assert.ok(apps.length > 0);
    for (const app of apps) {
      assert.match(app.client_secret_hash, /^scrypt\$/);
      assert.ok(!app.client_secret_hash.includes(DEMO_CLIENT.clientSecret));
    }
  });

  it('a secret verified once is not hashed again, yet a changed secret is refused at once', async () => {
    const call = (secret: string) => t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, client_secret: secret }) });
    assert.equal((await call(DEMO_CLIENT.clientSecret)).statusCode, 200);
    assert.equal((await call(DEMO_CLIENT.clientSecret)).statusCode, 200);
    assertOAuthError(await call(`${DEMO_CLIENT.clientSecret}x`), 401, 'invalid_client');
    const original = await t.database.db.selectFrom('api_apps').select('client_secret_hash').where('client_id', '=', DEMO_CLIENT.clientId).executeTakeFirstOrThrow();
    await t.database.db.updateTable('api_apps').set({ client_secret_hash: await hashClientSecret('rotated secret') }).where('client_id', '=', DEMO_CLIENT.clientId).execute();
    try {
      assertOAuthError(await call(DEMO_CLIENT.clientSecret), 401, 'invalid_client');
      assert.equal((await call('rotated secret')).statusCode, 200);
    } finally {
      await t.database.db.updateTable('api_apps').set(original).where('client_id', '=', DEMO_CLIENT.clientId).execute();
    }
  });

  it('a burst of token calls, right and wrong, all get their answer (hashes queue, none is lost)', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => t.app.inject({
      method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, client_secret: i % 2 === 0 ? `guess ${i}` : DEMO_CLIENT.clientSecret }),
    })));
    responses.forEach((response, i) => assert.equal(response.statusCode, i % 2 === 0 ? 401 : 200, response.body));
  });

  it('400 invalid_request when grant_type, client_id or client_secret is missing', async () => {
    for (const missing of ['grant_type', 'client_id', 'client_secret'] as const) {
      const fields: Record<string, string> = { ...goodFields };
      delete fields[missing];
      const response = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form(fields) });
      assertOAuthError(response, 400, 'invalid_request');
      assert.match(response.body, new RegExp(missing));
    }
    const empty = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: '' });
    assertOAuthError(empty, 400, 'invalid_request');
    const none = await t.app.inject({ method: 'POST', url: TOKEN_PATH });
    assertOAuthError(none, 400, 'invalid_request');
  });

  it('400 unsupported_grant_type for any other grant', async () => {
    for (const grant of ['password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS']) {
      const response = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, grant_type: grant }) });
      assertOAuthError(response, 400, 'unsupported_grant_type');
    }
  });

  it('401 invalid_client for a wrong secret or an unknown client, worded alike', async () => {
    const wrongSecret = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, client_secret: 'nope' }) });
    assertOAuthError(wrongSecret, 401, 'invalid_client');
    const unknown = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, client_id: 'nobody' }) });
    assertOAuthError(unknown, 401, 'invalid_client');
    assert.equal(wrongSecret.body, unknown.body);
    const badBasic = await withBasic('demo-client:wrong');
    assertOAuthError(badBasic, 401, 'invalid_client');
    assert.match(String(badBasic.headers['www-authenticate']), /^Basic/);

    // U+0000 in a client_id (which PostgreSQL cannot compare) is an unknown client too, in the body or the header.
    const nulInBody = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, client_id: 'demo\u0000' }) });
    assertOAuthError(nulInBody, 401, 'invalid_client');
    assert.equal(nulInBody.body, unknown.body);
    const nulInHeader = await withBasic('\u0000:x');
    assertOAuthError(nulInHeader, 401, 'invalid_client');
  });

  it('400 invalid_request for a repeated parameter, credentials sent twice, bad JSON; 415 for another Content-Type', async () => {
    const repeated = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: `${form(goodFields)}&grant_type=client_credentials` });
    assertOAuthError(repeated, 400, 'invalid_request');
    const twice = await withBasic(`${DEMO_CLIENT.clientId}:${DEMO_CLIENT.clientSecret}`, form(goodFields));
    assertOAuthError(twice, 400, 'invalid_request');
    const badJson = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/json' }, payload: '{"grant_type":' });
    assertOAuthError(badJson, 400, 'invalid_request');
    const text = await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'text/plain' }, payload: form(goodFields) });
    assertOAuthError(text, 415, 'invalid_request');
    const wrongType = await t.app.inject({ method: 'POST', url: TOKEN_PATH, payload: { ...goodFields, client_id: 42 } });
    assertOAuthError(wrongType, 400, 'invalid_request');
  });

  it('a failed token call writes nothing', async () => {
    const count = async () => (await t.database.db.selectFrom('access_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, client_secret: 'nope' }) });
    await t.app.inject({ method: 'POST', url: TOKEN_PATH, headers: FORM, payload: form({ ...goodFields, grant_type: 'password' }) });
    assert.equal(await count(), before);
  });
});
