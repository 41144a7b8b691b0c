import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEMO_CLIENT, DEMO_TASK_ID } from '../../src/demo/records.js';
import { createServer, connect } from 'node:net';
import { fetchTokenOverHttp, freePort, runCli, startCliServer } from '../cli-helpers.js';
import { assertErrorEnvelope, fetchToken, ON_POSTGRES, startTestApp, TASK_PATH, withPgAdmin } from '../helpers.js';

const skip = ON_POSTGRES ? false : 'needs PostgreSQL (scripts/with-postgres.sh npm test)';

/** Polls a starting server's readiness until it answers that it waits for its database (60 s at most). */
async function waitUntilWaiting(readyz: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    const body = await fetch(readyz).then((response) => response.text(), () => '');
    // Its first attempt has begun with the listener; a moment more and it has failed and said why.
    if (body.includes('waiting for the database')) return new Promise((resolve) => setTimeout(resolve, 300));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${readyz} never said it was waiting for the database`);
}

const admin = withPgAdmin;

describe('PostgreSQL faults', { skip }, () => {
  it('connections killed while requests run: each answer a 200 or a 503 envelope, never a 500, and service resumes', async () => {
    // Every request queries (its token's row and the tenant's sequence), so that kills land on queries in flight: served
    // from the change signal, a cached detail needs no connection, and a loaded machine saw the 400 requests all answered
    // without losing one (the assertion below).
    const t = await startTestApp({ env: { OPENCASE_CACHE_STALENESS_MS: '0' } });
    try {
      const token = await fetchToken(t.app);
      const detail = () => t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
      assert.equal((await detail()).statusCode, 200);
      const database = new URL(t.dbLocation).pathname.slice(1);
      const statuses: number[] = [];
      let killing = true;
      const killer = (async () => {
        let killedAny = false;
        while (killing) {
          const killed = await admin(async (client) => (await client.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database],
          )).rowCount);
          killedAny ||= (killed ?? 0) > 0;
        }
        return killedAny;
      })();
      for (let batch = 0; batch < 20; batch++) {
        const responses = await Promise.all(Array.from({ length: 20 }, detail));
        for (const response of responses) {
          statuses.push(response.statusCode);
          if (response.statusCode !== 200) {
            assert.equal(response.statusCode, 503, response.body);
            assert.equal(assertErrorEnvelope(response.body).resCode, '503001');
            assert.equal(response.headers['retry-after'], '1');
          }
        }
      }
      killing = false;
      assert.ok(await killer, 'connections were killed while requests ran');
      // Service resumes once the killing stops: each connection killed last costs at most one more 503 (the pool
      // holds at most pool-size of them), then every answer is a 200.
      let last = 0;
      for (let attempt = 0; attempt <= t.config.poolSize && last !== 200; attempt++) last = (await detail()).statusCode;
      assert.equal(last, 200, 'service resumed');
      assert.ok(statuses.includes(503), "some requests lost their connection mid-way (else this test proves nothing)");
    } finally {
      await t.close();
    }
  });

  it('start-up waits for a PostgreSQL server that does not answer yet, saying why, then serves', async () => {
    const name = `opencase_late_${randomBytes(4).toString('hex')}`;
    await admin((client) => client.query(`create database ${name}`));
    const target = new URL(process.env.OPENCASE_TEST_PG_URL ?? '');
    // The server comes up late: a port where nothing listens until a forwarder to the real server opens on it.
    const port = await freePort();
    const url = new URL(target);
    url.port = String(port);
    url.pathname = `/${name}`;
    const httpPort = await freePort();
    const starting = startCliServer(['--demo', '--db', url.toString(), '--port', String(httpPort)]);
    starting.catch(() => {});
    const forwarder = createServer((incoming) => {
      const outgoing = connect(Number(target.port), target.hostname);
      incoming.pipe(outgoing).pipe(incoming);
      incoming.on('error', () => outgoing.destroy());
      outgoing.on('error', () => incoming.destroy());
    });
    try {
      // The process listens before it reaches the database (answering 503 meanwhile): once it answers, it is waiting.
      // A fixed sleep here raced the CLI's start-up, which takes longer than a second on a busy machine.
      await waitUntilWaiting(`http://127.0.0.1:${httpPort}/readyz`);
      await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', resolve));
      const server = await starting;
      try {
        const output = server.output();
        assert.match(output, /database not ready \(.*ECONNREFUSED.*\); retrying in \d+ ms/);
        const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
        const response = await fetch(`${server.url}${TASK_PATH}/${DEMO_TASK_ID}`, { headers: { 'access-token': token } });
        assert.equal(response.status, 200);
        assert.ok(!output.includes(url.password || '\u0000'), 'no password in the output');
      } finally {
        await server.stop();
      }
    } finally {
      forwarder.close();
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    }
  });

  it('a database that does not exist fails the start at once, saying how to create it (no retrying for OPENCASE_DB_WAIT)', { timeout: 60_000 }, async () => {
    const name = `opencase_missing_${randomBytes(4).toString('hex')}`;
    const url = new URL(process.env.OPENCASE_TEST_PG_URL ?? '');
    url.pathname = `/${name}`;
    // A wait far longer than the test's timeout: a start that retried would time the test out.
    const result = await runCli(['serve', '--db', url.toString(), '--port', '0'], { OPENCASE_DB_WAIT: '600' });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`database "${name}" does not exist on 127\\.0\\.0\\.1:${url.port}: create it first, for example with createdb -h 127\\.0\\.0\\.1 -p ${url.port} -U postgres ${name}`));
    assert.doesNotMatch(result.stderr, /retrying/);
  });
});
