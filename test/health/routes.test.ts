import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { assertErrorEnvelope, startTestApp, TASK_PATH, testDatabase, type TestApp } from '../helpers.js';

describe('/healthz and /readyz', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('a ready server: alive and ready, in the envelope, without a token', async () => {
    for (const [path, status] of [['/healthz', 'alive'], ['/readyz', 'ready']] as const) {
      const response = await t.app.inject({ method: 'GET', url: path });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { resCode: '0', resMsg: '成功', result: { status } });
    }
  });

  it('while the database is prepared: alive, not ready (503 with the reason), and every other route a 503 envelope', async () => {
    const database = await testDatabase();
    const opened = openDatabase(database.location);
    const readiness = { ready: false, reason: 'migrating the database' };
    const app = await buildApp({ config: loadConfig({ db: database.location }, { OPENCASE_LOG_LEVEL: 'silent' }), store: opened, readiness });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      const notReady = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(notReady.statusCode, 503);
      assert.deepEqual(assertErrorEnvelope(notReady.body), { resCode: '503001', resMsg: 'not ready: migrating the database' });
      const call = await app.inject({ method: 'GET', url: `${TASK_PATH}/ccqG0000000000000000`, headers: { 'access-token': 'x' } });
      assert.equal(call.statusCode, 503);
      assert.match(assertErrorEnvelope(call.body).resMsg, /^starting: migrating the database/);
      await migrateToLatest(opened.db);
      readiness.ready = true;
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: `${TASK_PATH}/ccqG0000000000000000`, headers: { 'access-token': 'x' } })).statusCode, 401);
    } finally {
      await app.close();
      await opened.close();
      await database.remove();
    }
  });

  it('a database that stops answering makes /readyz a 503 while /healthz stays 200', async () => {
    const database = await testDatabase();
    const opened = openDatabase(database.location);
    await migrateToLatest(opened.db);
    const app = await buildApp({ config: loadConfig({ db: database.location }, { OPENCASE_LOG_LEVEL: 'silent' }), store: opened });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      await opened.close();
      const unreachable = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(unreachable.statusCode, 503);
      assert.match(assertErrorEnvelope(unreachable.body).resMsg, /^not ready: the database is unreachable/);
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await app.close();
      await database.remove();
    }
  });
});
