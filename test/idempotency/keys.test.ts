import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestCommitWork } from '../../src/db/request-commit.js';
import { DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createIdempotencyRepository } from '../../src/idempotency/repository.js';
import { ABANDONED_AFTER_MS, claimKey, KEY_LIFETIME_MS } from '../../src/idempotency/service.js';
import { fetchTokenOverHttp, startCliServer } from '../cli-helpers.js';
import { createUser } from '../../src/users/service.js';
import { AICC, assertErrorEnvelope, useTestApp } from '../helpers.js';

type Json = Record<string, unknown>;

describe('Idempotency-Key: a retried write gets its first reply again, byte for byte, and the work is done once', () => {
  const t = useTestApp();
  let counter = 0;

  const caseBody = (title: string, contactId: string = DEMO_CONTACT.id) => ({
    caseInfo: { title, description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId, creatorId: DEMO_USER.id },
  });
  const send = (url: string, body: Json, key?: string) => t.app.inject({
    method: 'POST', url, payload: JSON.stringify(body),
    headers: { 'access-token': t.token, 'content-type': 'application/json', ...(key !== undefined && { 'idempotency-key': key }) },
  });
  const casesTitled = async (title: string) => (await t.database.db.selectFrom('cases').select('id').where('title', '=', title).execute()).length;
  const fresh = (what: string) => `${what}-${Date.now()}-${++counter}`;

  it('a repeat with the same key and body is the first reply, byte for byte, marked replayed; nothing is done again', async () => {
    const key = fresh('key');
    const title = fresh('once');
    const first = await send(`${AICC}/case`, caseBody(title), key);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const tracesBefore = await t.database.db.selectFrom('case_traces').select('id').execute();
    const again = await send(`${AICC}/case`, caseBody(title), key);
    assert.equal(again.statusCode, 200);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['content-type'], first.headers['content-type']);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(await casesTitled(title), 1);
    assert.equal((await t.database.db.selectFrom('case_traces').select('id').execute()).length, tracesBefore.length);
    // Without a key, the same body is a second case: keys are the client's to send.
    assert.equal((await send(`${AICC}/case`, caseBody(title))).statusCode, 200);
    assert.equal(await casesTitled(title), 2);
  });

  it('the same key with another body, or on another record of the route, is a 409002 and does nothing; on another route it is a key of its own', async () => {
    const key = fresh('key');
    const title = fresh('first');
    assert.equal((await send(`${AICC}/case`, caseBody(title), key)).statusCode, 200);
    const other = await send(`${AICC}/case`, caseBody(`${title}-changed`), key);
    assert.equal(other.statusCode, 409, other.body);
    const refusal = assertErrorEnvelope(other.body);
    assert.equal(refusal.resCode, '409002');
    assert.match(refusal.resMsg, /Idempotency-Key .* was sent within 24 hours with another request to POST \/service\/AICC__Case\/1\.0\.0\/openapi\/case; nothing was done/);
    assert.equal(await casesTitled(`${title}-changed`), 0);

    const caseId = (JSON.parse((await send(`${AICC}/case`, caseBody(fresh('followed')))).body) as { result: { caseId: string } }).result.caseId;
    const secondId = (JSON.parse((await send(`${AICC}/case`, caseBody(fresh('followed')))).body) as { result: { caseId: string } }).result.caseId;
    const followKey = fresh('follow');
    assert.equal((await send(`/opencase/v1/cases/${caseId}/follow`, {}, followKey)).statusCode, 200);
    const elsewhere = await send(`/opencase/v1/cases/${secondId}/follow`, {}, followKey);
    assert.equal(elsewhere.statusCode, 409, 'one key, one record');
    // The key of the case create is free on another route.
    assert.equal((await send(`/opencase/v1/cases/${caseId}/unfollow`, {}, key)).statusCode, 200);
  });

  it('ten concurrent calls with one key do the work once, and all get the same reply', async () => {
    const key = fresh('key');
    const title = fresh('concurrent');
    const replies = await Promise.all(Array.from({ length: 10 }, () => send(`${AICC}/case`, caseBody(title), key)));
    for (const reply of replies) assert.equal(reply.statusCode, 200, reply.body);
    assert.equal(new Set(replies.map((reply) => reply.body)).size, 1);
    assert.equal(await casesTitled(title), 1);
    assert.equal(replies.filter((reply) => reply.headers['idempotent-replayed'] === 'true').length, 9);
  });

  it('a refusal is a reply too: kept and sent again, even once the request would succeed', async () => {
    const key = fresh('key');
    const title = fresh('refused');
    const missingContact = 'c6m8NOPE000000000000';
    const refused = await send(`${AICC}/case`, caseBody(title, missingContact), key);
    assert.equal(refused.statusCode, 400, refused.body);
    const again = await send(`${AICC}/case`, caseBody(title, missingContact), key);
    assert.equal(again.body, refused.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
  });

  it('a key is kept 24 hours: after that it is a new key', async () => {
    const key = fresh('key');
    const title = fresh('day');
    assert.equal((await send(`${AICC}/case`, caseBody(title), key)).statusCode, 200);
    t.now.value += KEY_LIFETIME_MS + 1_000;
    const later = await send(`${AICC}/case`, caseBody(`${title}-later`), key);
    assert.equal(later.statusCode, 200, later.body);
    assert.equal(later.headers['idempotent-replayed'], undefined);
    assert.equal(await casesTitled(`${title}-later`), 1);
  });

  it('refuses a key that is not 1 to 255 visible ASCII characters, naming the header', async () => {
    for (const key of ['x'.repeat(256), 'has space', 'ключ']) {
      const reply = await t.app.inject({
        method: 'POST', url: `${AICC}/case`, payload: JSON.stringify(caseBody(fresh('bad-key'))),
        headers: { 'access-token': t.token, 'content-type': 'application/json', 'idempotency-key': encodeURIComponent(key) === key ? key : Buffer.from(key).toString('latin1') },
      });
      assert.equal(reply.statusCode, 400, reply.body);
      assert.match(assertErrorEnvelope(reply.body).resMsg, /Idempotency-Key must be 1 to 255 visible ASCII characters/);
    }
  });

  it('keeps the reply in the database: another process, started after the first call, answers the repeat without doing it again', async () => {
    const key = fresh('key');
    const title = fresh('restart');
    const first = await send(`${AICC}/case`, caseBody(title), key);
    const server = await startCliServer(['--db', t.dbLocation]);
    try {
      const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const again = await fetch(`${server.url}${AICC}/case`, {
        method: 'POST', body: JSON.stringify(caseBody(title)), headers: { 'access-token': token, 'content-type': 'application/json', 'idempotency-key': key },
      });
      assert.equal(again.status, 200);
      assert.equal(await again.text(), first.body);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(await casesTitled(title), 1);
    } finally {
      await server.stop();
    }
  });

  it('a call that died before its change committed is taken over later; one that died after it is never done twice', async () => {
    const request = (key: string) => ({ tenantId: DEMO_TENANT.id, key, route: 'POST /test', requestHash: 'h' });
    const now = t.now.value;
    const uncommitted = request(fresh('key'));
    assert.deepEqual(await claimKey(t.database, uncommitted, now), { outcome: 'owned' });
    assert.deepEqual(await claimKey(t.database, uncommitted, now + 1_000), { outcome: 'busy' }, 'a live call is waited for');
    assert.deepEqual(await claimKey(t.database, uncommitted, now + ABANDONED_AFTER_MS + 1_000), { outcome: 'owned' }, 'abandoned before its change');

    const committed = request(fresh('key'));
    assert.deepEqual(await claimKey(t.database, committed, now), { outcome: 'owned' });
    // The work's own transaction marks the key, as the handler's change would (db/request-commit.ts).
    await requestCommitWork.run((tx) => createIdempotencyRepository(tx).markCommitted(committed), () => t.database.transaction(async () => undefined));
    assert.deepEqual(await claimKey(t.database, committed, now + ABANDONED_AFTER_MS + 1_000), { outcome: 'busy' }, 'its change committed: never done again');
  });

  it('each change runs its own request\'s commit work, inside its own transaction, when group commit runs many together', async () => {
    const ran: string[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, n) => requestCommitWork.run(
      async () => { ran.push(`mark ${n}`); },
      () => t.database.transaction(async () => { ran.push(`work ${n}`); }),
    )));
    for (let n = 0; n < 20; n++) {
      assert.equal(ran.filter((entry) => entry === `mark ${n}`).length, 1, `change ${n}'s work was marked ${ran.filter((entry) => entry === `mark ${n}`).length} times`);
      assert.ok(ran.indexOf(`work ${n}`) < ran.indexOf(`mark ${n}`));
    }
  });
});

describe('Idempotency-Key on a reply that holds a secret shown once (a set-password link)', () => {
  const t = useTestApp();
  it('does the work once and never keeps the secret: a repeat is told it was done', async () => {
    const now = Date.now();
    const { userId } = await createUser(t.database, DEMO_TENANT.id, { name: 'Linked', login: `linked.${now}` }, now);
    const ask = () => t.app.inject({ method: 'POST', url: `/opencase/v1/users/${userId}/password-link`, headers: { 'access-token': t.token, 'idempotency-key': `link-${now}` } });
    const first = await ask();
    assert.equal(first.statusCode, 200, first.body);
    const token = (first.json() as { result: { token: string } }).result.token;
    const kept = await t.database.db.selectFrom('idempotency_keys').select('reply_body').where('key', '=', `link-${now}`).executeTakeFirstOrThrow();
    assert.ok(!(kept.reply_body ?? '').includes(token), 'the token is not stored with the key');
    const again = await ask();
    assert.equal(again.statusCode, 409);
    const refusal = assertErrorEnvelope(again.body);
    assert.equal(refusal.resCode, '409003');
    assert.match(refusal.resMsg, /its reply held a secret shown once, which is not kept: ask for a new one/);
    assert.equal((await t.database.db.selectFrom('password_links').select('token_hash').where('user_id', '=', userId).execute()).length, 1, 'one link was made');
  });
});
