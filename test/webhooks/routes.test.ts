import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AICC, callExtension, fetchToken, startTestApp, type TestApp } from '../helpers.js';
import { startReceiver, verified } from './receiver.js';
import { WebhookDeliverer } from '../../src/webhooks/deliverer.js';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_TASK_ID, DEMO_USER } from '../../src/demo/records.js';

type Envelope<T> = { resCode: string; resMsg: string; result: T };

describe('webhooks: the admin API', () => {
  let testApp: TestApp;
  let token = '';
  const t = { get app() { return testApp.app; }, get token() { return token; } };
  before(async () => {
    testApp = await startTestApp({ demo: true, env: { OPENCASE_WEBHOOK_ALLOW_PRIVATE: '0' } });
    token = await fetchToken(testApp.app);
  });
  after(() => testApp.close());

  const call = async <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => {
    const response = await callExtension(t, method, path, body);
    return { status: response.statusCode, body: response.json<Envelope<T>>() };
  };

  it('refuses a URL it could never deliver to, or an unknown event type, saying why', async () => {
    const refusals = [
      [{ url: 'ftp://hooks.example.com/x' }, /url must be http:\/\/ or https:\/\/, not ftp:/],
      [{ url: 'not a url' }, /url must be an absolute http:\/\/ or https:\/\/ URL/],
      [{ url: 'https://user:pw@hooks.example.com/x' }, /must not hold credentials/],
      [{ url: 'http://127.0.0.1:8080/x' }, /127\.0\.0\.1 is a loopback, private, link-local or reserved address.*OPENCASE_WEBHOOK_ALLOW_PRIVATE=1/],
      [{ url: 'http://169.254.169.254/latest/meta-data/' }, /169\.254\.169\.254 is a loopback, private, link-local or reserved address/],
      [{ url: 'http://[::1]/x' }, /::1 is a loopback/],
      [{ url: 'https://hooks.example.com/x', eventTypes: ['task.deleted'] }, /eventTypes\[0\] must be one of: case\.cancelled, .*task\.\*, case\.\*, \*$/],
      [{ url: 'https://hooks.example.com/x', extra: 1 }, /unknown field extra/],
    ] as const;
    for (const [body, message] of refusals) {
      const { status, body: reply } = await call('POST', 'webhooks', body);
      assert.equal(status, 400, JSON.stringify(reply));
      assert.equal(reply.resCode, '400001');
      assert.match(reply.resMsg, message);
    }
    assert.equal((await call<{ count: number }>('GET', 'webhooks')).body.result.count, 0, 'nothing was made');
  });

  it('shows the secret once; lists, changes and deletes an endpoint; another tenant sees none of it', async () => {
    const made = await call<{ webhookId: string; secret: string }>('POST', 'webhooks', { url: 'https://hooks.example.com/opencase', eventTypes: ['case.*', 'task.created'], description: 'CRM' });
    assert.equal(made.status, 200);
    const { webhookId, secret } = made.body.result;
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    const shown = await call<Record<string, unknown>>('GET', `webhooks/${webhookId}`);
    assert.deepEqual(Object.keys(shown.body.result).sort(), ['active', 'createdDate', 'cursor', 'description', 'disabledReason', 'eventTypes', 'failures', 'id', 'lastModifiedDate', 'nextAttemptDate', 'url']);
    assert.ok(!JSON.stringify(shown.body).includes(secret.slice(6)), 'the secret is never shown again');
    assert.deepEqual(shown.body.result.eventTypes, ['case.*', 'task.created']);
    const patched = await call<{ eventTypes: string[]; active: boolean }>('PATCH', `webhooks/${webhookId}`, { eventTypes: ['*'], active: false });
    assert.deepEqual([patched.body.result.eventTypes, patched.body.result.active], [['*'], false]);

    const other = await createTenant(testApp.database, { name: 'Other', timeZone: 'UTC', userName: 'Other admin' }, Date.now());
    const otherToken = await fetchToken(testApp.app, other.clientId, other.clientSecret);
    const seen = await testApp.app.inject({ method: 'GET', url: `/opencase/v1/webhooks/${webhookId}`, headers: { 'access-token': otherToken } });
    assert.equal(seen.statusCode, 404);
    assert.equal((await testApp.app.inject({ method: 'GET', url: '/opencase/v1/webhooks', headers: { 'access-token': otherToken } })).json<Envelope<{ count: number }>>().result.count, 0);

    const deleted = await testApp.app.inject({ method: 'DELETE', url: `/opencase/v1/webhooks/${webhookId}`, headers: { 'access-token': token } });
    assert.equal(deleted.json<Envelope<unknown>>().resCode, '0');
    assert.equal((await call('GET', `webhooks/${webhookId}`)).status, 404);
  });

  it('a name that resolves to loopback is not delivered to (checked after resolution), and the log says why', async () => {
    const receiver = await startReceiver();
    const deliverer = new WebhookDeliverer(testApp.database, { retryScheduleSeconds: [60], allowPrivate: false });
    try {
      // Made while private addresses were allowed (by name the check waits for resolution anyway).
      const { webhookId } = (await call<{ webhookId: string }>('POST', 'webhooks', { url: receiver.url.replace('127.0.0.1', 'localhost') })).body.result;
      await testApp.app.inject({ method: 'POST', url: `${AICC}/task/status/update`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: { id: DEMO_TASK_ID, status: 'Processing', creatorId: DEMO_USER.id } });
      await deliverer.tick();
      let log: { deliveries: { lastError: string | null; attempts: number }[] } = { deliveries: [] };
      for (let i = 0; i < 40 && log.deliveries.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        log = (await call<typeof log>('GET', `webhooks/${webhookId}/deliveries`)).body.result;
      }
      assert.equal(receiver.received.length, 0);
      assert.match(log.deliveries[0]?.lastError ?? '', /not delivered: localhost resolves to (127\.0\.0\.1|::1) is a loopback, private, link-local or reserved address/);
      await testApp.app.inject({ method: 'DELETE', url: `/opencase/v1/webhooks/${webhookId}`, headers: { 'access-token': token } });
    } finally {
      await deliverer.close();
      await receiver.close();
    }
  });
});

describe('webhooks: ping, the delivery log, redelivery and a rotated secret', () => {
  let testApp: TestApp;
  let token = '';
  const t = { get app() { return testApp.app; }, get token() { return token; } };
  before(async () => {
    testApp = await startTestApp({ demo: true, env: { OPENCASE_WEBHOOK_ALLOW_PRIVATE: '1' } });
    token = await fetchToken(testApp.app);
  });
  after(() => testApp.close());

  it('ping sends a signed webhook.ping; a change delivered is in the log and is sent again on request with its webhook-id; after a rotation both secrets verify', async () => {
    const receiver = await startReceiver();
    const deliverer = new WebhookDeliverer(testApp.database, { retryScheduleSeconds: [0.05], allowPrivate: true });
    deliverer.start();
    try {
      const { webhookId, secret } = (await callExtension(t, 'POST', 'webhooks', { url: receiver.url })).json<Envelope<{ webhookId: string; secret: string }>>().result;
      const pinged = (await callExtension(t, 'POST', `webhooks/${webhookId}/ping`)).json<Envelope<{ delivered: boolean; status: number; id: string }>>().result;
      assert.deepEqual([pinged.delivered, pinged.status], [true, 200]);
      assert.deepEqual(verified(secret, receiver.received[0]!), { type: 'webhook.ping', timestamp: verified(secret, receiver.received[0]!).timestamp, data: { webhookId } });

      await testApp.app.inject({ method: 'POST', url: `${AICC}/task/status/update`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: { id: DEMO_TASK_ID, status: 'Completed', creatorId: DEMO_USER.id } });
      const [, change] = await receiver.until(2);
      type Log = { count: number; deliveries: { id: string; eventType: string; attempts: number; lastStatus: number; deliveredDate: string | null }[] };
      const readLog = async () => (await callExtension(t, 'GET', `webhooks/${webhookId}/deliveries`)).json<Envelope<Log>>().result;
      // The attempt is written once its answer is read, a moment after the receiver has the request.
      let log = await readLog();
      for (let i = 0; i < 40 && (log.count < 2 || log.deliveries[0]?.deliveredDate === null); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        log = await readLog();
      }
      assert.equal(log.count, 2);
      const delivered = log.deliveries[0]!;
      assert.deepEqual([delivered.id, delivered.eventType, delivered.attempts, delivered.lastStatus], [change!.headers['webhook-id'], 'task.status_changed', 1, 200]);
      assert.match(delivered.deliveredDate ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

      const rotated = (await callExtension(t, 'POST', `webhooks/${webhookId}/rotate-secret`)).json<Envelope<{ secret: string }>>().result;
      const again = (await callExtension(t, 'POST', `webhooks/${webhookId}/deliveries/${delivered.id}/redeliver`)).json<Envelope<{ delivered: boolean; id: string }>>().result;
      assert.deepEqual([again.delivered, again.id], [true, delivered.id]);
      const resent = receiver.received[2]!;
      assert.equal(resent.headers['webhook-id'], change!.headers['webhook-id']);
      assert.equal(resent.body, change!.body, 'the same event');
      // Signed with both: a receiver still on the old secret and one already on the new both verify.
      assert.equal(verified(rotated.secret, resent).type, 'task.status_changed');
      assert.equal(verified(secret, resent).type, 'task.status_changed');
      assert.equal(String(resent.headers['webhook-signature']).split(' ').length, 2);
      const after = (await callExtension(t, 'GET', `webhooks/${webhookId}/deliveries`)).json<Envelope<{ deliveries: { id: string; attempts: number }[] }>>().result;
      assert.equal(after.deliveries.find((row) => row.id === delivered.id)?.attempts, 2);

      const unknown = await callExtension(t, 'POST', `webhooks/${webhookId}/deliveries/msg_${webhookId}_999999/redeliver`);
      assert.equal(unknown.statusCode, 404);
    } finally {
      await deliverer.close();
      await receiver.close();
    }
  });
});
