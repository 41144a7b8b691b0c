import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { isClientAbort } from '../../src/http/client-gone.js';
import { TASK_PATH, useTestApp } from '../helpers.js';
import { listenOnLoopback, rawClient, sleep } from './sockets.js';

/** Clients that hang up mid-request are not server errors: nothing at warn or above in the log. */
describe('clients that go away', () => {
  const t = useTestApp({ env: { OPENCASE_LOG_LEVEL: 'info', OPENCASE_RATE_LIMIT: '0', OPENCASE_TOKEN_RATE_LIMIT: '0' } });
  let port: number;
  before(async () => {
    port = await listenOnLoopback(t.app);
  });

  /** The log lines written since line `from`. */
  const levels = (from = 0) => t.logs.lines.slice(from).map((line) => JSON.parse(line) as { level: number; msg: string });

  it('20 calls dropped mid-body (closed or reset), on an AICC route and on the token route, log nothing above info', { timeout: 30_000 }, async () => {
    for (let i = 0; i < 20; i++) {
      const head = i % 4 < 2
        ? `POST ${TASK_PATH} HTTP/1.1\r\nHost: x\r\naccess-token: ${t.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"taskInfo":`
        : `POST ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=`;
      const client = rawClient(port, head);
      await sleep(30);
      if (i % 2 === 0) client.socket.destroy();
      else client.socket.resetAndDestroy();
      await client.closed;
    }
    await sleep(300);
    assert.deepEqual(levels().filter((line) => line.level > 30), []);
  });

  it('20 replies abandoned after their first bytes log nothing above info', { timeout: 30_000 }, async () => {
    const from = t.logs.lines.length;
    for (let i = 0; i < 20; i++) {
      const client = rawClient(port, 'GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((resolve) => client.socket.once('data', resolve));
      if (i % 2 === 0) client.socket.destroy();
      else client.socket.resetAndDestroy();
      await client.closed;
    }
    await sleep(300);
    assert.deepEqual(levels(from).filter((line) => line.level > 30), []);
  });

  it('Node\'s reset of an aborted request is the client\'s; a database socket\'s reset (it names its syscall) is not', () => {
    assert.equal(isClientAbort(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), true);
    assert.equal(isClientAbort(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read', errno: -104 })), false);
    assert.equal(isClientAbort(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })), true);
  });
});
