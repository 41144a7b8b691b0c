import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLIENT, DEMO_USER } from '../src/demo/records.js';
import { TOKEN_PATH } from '../src/auth/routes.js';
import { fetchTokenOverHttp, startCliServer, type CliServer } from './cli-helpers.js';
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

/**
 * A request sent in two halves, the second `afterMs` later: certainly in flight when a signal comes meanwhile. Over a
 * connection of its own that the client keeps open after the reply, as a keep-alive client does (Node's own agent
 * would close it after its 5 s idle timeout, hiding a server that keeps it).
 */
function inFlightCreate(baseUrl: string, token: string, afterMs: number): Promise<{ status: number; text: string }> {
  const body = JSON.stringify({ taskInfo: { title: 'in flight at SIGTERM', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
  const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
  socket.write(`POST ${AICC}/task HTTP/1.1\r\nHost: x\r\naccess-token: ${token}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`);
  setTimeout(() => socket.write(body.slice(20)), afterMs);
  return new Promise((resolve, reject) => {
    let received = '';
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      const end = received.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(received)?.[1]);
      if (end < 0 || Buffer.byteLength(received.slice(end + 4)) < length) return;
      resolve({ status: Number(received.slice(9, 12)), text: received.slice(end + 4) });
    });
  });
}

/** A connection that made one request, got its answer, and stays open (keep-alive) doing nothing. */
async function idleKeepAlive(baseUrl: string): Promise<Socket> {
  const { port } = new URL(baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((resolve) => socket.once('data', resolve));
  return socket;
}

/** SIGTERM, then the seconds until the process exited, or a failure if it is still running after `limitSeconds`. */
function exitAfterSigterm(server: CliServer, limitSeconds: number): Promise<{ code: number | null; seconds: number }> {
  const signalled = Date.now();
  return new Promise((resolve, reject) => {
    const late = setTimeout(() => reject(new Error(`still running ${limitSeconds} s after SIGTERM:\n${server.output()}`)), limitSeconds * 1000);
    server.child.once('exit', (code) => {
      clearTimeout(late);
      resolve({ code, seconds: (Date.now() - signalled) / 1000 });
    });
    server.child.kill('SIGTERM');
  });
}

describe(`SIGTERM with clients that hold their connections, on ${TEST_BACKEND}`, () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.remove());

  it('a connection left idle by a reply answered after the signal is closed at once: the process exits well before Keep-Alive\'s 72 s', { timeout: 90_000 }, async (context) => {
    const server = await startCliServer(['--demo', '--db', database.location], { OPENCASE_LOG_LEVEL: 'warn', OPENCASE_SHUTDOWN_TIMEOUT: '60' });
    context.after(() => server.child.kill('SIGKILL'));
    const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
    const idle = await idleKeepAlive(server.url);
    const answered = inFlightCreate(server.url, token, 500);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = exitAfterSigterm(server, 30);
    const reply = await answered;
    assert.equal(reply.status, 200, reply.text);
    const { code } = await exited;
    assert.equal(code, 0, server.output());
    assert.equal(idle.readableEnded || idle.destroyed, true, 'the idle keep-alive connection was closed');
  });

  it('a client trickling its body cannot hold the process: it exits at OPENCASE_SHUTDOWN_TIMEOUT, the request in flight answered', { timeout: 90_000 }, async (context) => {
    const server = await startCliServer(['--demo', '--db', database.location], { OPENCASE_LOG_LEVEL: 'warn', OPENCASE_SHUTDOWN_TIMEOUT: '2', OPENCASE_REQUEST_TIMEOUT: '600' });
    context.after(() => server.child.kill('SIGKILL'));
    const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
    const idle = await idleKeepAlive(server.url);
    const trickler = connect(Number(new URL(server.url).port), '127.0.0.1');
    trickler.on('error', () => undefined);
    trickler.write(`POST ${TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`);
    const trickling = setInterval(() => trickler.writable && trickler.write('a'), 200);
    try {
      const answered = inFlightCreate(server.url, token, 500);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The deadline is 2 s; the margin is for a loaded machine. Without the deadline the process never exits.
      const exited = exitAfterSigterm(server, 2 + 20);
      const reply = await answered;
      assert.equal(reply.status, 200, reply.text);
      const { code } = await exited;
      assert.equal(code, 0, server.output());
      assert.equal(idle.readableEnded || idle.destroyed, true);
      assert.match(server.output(), /shutdown deadline reached/);
    } finally {
      clearInterval(trickling);
      trickler.destroy();
    }
  });
});
