import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { WIRE_CONTENT_TYPE } from '../../src/wire/envelope.js';
import { sql } from 'kysely';
import { assertErrorEnvelope, fetchToken, ON_POSTGRES, startTestApp, TASK_PATH, type TestApp } from '../helpers.js';

const exampleText = readFileSync(new URL('../../src/demo/task-detail-example.json', import.meta.url), 'utf8');
/** The example re-serialized compactly: equal text means equal values and the same key order. */
const exampleCompact = JSON.stringify(JSON.parse(exampleText));

describe('task detail: GET and POST /service/AICC__Case/1.0.0/openapi/task/{id}', () => {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await startTestApp();
    token = await fetchToken(t.app);
  });
  after(() => t.close());

  it('GET returns the seed example exactly, keys in the same order', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
    assert.deepEqual(response.json(), JSON.parse(exampleText));
    assert.equal(response.body, exampleCompact);
  });

  it('GET with the Content-Type header AICC clients send works the same', async () => {
    const response = await t.app.inject({
      method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token, 'content-type': 'application/json' },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, exampleCompact);
  });

  it('POST with the id in the body returns the same', async () => {
    const response = await t.app.inject({
      method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token }, payload: { id: DEMO_TASK_ID },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
    assert.deepEqual(response.json(), JSON.parse(exampleText));
    assert.equal(response.body, exampleCompact);
  });

  it('POST with an empty JSON body, or none at all, returns the same', async () => {
    const empty = await t.app.inject({
      method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: '',
    });
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.body, exampleCompact);
    const none = await t.app.inject({ method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
    assert.equal(none.statusCode, 200);
    assert.equal(none.body, exampleCompact);
  });

  it('POST whose body id differs from the path is a 400 naming both', async () => {
    const other = 'ccqG00000138H6u8bTwe';
    const response = await t.app.inject({
      method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token }, payload: { id: other },
    });
    assert.equal(response.statusCode, 400);
    const error = assertErrorEnvelope(response.body);
    assert.equal(error.resCode, '400001');
    assert.match(error.resMsg, new RegExp(`${other}.*${DEMO_TASK_ID}`));
  });

  it('POST with a body id that is not a string, or malformed, is a 400 naming the field', async () => {
    for (const payload of [{ id: 123 }, { id: 'short' }, { id: null }]) {
      const response = await t.app.inject({ method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token }, payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.match(assertErrorEnvelope(response.body).resMsg, /^id /);
    }
  });

  it('an unknown id is a 404 envelope', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/ccqG00000000000000000`.slice(0, TASK_PATH.length + 21), headers: { 'access-token': token } });
    assert.equal(response.statusCode, 404);
    const error = assertErrorEnvelope(response.body);
    assert.equal(error.resCode, '404001');
  });

  it("another tenant's task id gets exactly the not-found answer of an id that does not exist", async () => {
    const other = await createTenant(t.database, { name: 'second tenant', timeZone: 'Europe/Paris', userName: 'agent' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const foreign = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': otherToken } });
    const missing = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/ccqG0000000000000000`, headers: { 'access-token': otherToken } });
    assert.equal(foreign.statusCode, 404);
    assert.equal(missing.statusCode, 404);
    const foreignError = assertErrorEnvelope(foreign.body);
    const missingError = assertErrorEnvelope(missing.body);
    assert.equal(foreignError.resCode, missingError.resCode);
    assert.equal(foreignError.resMsg.replace(DEMO_TASK_ID, 'ID'), missingError.resMsg.replace('ccqG0000000000000000', 'ID'));
    assert.ok(!foreign.body.includes('test002'));
    // And through POST, the other documented method.
    const foreignPost = await t.app.inject({ method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': otherToken } });
    assert.equal(foreignPost.statusCode, 404);
  });

  const malformedIds: Array<[string, string]> = [
    ['too long (21)', `${DEMO_TASK_ID}X`],
    ['far too long', 'a'.repeat(5000)],
    ['too short', 'ccqG0000014iXvGKONQ'],
    ['SQL-looking', encodeURIComponent("ccqG' OR '1'='1' --")],
    ['SQL-looking, 20 characters', encodeURIComponent("1' OR 1=1;DROP TA--")],
    ['unicode', encodeURIComponent('任务任务任务任务任务任务任务任务任务任务')],
    ['emoji', encodeURIComponent('😀'.repeat(10))],
    ['percent garbage', '%E0%A4%A'],
    ['dots', '..%2F..%2Fetc%2Fpasswd'],
  ];
  for (const [name, id] of malformedIds) {
    it(`a malformed id (${name}) is a 4xx envelope, GET and POST`, async () => {
      for (const method of ['GET', 'POST'] as const) {
        const response = await t.app.inject({ method, url: `${TASK_PATH}/${id}`, headers: { 'access-token': token } });
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${name}: ${response.statusCode}`);
        assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
        const error = assertErrorEnvelope(response.body);
        assert.equal(response.statusCode, 400, `${method} ${name}`);
        assert.match(error.resMsg, id.startsWith('%E0') ? /URL is not valid percent-encoding/ : /^id must be a 20-character id/);
      }
    });
  }

  it('an empty id is a 4xx envelope', async () => {
    for (const url of [`${TASK_PATH}/`, TASK_PATH]) {
      const response = await t.app.inject({ method: 'GET', url, headers: { 'access-token': token } });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url}: ${response.statusCode}`);
      assertErrorEnvelope(response.body);
    }
  });

  it('a body that is not JSON is a 400; another Content-Type a 415; an oversized body a 413', async () => {
    const url = `${TASK_PATH}/${DEMO_TASK_ID}`;
    const broken = await t.app.inject({ method: 'POST', url, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: '{"id":' });
    assert.equal(broken.statusCode, 400);
    assert.equal(assertErrorEnvelope(broken.body).resCode, '400002');

    const poisoned = await t.app.inject({ method: 'POST', url, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' });
    assert.equal(poisoned.statusCode, 400);
    assertErrorEnvelope(poisoned.body);

    const text = await t.app.inject({ method: 'POST', url, headers: { 'access-token': token, 'content-type': 'text/plain' }, payload: 'hello' });
    assert.equal(text.statusCode, 415);
    assert.equal(assertErrorEnvelope(text.body).resCode, '415001');

    const huge = await t.app.inject({
      method: 'POST', url, headers: { 'access-token': token, 'content-type': 'application/json' },
      payload: JSON.stringify({ id: DEMO_TASK_ID, padding: 'x'.repeat(t.config.bodyLimitBytes) }),
    });
    assert.equal(huge.statusCode, 413);
    assert.equal(assertErrorEnvelope(huge.body).resCode, '413001');
  });

  it('an unknown route is a 404 envelope', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/service/AICC__Case/1.0.0/openapi/nothing', headers: { 'access-token': token } });
    assert.equal(response.statusCode, 404);
    assert.equal(assertErrorEnvelope(response.body).resCode, '404002');
  });

  it('reads leave the database unchanged: every row, and on SQLite every byte of its files', async () => {
    const files = ON_POSTGRES ? [] : [t.dbLocation, `${t.dbLocation}-wal`].filter((file) => existsSync(file));
    const digest = async () => {
      const tables = await t.database.db.introspection.getTables();
      const rows = [];
      for (const table of tables.map((meta) => meta.name).sort()) {
        rows.push(table, (await sql`select * from ${sql.table(table)}`.execute(t.database.db)).rows.map((row) => JSON.stringify(row)).sort());
      }
      return JSON.stringify(rows) + files.map((file) => createHash('sha256').update(readFileSync(file)).digest('hex')).join(',');
    };
    const before = await digest();
    for (let i = 0; i < 20; i++) {
      const get = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
      assert.equal(get.statusCode, 200);
      const post = await t.app.inject({ method: 'POST', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token }, payload: { id: DEMO_TASK_ID } });
      assert.equal(post.statusCode, 200);
    }
    await t.app.inject({ method: 'GET', url: `${TASK_PATH}/ccqG0000000000000000`, headers: { 'access-token': token } });
    await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': 'not-a-token' } });
    assert.equal(await digest(), before);
  });
});
