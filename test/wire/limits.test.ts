import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { before, describe, it } from 'node:test';
import { DEMO_USER } from '../../src/demo/records.js';
import { MAX_JSON_DEPTH } from '../../src/wire/fastify.js';
import { assertErrorEnvelope, postAicc, TASK_PATH, useTestApp } from '../helpers.js';

/** The limits that Node's HTTP parser and the JSON parser enforce, each a clear 4xx in the envelope. */
describe('request limits', () => {
  const t = useTestApp();
  let port: number;
  before(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  function raw(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      let received = '';
      socket.on('data', (chunk: Buffer) => { received += chunk.toString(); });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
  }

  it('headers over 16 KiB: 431 in the envelope, then the connection closes', async () => {
    const reply = await new Promise<{ status: number; body: string; type: string | undefined }>((resolve, reject) => {
      const outgoing = request({ port, host: '127.0.0.1', path: '/healthz', headers: { 'x-padding': 'a'.repeat(20_000) } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    assert.equal(reply.status, 431);
    assert.equal(reply.type, 'application/json;charset=UTF-8');
    assert.equal(assertErrorEnvelope(reply.body).resCode, '431001');
  });

  it('a request that is not HTTP: 400 in the envelope', async () => {
    const text = await raw('HELLO WORLD\r\n\r\n');
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.equal(assertErrorEnvelope(text.slice(text.indexOf('\r\n\r\n') + 4)).resCode, '400001');
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels: 400 naming the rule, before parsing; brackets inside strings do not count`, async () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    const rejected = await t.app.inject({ method: 'POST', url: `${TASK_PATH}/list`, headers: { 'access-token': t.token, 'content-type': 'application/json' }, payload: deep });
    assert.equal(rejected.statusCode, 400);
    assert.equal(assertErrorEnvelope(rejected.body).resMsg, `body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`);
    const bracketsInText = await postAicc(t.app, t.token, 'task/list', { start: 0, limit: 1, creatorId: DEMO_USER.id, title: '['.repeat(100) });
    assert.equal(bracketsInText.statusCode, 200, bracketsInText.body);
  });

  it('U+0000 anywhere in a body or a query: 400 naming the field, nothing written (PostgreSQL\'s text cannot hold it)', async () => {
    const countBefore = await postAicc(t.app, t.token, 'task/list', { start: 0, limit: 1, creatorId: DEMO_USER.id });
    const taskInfo = { title: 'a\u0000b', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id };
    for (const [path, body, field] of [
      ['task', { taskInfo }, 'taskInfo.title'],
      ['task', { taskInfo: { ...taskInfo, title: 'ok', description: 'x', attachment: '\u0000' } }, 'taskInfo.attachment'],
      ['task/list', { start: 0, limit: 1, creatorId: DEMO_USER.id, title: '\u0000' }, 'title'],
    ] as const) {
      const response = await postAicc(t.app, t.token, path, body);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(assertErrorEnvelope(response.body).resMsg, `${field} must not contain the NUL character (\\u0000)`);
    }
    const contact = await t.app.inject({ method: 'POST', url: '/opencase/v1/contacts', headers: { 'access-token': t.token }, payload: { customerName: 'n', bindAccount: ['ok', { x: '\u0000' }] } });
    assert.equal(assertErrorEnvelope(contact.body).resMsg, 'bindAccount[1].x must not contain the NUL character (\\u0000)');
    const query = await t.app.inject({ method: 'GET', url: '/opencase/v1/contacts?customerName=a%00', headers: { 'access-token': t.token } });
    assert.equal(query.statusCode, 400);
    assert.equal(assertErrorEnvelope(query.body).resMsg, 'customerName must not contain the NUL character (%00)');
    // An escaped backslash followed by "u0000" is six characters of text, not U+0000.
    const text = await postAicc(t.app, t.token, 'task/list', { start: 0, limit: 1, creatorId: DEMO_USER.id, title: '\\u0000' });
    assert.equal(text.statusCode, 200, text.body);
    const countAfter = await postAicc(t.app, t.token, 'task/list', { start: 0, limit: 1, creatorId: DEMO_USER.id });
    assert.equal(countAfter.json<{ result: { count: number } }>().result.count, countBefore.json<{ result: { count: number } }>().result.count);
  });

  it('list bounds: limit 1 to 100, start 0 to a billion', async () => {
    for (const [body, rule] of [
      [{ start: 0, limit: 0 }, /^limit must be at least 1$/],
      [{ start: 0, limit: 101 }, /^limit must be at most 100$/],
      [{ start: -1, limit: 10 }, /^start must be at least 0$/],
      [{ start: 1_000_000_001, limit: 10 }, /^start must be at most 1000000000$/],
    ] as const) {
      const response = await postAicc(t.app, t.token, 'task/list', { creatorId: DEMO_USER.id, ...body });
      assert.equal(response.statusCode, 400);
      assert.match(assertErrorEnvelope(response.body).resMsg, rule);
    }
  });
});
