import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OpencaseClient, OpencaseError } from 'opencase/client';
import { revokeToken } from '../../src/auth/service.js';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { TOKEN_PATH } from '../../src/wire/paths.js';
import { taskDetailExample, useTestApp } from '../helpers.js';
import { createUser } from '../../src/users/service.js';

const example = taskDetailExample();

/** The real fetch, counting the token calls it carries. */
function countingFetch() {
  const calls = { token: 0, all: 0 };
  const fetch: typeof globalThis.fetch = (input, init) => {
    calls.all += 1;
    if (String(input).endsWith(TOKEN_PATH)) calls.token += 1;
    return globalThis.fetch(input, init);
  };
  return { calls, fetch };
}

describe('OpencaseClient against a live server', () => {
  const t = useTestApp({ env: { OPENCASE_TOKEN_TTL: '60' } });
  let baseUrl: string;
  before(async () => { baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 }); });
  const clientWith = (options: Partial<ConstructorParameters<typeof OpencaseClient>[0]> = {}) =>
    new OpencaseClient({ baseUrl, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, ...options });

  it('fetches a token once for many calls and returns the documentation\'s task detail', async () => {
    const { calls, fetch } = countingFetch();
    const client = clientWith({ fetch });
    const details = await Promise.all([1, 2, 3].map(() => client.tasks.get(DEMO_TASK_ID)));
    for (const detail of details) assert.deepEqual(detail, example.result);
    assert.equal(calls.token, 1, 'concurrent calls share one token call');
    const token = await client.token();
    assert.ok(token.expiresAt.getTime() > Date.now() + 50_000);
    // AICC's English pages ask for it by POST with the id in the body.
    assert.deepEqual(await clientWith({ taskDetailMethod: 'POST' }).tasks.get(DEMO_TASK_ID), example.result);
  });

  it('renews the token before it expires, and again at once when the server revokes it', async () => {
    const { calls, fetch } = countingFetch();
    // The server's tokens live 60 s; renewing 59.7 s early means after 0.3 s.
    const client = clientWith({ fetch, refreshMarginMs: 59_700 });
    const first = await client.token();
    await client.tasks.get(DEMO_TASK_ID);
    assert.equal((await client.token()).accessToken, first.accessToken);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await client.tasks.get(DEMO_TASK_ID);
    const second = await client.token();
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal(calls.token, 2);

    await revokeToken(t.database, second.accessToken, Date.now());
    assert.deepEqual(await client.tasks.get(DEMO_TASK_ID), example.result);
    assert.notEqual((await client.token()).accessToken, second.accessToken);
    assert.equal(calls.token, 3);
  });

  it('creates, changes and lists through the typed calls, and listAll pages past the 100-row limit', async () => {
    const client = clientWith();
    const creatorId = DEMO_USER.id;
    const title = `client-listAll-${Date.now()}`;
    const created = await Promise.all(Array.from({ length: 130 }, (_, index) => client.tasks.create({
      taskInfo: { title: `${title} ${index}`, ownerId: creatorId, creatorId, priority: 'Low', description: 'from the client test' },
    })));
    await client.tasks.updateStatus({ id: created[0]!.taskId, creatorId, status: 'Processing' });
    assert.equal((await client.tasks.get(created[0]!.taskId)).taskInfo.status, 'Processing');

    const page = await client.tasks.list({ start: 0, limit: 10, creatorId, title });
    assert.equal(page.count, 130);
    assert.equal(page.taskList.length, 10);
    const all: string[] = [];
    for await (const task of client.tasks.listAll({ creatorId, title })) all.push(task.taskId);
    assert.deepEqual([...all].sort(), created.map((task) => task.taskId).sort());

    const cases = await client.cases.list({ start: 0, limit: 5 });
    assert.ok(cases.count >= 1 && cases.caseList.length >= 1);
    const detail = await client.cases.get(DEMO_CASE.id);
    assert.equal(detail.caseInfo.id, DEMO_CASE.id);
  });

  it('manages webhooks typed: create (the secret once), list, get, update, ping, the delivery log, rotate, delete', async () => {
    const client = clientWith();
    // A receiver on loopback is refused here (the test app does not allow private addresses): ping records why.
    const { webhookId, secret } = await client.webhooks.create({ url: 'https://hooks.example.invalid/opencase', eventTypes: ['case.*'] });
    assert.match(secret, /^whsec_/);
    assert.ok((await client.webhooks.list()).webhooks.some((item) => item.id === webhookId));
    const updated = await client.webhooks.update(webhookId, { description: 'CRM', active: false });
    assert.deepEqual([updated.description, updated.active, (await client.webhooks.get(webhookId)).eventTypes], ['CRM', false, ['case.*']]);
    const pinged = await client.webhooks.ping(webhookId);
    assert.equal(pinged.delivered, false);
    assert.ok(pinged.error);
    const log = await client.webhooks.deliveries(webhookId);
    assert.deepEqual([log.count, log.deliveries[0]?.id, log.deliveries[0]?.eventType], [1, pinged.id, 'webhook.ping']);
    const rotated = await client.webhooks.rotateSecret(webhookId);
    assert.notEqual(rotated.secret, secret);
    await client.webhooks.delete(webhookId);
    await assert.rejects(client.webhooks.get(webhookId), (error: unknown) => error instanceof OpencaseError && error.httpStatus === 404);
  });

  it('calls opencase\'s extensions typed too: contacts, users, queues, following, suspending, and the change feed', async () => {
    const client = clientWith();
    const { contactId } = await client.contacts.create({ customerName: 'Client Test 客户', cellPhone1: '13800000000' });
    await client.contacts.update(contactId, { email: 'client@example.com' });
    const contact = await client.contacts.get(contactId);
    assert.equal(contact.customerInfo.email, 'client@example.com');
    const found = await client.contacts.list({ customerName: 'Client Test', limit: 5 });
    assert.deepEqual(found.contacts.map((item) => item.id), [contactId]);

    const { userId } = await client.users.create({ name: 'client-test-agent' });
    assert.ok((await client.users.list({ limit: 100 })).users.some((item) => item.id === userId));
    const { queueId } = await client.queues.create({ name: 'client-test-queue' });
    assert.ok((await client.queues.list()).queues.some((item) => item.id === queueId));
    await client.users.update(userId, { login: 'client.test.agent', role: 'supervisor' });
    assert.deepEqual((({ login, role, status }) => ({ login, role, status }))(await client.users.get(userId)), { login: 'client.test.agent', role: 'supervisor', status: 'active' });
    assert.equal((await client.users.passwordLink(userId)).expiresIn, 86_400);
    await client.queues.addMember(queueId, userId);
    assert.deepEqual((await client.queues.members(queueId)).members.map((member) => member.id), [userId]);
    await client.queues.removeMember(queueId, userId);
    assert.equal((await client.queues.members(queueId)).count, 0);

    // A case of its own: the demo case must stay as the documentation shows it for the other tests.
    const { caseId } = await client.cases.create({ caseInfo: { title: 'Client test', description: 'Follow and suspend', type: DEMO_CASE_TYPE.id, isAtuoAssigned: true, contactId } });
    await client.cases.follow(caseId);
    assert.equal((await client.cases.get(caseId)).isFollower, true);
    await client.cases.unfollow(caseId);
    assert.equal((await client.cases.get(caseId)).isFollower, false);
    await client.cases.suspend(caseId, { remark: 'waiting' });
    await client.cases.resume(caseId);

    // The feed from the start holds every change, in order, with nothing repeated, across its 100-row pages.
    const feed: string[] = [];
    for await (const trace of client.traces.listAll()) feed.push(trace.id);
    assert.equal(new Set(feed).size, feed.length);
    assert.ok(feed.length > 100, `${feed.length} traces: the 130 tasks created above`);
    const [last] = (await client.traces.list({ after: 0, limit: 1 })).traces;
    assert.equal(last?.id, feed[0]);
  });

  it('follows the change feed live: each change once, in order, with the token in a header; it ends when aborted', async () => {
    const client = clientWith();
    const abort = new AbortController();
    const received: Array<{ seq: number; type: string; objectId: string }> = [];
    let latest = 0;
    for await (const entry of client.traces.listAll()) latest = entry.seq;
    const following = (async () => {
      for await (const entry of client.changes({ after: latest, signal: abort.signal })) {
        received.push({ seq: entry.seq, type: entry.type, objectId: entry.objectId });
        if (received.length === 2) abort.abort();
      }
    })();
    const { taskId } = await client.tasks.create({ taskInfo: { title: 'live', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
    await client.tasks.updateStatus({ id: taskId, status: 'Processing', creatorId: DEMO_USER.id });
    await following;
    assert.deepEqual(received, [{ seq: latest + 1, type: 'CreateTask', objectId: taskId }, { seq: latest + 2, type: 'StatusUpdate', objectId: taskId }]);
  });

  it('reaches every AICC call at the path AICC documents (each change seen in the detail or the trace)', async () => {
    const client = clientWith();
    const creatorId = DEMO_USER.id;
    const { caseId } = await client.cases.create({ caseInfo: { title: 'Every call', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: true, contactId: DEMO_CONTACT.id } });
    const { taskId } = await client.tasks.create({ taskInfo: { title: 'Every call', ownerId: creatorId, creatorId, type: 'Case', relateId: caseId } });

    await client.tasks.modify({ taskInfo: { id: taskId, title: 'Every call, modified', creatorId } });
    const { userId: colleague } = await client.users.create({ name: 'colleague' });
    await client.tasks.transfer({ id: taskId, ownerId: colleague, creatorId });
    await client.tasks.process({ taskId, creatorId, processInfo: { type: 'Iternal', title: 'Processed', description: 'by the client' } });
    const task = await client.tasks.get(taskId);
    assert.equal(task.taskInfo.title, 'Every call, modified');
    assert.equal(task.taskInfo.ownerId, colleague);
    assert.deepEqual(task.taskTrace.map((entry) => entry.type), ['CreateTask', 'ModifyTask', 'TransferTask', 'ProcessTask']);
    assert.equal(task.caseInfos[0]?.id, caseId);

    await client.cases.modify({ caseInfo: { id: caseId, title: 'Every call, modified', description: 'd2', creatorId } });
    await client.cases.transfer({ id: caseId, ownerId: colleague, creatorId, remark: 'yours' });
    await client.cases.process({ caseId, creatorId, processInfo: { type: 'Iternal', title: 'Note', description: 'n' } });
    await client.cases.updateStatus({ id: caseId, status: 'Completed', creatorId });
    await client.cases.cancel({ id: caseId, creatorId, remark: 'done with it' });
    const detail = await client.cases.get(caseId);
    assert.equal(detail.caseInfo.title, 'Every call, modified');
    assert.equal(detail.caseInfo.status, 'Completed');
    assert.equal(detail.caseInfo.ownerId, colleague);
    assert.deepEqual(detail.tasks.map((item) => item.id), [taskId]);
    assert.ok(detail.caseTrace.length >= 5, JSON.stringify(detail.caseTrace.map((entry) => entry.type)));

    // 关闭工单 at the flow's end (a second case: the first is cancelled), then opencase's reopen.
    const { caseId: toClose } = await client.cases.create({ caseInfo: { title: 'Close me', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: true, contactId: DEMO_CONTACT.id } });
    await client.cases.updateStatus({ id: toClose, status: 'Completed', creatorId });
    await client.cases.close({ caseId: toClose, creatorId, remark: 'solved' });
    assert.equal((await client.cases.get(toClose)).caseTrace.at(-1)?.type, 'CloseCase');
    await client.cases.reopen(toClose, { remark: 'again' });
    assert.equal((await client.cases.get(toClose)).caseInfo.state, 'Processing');

    const types = await client.caseTypes.list({ start: 0, limit: 10 });
    assert.ok(types.caseTypes.some((item) => item.id === DEMO_CASE_TYPE.id));
    const { caseTypeId } = await client.caseTypes.create({ typeName: 'Client type', caseStatus: 'Open,Completed' });
    await client.caseTypes.update(caseTypeId, { description: 'made by the client' });
    assert.equal((await client.caseTypes.get(caseTypeId)).caseTypeInfo.description, 'made by the client');

    // A template's fields travel through the AICC calls beside the documented ones.
    const { templateId } = await client.caseTemplates.create({ name: 'Client template', fields: [{ name: 'AICC__model__CST', type: 'select', options: ['A', 'B'] }] });
    await client.caseTypes.update(caseTypeId, { templateId });
    assert.equal((await client.caseTemplates.get(templateId)).fields[0]?.name, 'AICC__model__CST');
    assert.equal((await client.caseTemplates.list()).count, 1);
    const withField = await client.cases.create({ caseInfo: { title: 'Templated', description: 'd', type: caseTypeId, isAtuoAssigned: true, contactId: DEMO_CONTACT.id, AICC__model__CST: 'B' } });
    assert.equal((await client.cases.get(withField.caseId)).caseInfo.AICC__model__CST, 'B');
    assert.equal((await client.cases.list({ start: 0, limit: 10, AICC__model__CST: 'B' })).count, 1);
    await client.caseTemplates.update(templateId, { description: 'changed' });
    assert.equal((await client.caseTemplates.get(templateId)).description, 'changed');
  });

  it('throws one typed error carrying resCode, resMsg and the HTTP status', async () => {
    const client = clientWith();
    const missing = await client.tasks.get('ccqG0000000000000000').catch((error: unknown) => error);
    assert.ok(missing instanceof OpencaseError);
    assert.equal(missing.httpStatus, 404);
    assert.match(missing.resCode, /^404\d{3}$/);
    assert.ok(missing.resMsg.length > 0);

    const invalid = await client.tasks.list({ start: 0, limit: 1000, creatorId: DEMO_USER.id }).catch((error: unknown) => error);
    assert.ok(invalid instanceof OpencaseError);
    assert.equal(invalid.httpStatus, 400);
    assert.match(invalid.resMsg, /limit/);

    const refused = await clientWith({ clientSecret: 'wrong' }).tasks.get(DEMO_TASK_ID).catch((error: unknown) => error);
    assert.ok(refused instanceof OpencaseError);
    assert.equal(refused.resCode, 'invalid_client');
    assert.equal(refused.httpStatus, 401);

    // Port 9 is one fetch refuses to call: no reply, and the reason.
    const unreachable = await new OpencaseClient({ baseUrl: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y' }).token().catch((error: unknown) => error);
    assert.ok(unreachable instanceof OpencaseError);
    assert.equal(unreachable.httpStatus, 0);
    assert.equal(unreachable.message, 'no reply from http://127.0.0.1:9/baas/auth/v1.0/oauth2/token: bad port');
  });

  it('waits out a 503 for as long as Retry-After says, then succeeds', async () => {
    const { calls, fetch } = countingFetch();
    const client = clientWith({ fetch });
    await client.token();
    t.app.readiness.ready = false;
    t.app.readiness.reason = 'a test holds it';
    const startedAt = Date.now();
    setTimeout(() => { t.app.readiness.ready = true; }, 300);
    try {
      assert.deepEqual(await client.tasks.get(DEMO_TASK_ID), example.result);
    } finally {
      t.app.readiness.ready = true;
    }
    // The server's 503 says Retry-After: 1.
    assert.ok(Date.now() - startedAt >= 950, `waited ${Date.now() - startedAt} ms`);
    assert.equal(calls.all, 3, 'token, the refused call, the call again');

    t.app.readiness.ready = false;
    try {
      const refused = await clientWith({ maxRetries: 0 }).tasks.get(DEMO_TASK_ID).catch((error: unknown) => error);
      assert.ok(refused instanceof OpencaseError);
      assert.equal(refused.httpStatus, 503);
    } finally {
      t.app.readiness.ready = true;
    }
  });
});

describe('OpencaseClient and the rate limit', () => {
  const t = useTestApp({ env: { OPENCASE_RATE_LIMIT: '2' } });
  it('throws the 429 at once when Retry-After is longer than it may wait', async () => {
    const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const client = new OpencaseClient({ baseUrl, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, maxRetryDelayMs: 5_000 });
    const startedAt = Date.now();
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => client.tasks.get(DEMO_TASK_ID).then(() => 'ok', (error: unknown) => error)));
    const refused = outcomes.filter((outcome) => outcome instanceof OpencaseError);
    assert.ok(refused.length >= 2, 'a limit of 2 a minute lets at most 2 through');
    for (const error of refused) {
      assert.equal(error.httpStatus, 429);
      assert.equal(error.resCode, '429001');
    }
    assert.ok(Date.now() - startedAt < 5_000, 'did not wait out the minute');
  });
});

/**
 * The real fetch with a cookie jar of one cookie, as a browser keeps the refresh cookie of a same-origin sign-in: it
 * stores what Set-Cookie says and sends it back.
 */
function browserLikeFetch() {
  const jar = { cookie: '' };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.cookie) headers.set('cookie', jar.cookie);
    const response = await globalThis.fetch(input, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set) {
      const [pair = ''] = set.split(';');
      jar.cookie = pair.endsWith('=') ? '' : pair;
    }
    return response;
  };
  return { jar, fetch };
}

describe('OpencaseClient signed in as a person (session mode, as the console uses it)', () => {
  const t = useTestApp({ env: { OPENCASE_SESSION_TOKEN_TTL: '60' } });
  let baseUrl: string;
  let userId: string;
  before(async () => {
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    ({ userId } = await createUser(t.database, DEMO_TENANT.id, { name: 'Console User', login: 'console.user', role: 'agent', password: 'console passphrase' }, Date.now()));
  });

  it('signs in, acts as its user, renews its token with the refresh cookie when the server refuses it, and signs out', async () => {
    const { jar, fetch } = browserLikeFetch();
    const client = new OpencaseClient({ baseUrl, session: true, fetch });
    const signedIn = await client.signIn({ login: 'console.user', password: 'console passphrase' });
    assert.deepEqual([signedIn.userId, signedIn.role, signedIn.expiresIn], [userId, 'agent', 60]);
    assert.match(jar.cookie, /^opencase_refresh=/);
    assert.deepEqual(client.signedIn, { userId, role: 'agent' });
    // A page opened later holds only the cookie: its first call refreshes, and then knows who it is.
    const reopened = new OpencaseClient({ baseUrl, session: true, fetch });
    await reopened.token();
    assert.deepEqual(reopened.signedIn, { userId, role: 'agent' });
    const { taskId } = await client.tasks.create({ taskInfo: { title: 'from the console', ownerId: userId } });
    assert.equal((await client.tasks.get(taskId)).taskInfo.creatorId, userId, 'a session acts as its user, with creatorId left out');

    // The token ends (its minute passes on the server's clock): the next call renews it through the cookie, once.
    const before = (await client.token()).accessToken;
    const cookie = jar.cookie;
    t.now.value += 61_000;
    assert.equal((await client.tasks.get(taskId)).taskInfo.id, taskId);
    assert.notEqual((await client.token()).accessToken, before);
    assert.notEqual(jar.cookie, cookie, 'the refresh cookie was rotated');

    await client.signOut();
    assert.equal(jar.cookie, '', 'signing out clears the cookie');
    await assert.rejects(client.tasks.get(taskId), (error: unknown) => error instanceof OpencaseError && error.resCode === '401004');
    await assert.rejects(new OpencaseClient({ baseUrl, clientId: 'x', clientSecret: 'y' }).signIn({ login: 'a', password: 'b' }), /signIn is for a client made with \{session: true\}/);
  });
});


describe('OpencaseClient: writes carry an Idempotency-Key; which failures it sends a write again after', () => {
  const t = useTestApp();
  let baseUrl: string;
  before(async () => { baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 }); });
  const newCase = (title: string) => ({
    caseInfo: { title, description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId: DEMO_CONTACT.id, creatorId: DEMO_USER.id },
  });
  const casesTitled = async (title: string) => (await t.database.db.selectFrom('cases').select('id').where('title', '=', title).execute()).length;
  const isCreate = (input: Parameters<typeof globalThis.fetch>[0]) => String(input).endsWith('/openapi/case');

  it('against opencase, a write whose reply was lost is sent again with its key: the first reply, one case', async () => {
    const keys: string[] = [];
    let lost = 0;
    // The first create reaches the server, which makes the case; its reply is lost on the way back.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (isCreate(input)) keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
      const response = await globalThis.fetch(input, init);
      if (isCreate(input) && lost++ === 0) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return response;
    };
    const client = new OpencaseClient({ baseUrl, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, fetch });
    const title = `lost reply ${Date.now()}`;
    const { caseId } = await client.cases.create(newCase(title));
    assert.equal(keys.length, 2);
    assert.match(keys[0] ?? '', /^[0-9a-f-]{32,36}$/);
    assert.equal(keys[1], keys[0], 'the retry carries the same key');
    assert.equal(await casesTitled(title), 1);
    assert.ok(caseId);
    // Each write has a key of its own.
    await client.cases.create(newCase(`${title} 2`));
    assert.notEqual(keys.at(-1), keys[0]);
  });

  it('against a server that keeps no keys, a write is sent again after a 429 only; a read after a 503 too', async () => {
    const calls: string[] = [];
    let refusals = { create: 0, list: 0 };
    // Another server: opencase's replies without its "keeps keys" header, and a 503 or a 429 for the first attempts.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const path = new URL(String(input)).pathname;
      calls.push(path);
      const refuse = (status: number) => new Response(JSON.stringify({ resCode: `${status}001`, resMsg: 'busy' }), { status, headers: { 'retry-after': '0', 'content-type': 'application/json' } });
      if (path.endsWith('/openapi/case') && refusals.create > 0) { refusals.create--; return refuse(calls.includes('429') ? 429 : 503); }
      if (path.endsWith('/case/list') && refusals.list > 0) { refusals.list--; return refuse(503); }
      const response = await globalThis.fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('idempotency-keys-kept');
      return new Response(await response.arrayBuffer(), { status: response.status, headers });
    };
    const client = new OpencaseClient({ baseUrl, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, fetch });
    const title = `no keys ${Date.now()}`;
    refusals = { create: 1, list: 1 };
    const refused = await client.cases.create(newCase(title)).catch((error: unknown) => error);
    assert.ok(refused instanceof OpencaseError);
    assert.equal(refused.httpStatus, 503, 'a write is not sent again after a 503: it might be done twice');
    assert.equal(calls.filter((path) => path.endsWith('/openapi/case')).length, 1);
    assert.ok(await client.cases.list({ start: 0, limit: 1 }), 'a read is sent again after its 503');
    assert.equal(calls.filter((path) => path.endsWith('/case/list')).length, 2);

    calls.push('429');
    refusals = { create: 1, list: 0 };
    await client.cases.create(newCase(title));
    assert.equal(calls.filter((path) => path.endsWith('/openapi/case')).length, 3, 'after a 429 (nothing was done) it is sent again');
    assert.equal(await casesTitled(title), 1);
  });
});
