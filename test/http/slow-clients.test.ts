import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { DEMO_CLIENT } from '../../src/demo/records.js';
import { assertErrorEnvelope, TASK_PATH, useTestApp } from '../helpers.js';
import { listenOnLoopback, rawClient, replyBody, sleep, trickle } from './sockets.js';

const TOKEN_HEADERS = `POST ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`;

/** What no client's mistake may leave in the log: a warning or an error line. */
function warningsAndErrors(lines: string[]): string[] {
  return lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 40);
}

/** Slow clients against a listening server with a one-second request timeout (OPENCASE_REQUEST_TIMEOUT=1). */
describe('requests that arrive too slowly', () => {
  const t = useTestApp({ env: { OPENCASE_REQUEST_TIMEOUT: '1' } });
  let port: number;
  before(async () => {
    port = await listenOnLoopback(t.app);
  });

  it('a token call whose body trickles in (a byte every 100 ms) gets the 408 envelope and its connection closed', { timeout: 20_000 }, async () => {
    const client = rawClient(port, TOKEN_HEADERS);
    const stop = trickle(client.socket, 100);
    const text = await client.closed;
    stop();
    assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.deepEqual(assertErrorEnvelope(replyBody(text)), { resCode: '408001', resMsg: 'the request was not received in time' });
    // The request Fastify was reading fails when its connection goes: the client's doing, not a server error.
    await sleep(200);
    assert.deepEqual(warningsAndErrors(t.logs.lines), []);
  });

  it('a Content-Length that is never sent, and headers that never end, get the 408 too', { timeout: 20_000 }, async () => {
    const stopped = rawClient(port, `POST ${TASK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"taskInfo":`);
    const unfinished = rawClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const silent = rawClient(port);
    for (const text of await Promise.all([stopped.closed, unfinished.closed, silent.closed])) {
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.equal(assertErrorEnvelope(replyBody(text)).resCode, '408001');
    }
  });

  it('while 50 trickling connections are open, other requests are answered', { timeout: 20_000 }, async () => {
    const trickling = Array.from({ length: 50 }, () => rawClient(port, TOKEN_HEADERS));
    const stops = trickling.map((client) => trickle(client.socket, 100));
    try {
      await sleep(100);
      const token = await fetch(`http://127.0.0.1:${port}${TOKEN_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret }),
      });
      assert.equal(token.status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      for (const text of await Promise.all(trickling.map((client) => client.closed))) assert.match(text, /^HTTP\/1\.1 408 /);
    } finally {
      for (const stop of stops) stop();
    }
  });
});

/** OPENCASE_MAX_CONNECTIONS=4: what happens to the fifth connection, and to the ones after. */
describe('the connection limit', () => {
  const t = useTestApp({ env: { OPENCASE_MAX_CONNECTIONS: '4', OPENCASE_REQUEST_TIMEOUT: '60' } });
  let port: number;
  before(async () => {
    port = await listenOnLoopback(t.app);
  });

  it('past the limit a new connection is closed at once; once the stalled ones have waited a second, a new request takes the oldest one\'s place', { timeout: 30_000 }, async () => {
    const stalled = Array.from({ length: 4 }, () => rawClient(port, TOKEN_HEADERS));
    const open = () => new Promise<number>((resolve) => t.app.server.getConnections((_error, count) => resolve(count)));
    for (let waited = 0; (await open()) < 4 && waited < 5000; waited += 20) await sleep(20);
    await sleep(100);
    const over = rawClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    // Every open connection is too young to close: the newcomer is closed, unanswered, and the server is unharmed.
    assert.equal(await over.closed, '');
    assert.ok(stalled.every((client) => !client.isClosed()));

    await sleep(1100);
    const answered = rawClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(await answered.closed, /^HTTP\/1\.1 200 OK\r\n/);
    assert.equal(stalled.filter((client) => client.isClosed()).length, 1, 'the stalled connection that waited longest made room');
    for (const client of stalled) client.socket.destroy();
    assert.ok(warningsAndErrors(t.logs.lines).every((line) => line.includes('connection limit reached')), t.logs.lines.join('\n'));
  });
});
