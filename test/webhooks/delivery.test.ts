import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { AICC, callExtension, fetchToken, startTestApp, type TestApp } from '../helpers.js';
import { startReceiver, verified } from './receiver.js';
import { WebhookDeliverer } from '../../src/webhooks/deliverer.js';
import { DEMO_CASE, DEMO_TASK_ID, DEMO_USER } from '../../src/demo/records.js';

/** A retry schedule of a few hundredths of a second: the failures of a day, in a test. */
const QUICK_RETRIES = [0.05, 0.05, 0.05, 0.05];

describe('webhooks: delivery', () => {
  let testApp: TestApp;
  let token = '';
  let deliverer: WebhookDeliverer;
  const t = { get app() { return testApp.app; }, get token() { return token; } };

  before(async () => {
    testApp = await startTestApp({ demo: true, env: { OPENCASE_WEBHOOK_ALLOW_PRIVATE: '1' } });
    token = await fetchToken(testApp.app);
    deliverer = new WebhookDeliverer(testApp.database, { retryScheduleSeconds: QUICK_RETRIES, allowPrivate: true });
    deliverer.start();
  });
  after(async () => {
    await deliverer.close();
    await testApp.close();
  });
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function subscribe(url: string, body: Record<string, unknown> = {}) {
    const response = await callExtension(t, 'POST', 'webhooks', { url, ...body });
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json<{ result: { webhookId: string; secret: string } }>().result;
    cleanups.push(async () => { await t.app.inject({ method: 'DELETE', url: `/opencase/v1/webhooks/${result.webhookId}`, headers: { 'access-token': token } }); });
    return result;
  }
  const aicc = async (path: string, body: unknown) => {
    const response = await t.app.inject({ method: 'POST', url: `${AICC}/${path}`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    assert.equal(response.json<{ resCode: string }>().resCode, '0', response.body);
    return response.json<{ result?: Record<string, string> }>().result;
  };
  /** A change of the demo task: its status moved to the other of Pending and Processing (the same status again is no change). */
  let status = 'Pending';
  const changeStatus = () => {
    status = status === 'Pending' ? 'Processing' : 'Pending';
    return aicc('task/status/update', { id: DEMO_TASK_ID, status, creatorId: DEMO_USER.id });
  };

  it('each change after the subscription, once, in order, signed (checked by the standardwebhooks package), as {type, timestamp, data}', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const { secret, webhookId } = await subscribe(receiver.url);
    const { taskId } = (await aicc('task', { taskInfo: { title: 'Call back', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, type: 'Case', relateId: DEMO_CASE.id } }))!;
    await changeStatus();
    await aicc('task/modify', { taskInfo: { id: taskId, title: 'Call back today', creatorId: DEMO_USER.id } });
    await aicc('status/update', { id: DEMO_CASE.id, status: 'Completed', creatorId: DEMO_USER.id });
    const events = (await receiver.until(5)).map((request) => verified(secret, request));
    // A task made on a case is in both histories: the task's, and the case's.
    assert.deepEqual(events.map((event) => event.type), ['task.created', 'case.task_created', 'task.status_changed', 'task.modified', 'case.status_changed']);
    const seqs = events.map((event) => event.data.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(events[0]?.data.objectId, taskId);
    const first = receiver.received[0]!;
    assert.equal(first.headers['webhook-id'], `msg_${webhookId}_${seqs[0]}`);
    assert.match(String(first.headers['webhook-timestamp']), /^\d{10}$/);
    assert.equal(first.headers['content-type'], 'application/json');
    // Nothing more comes: each change once.
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(receiver.received.length, 5);
    // A wrong secret does not verify: the check above could fail.
    assert.throws(() => verified(`whsec_${Buffer.from('not the secret, not at all').toString('base64')}`, first));
  });

  it('eventTypes: only the events named (and wildcards) are delivered; the others are passed over', async () => {
    const cases = await startReceiver();
    const statuses = await startReceiver();
    cleanups.push(cases.close, statuses.close);
    const caseHook = await subscribe(cases.url, { eventTypes: ['case.*'] });
    const statusHook = await subscribe(statuses.url, { eventTypes: ['task.status_changed'] });
    await changeStatus();
    await aicc('case/modify', { caseInfo: { id: DEMO_CASE.id, title: 'Printer jams', description: 'again', creatorId: DEMO_USER.id } });
    await changeStatus();
    assert.deepEqual((await cases.until(1)).map((request) => verified(caseHook.secret, request).type), ['case.modified']);
    assert.deepEqual((await statuses.until(2)).map((request) => verified(statusHook.secret, request).type), ['task.status_changed', 'task.status_changed']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual([cases.received.length, statuses.received.length], [1, 2]);
  });

  it('an endpoint that fails for a while gets everything once it recovers, in order, a retry with the same webhook-id; the log shows the attempts', async () => {
    const receiver = await startReceiver((_, index) => ({ status: index < 3 ? 500 : 200 }));
    cleanups.push(receiver.close);
    const { secret, webhookId } = await subscribe(receiver.url);
    await changeStatus();
    await changeStatus();
    const requests = await receiver.until(5);
    const events = requests.map((request) => verified(secret, request));
    // The first change was refused three times, then taken, each time with its webhook-id; the second came after it, once.
    const ids = requests.map((request) => request.headers['webhook-id']);
    assert.deepEqual(ids, [...Array(4).fill(`msg_${webhookId}_${events[0]!.data.seq}`), `msg_${webhookId}_${events[4]!.data.seq}`]);
    assert.deepEqual(events.map((event) => event.data.seq).slice(3), [events[0]!.data.seq, events[4]!.data.seq]);
    assert.ok(events[4]!.data.seq > events[0]!.data.seq);
    // The cursor moves once the answer is read, a moment after the receiver has the request.
    const read = async () => (await callExtension(t, 'GET', `webhooks/${webhookId}`)).json<{ result: { active: boolean; failures: number; disabledReason: string | null } }>().result;
    let detail = await read();
    for (let i = 0; i < 40 && detail.failures !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      detail = await read();
    }
    assert.deepEqual([detail.active, detail.failures, detail.disabledReason], [true, 0, null]);
  });

  it('a change taken after failures starts the count afresh: the next change\'s first failure is retried, not added to the last one\'s', async () => {
    // The first change is refused as often as the schedule allows, then taken; the next is refused once, then taken.
    const answers = [500, 500, 500, 500, 200, 500, 200];
    const receiver = await startReceiver((_, index) => ({ status: answers[index] ?? 200 }));
    cleanups.push(receiver.close);
    const { secret, webhookId } = await subscribe(receiver.url);
    await changeStatus();
    await changeStatus();
    const requests = await receiver.until(answers.length);
    const seqs = requests.map((request) => verified(secret, request).data.seq);
    assert.equal(new Set(seqs).size, 2);
    assert.deepEqual(seqs.slice(4), [seqs[4], seqs[6], seqs[6]]);
    const detail = (await callExtension(t, 'GET', `webhooks/${webhookId}`)).json<{ result: { active: boolean } }>().result;
    assert.equal(detail.active, true);
  });

  it('Retry-After is honoured: a 429 asking for a second is tried again no sooner, though the schedule says 0.05 s', async () => {
    const receiver = await startReceiver((_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    cleanups.push(receiver.close);
    const { secret } = await subscribe(receiver.url);
    await changeStatus();
    const [refused, taken] = await receiver.until(2);
    assert.equal(verified(secret, taken!).type, 'task.status_changed');
    assert.equal(taken!.headers['webhook-id'], refused!.headers['webhook-id']);
    assert.ok(taken!.at - refused!.at >= 950, `tried again after ${taken!.at - refused!.at} ms`);
  });

  it('410 Gone disables the endpoint and says why; made active again, it starts from the change it stopped at', async () => {
    let gone = true;
    const receiver = await startReceiver(() => ({ status: gone ? 410 : 200 }));
    cleanups.push(receiver.close);
    const { secret, webhookId } = await subscribe(receiver.url);
    await changeStatus();
    await receiver.until(1);
    const read = async () => (await callExtension(t, 'GET', `webhooks/${webhookId}`)).json<{ result: { active: boolean; disabledReason: string | null } }>().result;
    for (let i = 0; i < 40 && (await read()).active; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const disabled = await read();
    assert.equal(disabled.active, false);
    assert.match(disabled.disabledReason ?? '', /410 Gone/);
    await changeStatus();
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(receiver.received.length, 1, 'nothing is sent to a disabled endpoint');
    gone = false;
    const patched = await callExtension(t, 'PATCH', `webhooks/${webhookId}`, { active: true });
    assert.equal(patched.json<{ result: { disabledReason: string | null } }>().result.disabledReason, null);
    const events = (await receiver.until(3)).slice(1).map((request) => verified(secret, request));
    assert.deepEqual(events.map((event) => event.type), ['task.status_changed', 'task.status_changed']);
    assert.equal(receiver.received[1]?.headers['webhook-id'], receiver.received[0]?.headers['webhook-id'], 'the refused change is sent again first');
  });

  it('a run of failures past the retry schedule disables the endpoint, naming the change and the last error', async () => {
    const receiver = await startReceiver(() => ({ status: 503 }));
    cleanups.push(receiver.close);
    const { webhookId } = await subscribe(receiver.url);
    await changeStatus();
    await receiver.until(QUICK_RETRIES.length + 1);
    const read = async () => (await callExtension(t, 'GET', `webhooks/${webhookId}`)).json<{ result: { active: boolean; disabledReason: string | null; failures: number } }>().result;
    for (let i = 0; i < 40 && (await read()).active; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const disabled = await read();
    assert.equal(disabled.active, false);
    assert.match(disabled.disabledReason ?? '', new RegExp(`failed ${QUICK_RETRIES.length + 1} times in a row, the last: HTTP 503`));
  });

  it('a dead endpoint does not delay a live one', async () => {
    const dead = await startReceiver(() => 'hang');
    const live = await startReceiver();
    cleanups.push(dead.close, live.close);
    await subscribe(dead.url);
    await subscribe(live.url);
    await changeStatus();
    await dead.until(1);
    const started = Date.now();
    await changeStatus();
    await changeStatus();
    await live.until(3);
    const waited = Date.now() - started;
    // The dead endpoint's attempt waits 10 s for an answer; the live one's deliveries do not wait for it.
    assert.ok(waited < 5000, `the live endpoint waited ${waited} ms`);
  });

  it('no redirect is followed: a 302 is a failed attempt', async () => {
    const target = await startReceiver();
    const redirecting = await startReceiver(() => ({ status: 302, headers: { location: target.url } }));
    cleanups.push(target.close, redirecting.close);
    const { webhookId } = await subscribe(redirecting.url);
    await changeStatus();
    await redirecting.until(2);
    assert.equal(target.received.length, 0);
    const detail = (await callExtension(t, 'GET', `webhooks/${webhookId}`)).json<{ result: { failures: number } }>().result;
    assert.ok(detail.failures >= 1);
  });
});
