import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchTokenOverHttp, startCliServer, type CliServer } from '../cli-helpers.js';
import { AICC, testDatabase } from '../helpers.js';
import { startReceiver, verified, type Received } from './receiver.js';
import { DEMO_CLIENT, DEMO_TASK_ID, DEMO_USER } from '../../src/demo/records.js';

/** Real `opencase serve` processes: delivering, retrying quickly, to receivers on loopback. */
const SERVER_ENV = { OPENCASE_WEBHOOK_ALLOW_PRIVATE: '1', OPENCASE_WEBHOOK_RETRY_SCHEDULE: Array(10).fill('0.1').join(','), OPENCASE_TOKEN_FAILURES: '1000' };

async function subscribe(server: CliServer, token: string, url: string): Promise<{ webhookId: string; secret: string }> {
  const response = await fetch(`${server.url}/opencase/v1/webhooks`, { method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
  return ((await response.json()) as { result: { webhookId: string; secret: string } }).result;
}

async function post(server: CliServer, token: string, path: string, body: unknown): Promise<Record<string, string> | undefined> {
  const response = await fetch(`${server.url}${AICC}/${path}`, { method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const reply = (await response.json()) as { resCode: string; resMsg: string; result?: Record<string, string> };
  assert.equal(reply.resCode, '0', reply.resMsg);
  return reply.result;
}

/** `count` status changes of a task (Pending to start with), one after another, each acknowledged before the next. */
async function burst(server: CliServer, token: string, count: number, taskId = DEMO_TASK_ID): Promise<void> {
  for (let i = 0; i < count; i++) await post(server, token, 'task/status/update', { id: taskId, status: i % 2 === 0 ? 'Processing' : 'Pending', creatorId: DEMO_USER.id });
}

/** The changes a receiver got, verified, in the order they came, and each distinct change once (its first arrival). */
function arrivals(secret: string, requests: Received[]) {
  const events = requests.map((request) => ({ id: String(request.headers['webhook-id']), body: request.body, seq: verified(secret, request).data.seq }));
  const firsts = events.filter((event, index) => events.findIndex((other) => other.seq === event.seq) === index);
  return { events, firsts };
}

export async function untilDistinct(receiver: Awaited<ReturnType<typeof startReceiver>>, secret: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (arrivals(secret, receiver.received).firsts.length < count) {
    if (Date.now() > deadline) throw new Error(`${arrivals(secret, receiver.received).firsts.length} of ${count} changes delivered in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks across processes', () => {
  it('SIGKILL of the delivering process in a burst loses nothing: after a restart every change arrives, in order, a duplicate with the same webhook-id', async () => {
    const database = await testDatabase();
    // The 8th request is never answered: the process is killed while it waits, so that change was sent but not taken.
    const UNANSWERED = 7;
    const receiver = await startReceiver((_, index) => (index === UNANSWERED ? 'hang' : { status: 200, delayMs: 15 }));
    let server = await startCliServer(['--db', database.location, '--demo'], SERVER_ENV);
    try {
      const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const { secret } = await subscribe(server, token, receiver.url);
      const changes = 40;
      await burst(server, token, changes);
      await receiver.until(UNANSWERED + 1);
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server.child.once('exit', resolve));
      assert.ok(receiver.received.length < changes, `${receiver.received.length} of ${changes} sent before the kill: the burst was not in flight`);

      server = await startCliServer(['--db', database.location], SERVER_ENV);
      // The dead process's lease runs out (6 s at most), then the new one delivers the rest, the unanswered one first.
      const taken = () => receiver.received.filter((_, index) => index !== UNANSWERED);
      const deadline = Date.now() + 30_000;
      while (arrivals(secret, taken()).firsts.length < changes) {
        if (Date.now() > deadline) throw new Error(`${arrivals(secret, taken()).firsts.length} of ${changes} changes taken in 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { events, firsts } = arrivals(secret, taken());
      const seqs = firsts.map((event) => event.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'per-endpoint order holds');
      assert.equal(new Set(seqs).size, changes);
      const unanswered = arrivals(secret, [receiver.received[UNANSWERED]!]).events[0]!;
      assert.ok(events.some((event) => event.id === unanswered.id && event.body === unanswered.body), 'the unanswered change came again, the same message with its webhook-id');
      for (const event of events) {
        const first = firsts.find((candidate) => candidate.seq === event.seq)!;
        assert.deepEqual([event.id, event.body], [first.id, first.body], 'a duplicate is the same message, with the same webhook-id');
      }
    } finally {
      await server.stop();
      await receiver.close();
      await database.remove();
    }
  });

  it('two processes on one database never deliver to one endpoint at once, and each endpoint gets every change once, in order', async () => {
    const database = await testDatabase();
    const receivers = await Promise.all([0, 1, 2].map(() => startReceiver(() => ({ status: 200, delayMs: 20 }))));
    const first = await startCliServer(['--db', database.location, '--demo'], SERVER_ENV);
    const second = await startCliServer(['--db', database.location], SERVER_ENV);
    try {
      const token = await fetchTokenOverHttp(first.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const secrets = [];
      for (const receiver of receivers) secrets.push((await subscribe(first, token, receiver.url)).secret);
      // Each process changes a task of its own (the same status twice is no change).
      const { taskId } = (await post(second, token, 'task', { taskInfo: { title: 'the other task', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } }))!;
      const changes = 31;
      await Promise.all([burst(first, token, 15), burst(second, token, 15, taskId)]);
      for (const [index, receiver] of receivers.entries()) {
        await untilDistinct(receiver, secrets[index]!, changes, 30_000);
        const { events, firsts } = arrivals(secrets[index]!, receiver.received);
        assert.equal(receiver.concurrency.most, 1, 'one delivery at a time to an endpoint');
        assert.equal(events.length, changes, 'each change once (no process died)');
        const seqs = firsts.map((event) => event.seq);
        assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
      }
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await Promise.all(receivers.map((receiver) => receiver.close()));
      await database.remove();
    }
  });
});
