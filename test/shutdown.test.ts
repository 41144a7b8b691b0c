import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLIENT, DEMO_USER } from '../src/demo/records.js';
import { fetchTokenOverHttp, startCliServer } from './cli-helpers.js';
import { AICC, testDatabase, TEST_BACKEND } from './helpers.js';

/** SIGTERM: stop accepting, finish what is in flight, close the database, exit 0. */
describe(`SIGTERM on a serving process, on ${TEST_BACKEND}`, () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.remove());

  it('a request in flight when the signal comes is answered and lands; then the process exits 0 and refuses new connections', { timeout: 60_000 }, async () => {
    const server = await startCliServer(['--demo', '--db', database.location], { OPENCASE_LOG_LEVEL: 'warn' });
    const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
    const body = JSON.stringify({ taskInfo: { title: 'in flight at SIGTERM', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
    const url = new URL(`${server.url}${AICC}/task`);

    // Headers and half the body now; the rest only after the signal, so the request is certainly in flight.
    const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = request(url, { method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      outgoing.on('error', reject);
      outgoing.write(body.slice(0, 20));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => outgoing.end(body.slice(20)), 300);
      }, 300);
    });
    const exitCode = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));

    const answered = await reply;
    assert.equal(answered.status, 200, answered.text);
    const taskId = (JSON.parse(answered.text) as { result: { taskId: string } }).result.taskId;
    assert.equal(await exitCode, 0, server.output());
    await assert.rejects(fetch(`${server.url}/healthz`), 'no longer accepting');

    const again = await startCliServer(['--db', database.location], { OPENCASE_LOG_LEVEL: 'warn' });
    try {
      const second = await fetchTokenOverHttp(again.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const detail = await fetch(`${again.url}${AICC}/task/${taskId}`, { headers: { 'access-token': second } });
      assert.equal(detail.status, 200);
    } finally {
      await again.stop();
    }
  });
});
