import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CASE_TYPE, DEMO_TASK_ID } from '../../src/demo/records.js';
import { WIRE_CONTENT_TYPE } from '../../src/wire/envelope.js';
import { AICC, assertErrorEnvelope, useTestApp } from '../helpers.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A request that reaches no API is told what to call instead: the method, the path meant, or where the APIs are listed. */
describe('requests that miss every API say what to call', () => {
  const t = useTestApp();
  const call = (method: Method, url: string, withToken = true) =>
    t.app.inject({ method, url, headers: withToken ? { 'access-token': t.token } : {} });

  async function assertMethodNotAllowed(method: Method, url: string, allow: string, resMsg: string, withToken = true) {
    const response = await call(method, url, withToken);
    assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`);
    assert.equal(response.headers.allow, allow);
    assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
    assert.deepEqual(assertErrorEnvelope(response.body), { resCode: '405001', resMsg });
  }

  async function assertNotFound(method: Method, url: string, resMsg: string) {
    const response = await call(method, url);
    assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body}`);
    assert.deepEqual(assertErrorEnvelope(response.body), { resCode: '404002', resMsg });
  }

  it('GET on a POST-only call is a 405 naming POST, not task detail\'s "id must be…"', async () => {
    for (const path of ['task/list', 'case/list', 'caseType/list', 'task/modify', 'task/transfer', 'task/process', 'case/modify', 'case/cancel']) {
      await assertMethodNotAllowed('GET', `${AICC}/${path}`, 'POST', `GET is not served at ${path}: call it with POST`);
    }
    // Paths no id route takes, and the same answer without a token: the API's shape is no secret (/openapi.json).
    for (const path of ['task/status/update', 'status/update', 'case', 'task']) {
      await assertMethodNotAllowed('GET', `${AICC}/${path}`, 'POST', `GET is not served at ${path}: call it with POST`);
    }
    await assertMethodNotAllowed('GET', `${AICC}/task/list`, 'POST', 'GET is not served at task/list: call it with POST', false);
    // HEAD has no body: the status and Allow are the answer.
    const head = await call('HEAD', `${AICC}/task/list`);
    assert.deepEqual([head.statusCode, head.headers.allow], [405, 'POST']);
  });

  it('another method on a path that takes some is a 405 listing them all', async () => {
    await assertMethodNotAllowed('DELETE', `${AICC}/task/${DEMO_TASK_ID}`, 'GET, HEAD, POST', `DELETE is not served at task/${DEMO_TASK_ID}: call it with GET or POST`);
    await assertMethodNotAllowed('PUT', '/opencase/v1/users', 'GET, HEAD, POST', 'PUT is not served at /opencase/v1/users: call it with GET or POST');
  });

  it('the routes the hints stand beside answer as before, and none of the hints is in the API\'s list or document', async () => {
    assert.equal((await call('GET', `${AICC}/task/${DEMO_TASK_ID}`)).statusCode, 200);
    assert.equal((await call('GET', `${AICC}/caseType/${DEMO_CASE_TYPE.id}`)).statusCode, 200);
    const list = await t.app.inject({ method: 'POST', url: `${AICC}/caseType/list`, headers: { 'access-token': t.token }, payload: { start: 0, limit: 1 } });
    assert.equal(list.statusCode, 200, list.body);
    assert.ok(!t.app.registeredRoutes.some((route) => route.method === 'GET' && route.url === `${AICC}/task/list`));
    assert.ok(!t.app.registeredRoutes.some((route) => route.url === '/'));
    const document = (await call('GET', '/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(document.paths[`${AICC}/task/list`] ?? {}), ['post']);
    assert.equal(document.paths['/'], undefined);
  });

  it('GET / names the API reference and the OpenAPI document', async () => {
    const response = await call('GET', '/', false);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
    assert.deepEqual(response.json(), {
      resCode: '0', resMsg: '成功',
      result: { name: 'opencase', docs: '/docs', openapi: '/openapi.json', token: '/baas/auth/v1.0/oauth2/token', aicc: AICC, extensions: '/opencase/v1' },
    });
  });

  it('case/status/update names status/update, AICC\'s path without case/', async () => {
    await assertNotFound('POST', `${AICC}/case/status/update`,
      `no API at POST ${AICC}/case/status/update: did you mean POST ${AICC}/status/update? (AICC's path has no case/ before status/update)`);
  });

  it('a misspelled path gets the route it is close to, with its method', async () => {
    await assertNotFound('GET', `${AICC}/tsk/list`, `no API at GET ${AICC}/tsk/list: did you mean POST ${AICC}/task/list?`);
    await assertNotFound('POST', `${AICC}/case/lsit`, `no API at POST ${AICC}/case/lsit: did you mean POST ${AICC}/case/list?`);
    await assertNotFound('POST', `${AICC}/casetype/list`, `no API at POST ${AICC}/casetype/list: did you mean POST ${AICC}/caseType/list?`);
    await assertNotFound('GET', `${AICC}/tsk/${DEMO_TASK_ID}`, `no API at GET ${AICC}/tsk/${DEMO_TASK_ID}: did you mean GET ${AICC}/task/${DEMO_TASK_ID}?`);
    await assertNotFound('POST', `${AICC}/task/list/`, `no API at POST ${AICC}/task/list/: did you mean POST ${AICC}/task/list?`);
    await assertNotFound('GET', '/doc', 'no API at GET /doc: did you mean GET /docs?');
  });

  it('a path with its prefix missing or wrong gets the full path', async () => {
    await assertNotFound('POST', '/task/list', `no API at POST /task/list: did you mean POST ${AICC}/task/list?`);
    await assertNotFound('POST', '/opencase/v1/case/list', `no API at POST /opencase/v1/case/list: did you mean POST ${AICC}/case/list?`);
    await assertNotFound('GET', `${AICC}/users`, `no API at GET ${AICC}/users: did you mean GET /opencase/v1/users?`);
  });

  it('a misspelled call that an id route took says so beside the id rule', async () => {
    const response = await t.app.inject({ method: 'POST', url: `${AICC}/task/proces`, headers: { 'access-token': t.token, 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(assertErrorEnvelope(response.body), {
      resCode: '400001', resMsg: `id must be a 20-character id of letters and digits (did you mean POST ${AICC}/task/process?)`,
    });
    // A malformed id that is no call's name keeps the rule alone.
    const malformed = await call('GET', `${AICC}/task/abc`);
    assert.equal(assertErrorEnvelope(malformed.body).resMsg, 'id must be a 20-character id of letters and digits');
  });

  it('a path close to nothing points to /docs and /openapi.json', async () => {
    for (const [method, url] of [['GET', '/nowhere'], ['POST', '/'], ['GET', `${AICC}/nothing`]] as const) {
      await assertNotFound(method, url, `no API at ${method} ${url}; every API is listed at /docs and in /openapi.json`);
    }
    const long = `/${'x'.repeat(5000)}`;
    const response = await call('GET', long);
    assert.equal(response.statusCode, 404);
    assert.equal(assertErrorEnvelope(response.body).resMsg, `no API at GET ${long.slice(0, 200)}…; every API is listed at /docs and in /openapi.json`);
  });
});
