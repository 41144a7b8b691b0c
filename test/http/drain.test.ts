import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLIENT } from '../../src/demo/records.js';
import { fetchTokenOverHttp, startCliServer, type CliServer } from '../cli-helpers.js';
import { assertErrorEnvelope, TASK_PATH, testDatabase, TEST_BACKEND } from '../helpers.js';
import { rawClient } from './sockets.js';

/**
 * Bodies past the 1 MiB limit, sent with Node's fetch (undici) the way a client sends a too-large attachment, to a
 * server in a process of its own: in this process, client and server took turns on one event loop and the client had
 * always finished sending before the server closed, which hid the failure.
 */
describe(`a body larger than the limit, on ${TEST_BACKEND}`, () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let server: CliServer;
  let base: string;
  let token: string;
  before(async () => {
    database = await testDatabase();
    server = await startCliServer(['--demo', '--db', database.location], { OPENCASE_LOG_LEVEL: 'warn', OPENCASE_RATE_LIMIT: '0' });
    base = server.url;
    token = await fetchTokenOverHttp(base, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
  });
  after(async () => {
    await server.stop();
    await database.remove();
  });

  async function post(body: Uint8Array<ArrayBuffer>): Promise<string> {
    try {
      const response = await fetch(`${base}${TASK_PATH}`, { method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' }, body });
      const text = await response.text();
      return `${response.status} ${assertErrorEnvelope(text).resCode}`;
    } catch (error) {
      // What the client saw when the server closed while it was still sending: EPIPE or ECONNRESET.
      const cause = (error as { cause?: { code?: string } }).cause;
      return `failed ${cause?.code ?? String(error)}`;
    }
  }

  for (const [megabytes, tries] of [[3, 10], [50, 5]] as const) {
    it(`${megabytes} MB, ${tries} times: every one gets the 413 envelope (the client finishes sending, then the reply)`, { timeout: 120_000 }, async () => {
      const body = new TextEncoder().encode(JSON.stringify({ taskInfo: { title: 'x'.repeat(megabytes * 1024 * 1024) } }));
      const outcomes: string[] = [];
      for (let i = 0; i < tries; i++) outcomes.push(await post(body));
      assert.deepEqual(outcomes, Array.from({ length: tries }, () => '413 413001'));
    });
  }

  it('a declared Content-Length past what is ever read (64 MiB) is answered at once and the connection closed', { timeout: 20_000 }, async () => {
    const client = rawClient(Number(new URL(base).port), `POST ${TASK_PATH} HTTP/1.1\r\nHost: x\r\naccess-token: ${token}\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 ** 3}\r\n\r\n{"taskInfo":`);
    const text = await client.closed;
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.match(text, /\r\nconnection: close\r\n/i);
  });
});
