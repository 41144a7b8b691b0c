import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REPLY_LIMIT } from '../../src/config.js';
import { DEMO_USER } from '../../src/demo/records.js';
import { PARTIAL_HEADER } from '../../src/lists/reply-bound.js';
import { TASK_PATH, useTestApp } from '../helpers.js';

/**
 * Rows written before bindAccount had a bound (up to the body limit each) are still read as they are: the bounds make
 * new ones impossible, and the reply limit keeps a list of them from being built whole.
 */
describe('contacts stored before the bounds', () => {
  const t = useTestApp();
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => t.app.inject({
    method, url, headers: { 'access-token': t.token }, ...(payload !== undefined && { payload: payload as object }),
  });

  it('are listed alone on their page, which says so, and shown whole in task detail; a change of them is bounded again', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await call('POST', '/opencase/v1/contacts', { customerName: `old ${i}` })).json<{ result: { contactId: string } }>().result.contactId);
    const [, old] = ids as [string, string, string];
    // As the store holds a row of before the bounds: 2 MB of accounts, written by SQL as no request can write it now.
    const accounts = Array.from({ length: 50 }, (_, i) => ({ channel: 'WEB', account: `${i}`.padEnd(40_000, 'x') }));
    await t.database.db.updateTable('contacts').set({ bind_accounts_json: JSON.stringify(accounts) }).where('id', '=', old).execute();

    const seen: string[] = [];
    let count = Infinity;
    for (let start = 0; start < count;) {
      const response = await call('GET', `/opencase/v1/contacts?start=${start}&limit=100`);
      assert.equal(response.statusCode, 200);
      const page = response.json<{ result: { contacts: Array<{ id: string; bindAccount: unknown[] }>; count: number } }>().result;
      count = page.count;
      const partial = response.headers[PARTIAL_HEADER];
      if (page.contacts.some((contact) => contact.id === old)) {
        assert.equal(page.contacts.length, 1, 'the old row is alone on its page');
        assert.deepEqual(page.contacts[0]?.bindAccount, accounts);
      } else {
        assert.ok(response.rawPayload.length <= DEFAULT_REPLY_LIMIT);
      }
      if (start + page.contacts.length < count) assert.match(String(partial), new RegExp(`continue at start=${start + page.contacts.length}$`));
      else assert.equal(partial, undefined);
      seen.push(...page.contacts.map((contact) => contact.id));
      start += page.contacts.length;
    }
    for (const id of ids) assert.ok(seen.includes(id));
    assert.equal(seen.length, count);

    const task = await call('POST', TASK_PATH, { taskInfo: { title: 'call back', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, contactId: old } });
    const detail = await call('GET', `${TASK_PATH}/${task.json<{ result: { taskId: string } }>().result.taskId}`);
    assert.equal(detail.statusCode, 200);
    assert.deepEqual(detail.json<{ result: { customerInfo: { customerInfo: { bindAccount: unknown[] } } } }>().result.customerInfo.customerInfo.bindAccount, accounts);

    // A change of another field keeps the accounts as they are; new accounts are held to the bounds.
    assert.equal((await call('PATCH', `/opencase/v1/contacts/${old}`, { email: 'old@example.com' })).statusCode, 200);
    assert.equal((await call('PATCH', `/opencase/v1/contacts/${old}`, { bindAccount: accounts.slice(0, 10) })).statusCode, 400);
    assert.equal((await call('PATCH', `/opencase/v1/contacts/${old}`, { bindAccount: [{ channel: 'WEB', account: 'b1' }] })).statusCode, 200);
    const now = await call('GET', `/opencase/v1/contacts/${old}`);
    assert.deepEqual(now.json<{ result: { customerInfo: { bindAccount: unknown[]; email: string } } }>().result.customerInfo, {
      ...now.json<{ result: { customerInfo: object } }>().result.customerInfo, bindAccount: [{ channel: 'WEB', account: 'b1' }], email: 'old@example.com',
    });
  });
});

describe('a contact list page past the reply limit', () => {
  const t = useTestApp();
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({
    method, url, headers: { 'access-token': t.token }, ...(payload !== undefined && { payload: payload as object }),
  });

  it('reads no more of the stored rows than one reply holds: the older rows are sized, not read', async () => {
    const made = async (customerName: string) => (await call('POST', '/opencase/v1/contacts', { customerName })).json<{ result: { contactId: string } }>().result.contactId;
    const older = await made('older');
    t.now.value += 1000;
    const newer = await made('newer');
    // The newer holds 1.5 MB of accounts (stored before the bounds); the older, accounts no read could parse: a page
    // that read it would fail, so a page that answers did not read it.
    await t.database.db.updateTable('contacts').set({ bind_accounts_json: JSON.stringify(['x'.repeat(1_500_000)]) }).where('id', '=', newer).execute();
    await t.database.db.updateTable('contacts').set({ bind_accounts_json: '{not json' }).where('id', '=', older).execute();
    const response = await call('GET', '/opencase/v1/contacts?limit=100');
    assert.equal(response.statusCode, 200, response.body.slice(0, 200));
    const page = response.json<{ result: { contacts: Array<{ id: string }>; count: number } }>().result;
    assert.deepEqual(page.contacts.map((contact) => contact.id), [newer]);
    assert.equal(page.count, 3);
    assert.match(String(response.headers[PARTIAL_HEADER]), /^1 of the 3 rows of this page: .* continue at start=1$/);
  });
});
