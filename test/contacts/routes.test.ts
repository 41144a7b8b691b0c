import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';
import { assertErrorEnvelope, postAicc, TASK_PATH, useTestApp } from '../helpers.js';

describe('/opencase/v1/contacts, users and queues', () => {
  const t = useTestApp();

  const call = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => t.app.inject({
    method, url: `/opencase/v1/${path}`, headers: { 'access-token': t.token }, ...(body !== undefined && { payload: body as object }),
  });

  it('a contact made with its address and organization is the customerInfo of the task that names it', async () => {
    const made = await call('POST', 'contacts', {
      customerName: '客户2', cellPhone1: '13900000000', email: 'buyer@example.com', age: 31, bindAccount: [{ channel: 'WEB', account: 'b1' }],
      customFied: 'vip', address: { city: 'Shenzhen', addtionalAddress: 'Gate 3', defaultShippingAddress: true }, organization: { organizationName: 'Acme' },
    });
    assert.equal(made.statusCode, 200, made.body);
    const { contactId } = (made.json() as { result: { contactId: string } }).result;
    assert.match(contactId, /^ciIy[0-9A-Za-z]{16}$/);
    const task = await postAicc(t.app, t.token, 'task', { taskInfo: { title: 'call', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, contactId } });
    const taskId = (task.json() as { result: { taskId: string } }).result.taskId;
    const detail = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${taskId}`, headers: { 'access-token': t.token } });
    const contact = (detail.json() as { result: { customerInfo: { customerInfo: Record<string, unknown> } } }).result.customerInfo.customerInfo;
    assert.equal(contact.customerName, '客户2');
    assert.equal(contact.age, 31);
    assert.equal(contact.customFied, 'vip');
    assert.deepEqual(contact.bindAccount, [{ channel: 'WEB', account: 'b1' }]);
    assert.equal((contact.address as Record<string, unknown>).addtionalAddress, 'Gate 3');
    assert.equal((contact.address as Record<string, unknown>).defaultShippingAddress, true);
    assert.equal((contact.organization as Record<string, unknown>).organizationName, 'Acme');
    assert.equal(contact.organizationId, (contact.organization as Record<string, unknown>).id);

    const got = await call('GET', `contacts/${contactId}`);
    assert.deepEqual((got.json() as { result: unknown }).result, { customerInfo: contact });
  });

  it('PATCH changes the fields sent, clears nulls, updates the address, and moves lastModifiedDate', async () => {
    const made = await call('POST', 'contacts', { customerName: 'Lin', email: 'lin@example.com', address: { city: 'Hangzhou' } });
    const { contactId } = (made.json() as { result: { contactId: string } }).result;
    t.now.value += 3_600_000;
    const patched = await call('PATCH', `contacts/${contactId}`, { email: null, phone: '0571-1234', address: { zip: '310000' } });
    assert.equal(patched.statusCode, 200, patched.body);
    const contact = ((await call('GET', `contacts/${contactId}`)).json() as { result: { customerInfo: Record<string, unknown> } }).result.customerInfo;
    assert.equal(contact.email, null);
    assert.equal(contact.phone, '0571-1234');
    assert.deepEqual([(contact.address as Record<string, unknown>).city, (contact.address as Record<string, unknown>).zip], ['Hangzhou', '310000']);
    assert.notEqual(contact.lastModifiedDate, contact.createdDate);
  });

  it('lists contacts newest first with a count, by fuzzy customerName', async () => {
    const all = await call('GET', 'contacts?limit=100');
    const { contacts, count } = (all.json() as { result: { contacts: Array<Record<string, unknown>>; count: number } }).result;
    assert.equal(count, 3);
    assert.equal(contacts.at(-1)?.id, DEMO_CONTACT.id);
    const byName = await call('GET', `contacts?customerName=${encodeURIComponent('客户')}`);
    assert.equal((byName.json() as { result: { count: number } }).result.count, 2);
  });

  it('rejects bad contact input with a 400 naming the field', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', 'contacts', {}, 400, /^customerName is required$/],
      ['POST', 'contacts', { customerName: 'x', age: -1 }, 400, /^age must be at least 0$/],
      ['POST', 'contacts', { customerName: 'x', birthDay: '1990-13' }, 400, /^birthDay must be a date as YYYY-MM-DD$/],
      ['POST', 'contacts', { customerName: 'x', organizationId: 'cBbs0000000000000000' }, 400, /^organizationId .* is not an organization of this tenant$/],
      ['POST', 'contacts', { customerName: 'x', organizationId: 'cBbs0000013y7cBnkKMS', organization: { organizationName: 'y' } }, 400, /^send organizationId or organization, not both$/],
      ['GET', 'contacts/ciIy0000000000000000', undefined, 404, /^contact ciIy0000000000000000 does not exist$/],
      ['PATCH', 'contacts/ciIy0000000000000000', { email: 'x' }, 404, /does not exist/],
      ['GET', 'contacts?limit=0', undefined, 400, /^limit must be at least 1$/],
      ['GET', 'contacts?start=-1', undefined, 400, /^start must be a whole number$/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const response = await call(method as 'GET', path, body);
      assert.equal(response.statusCode, status, `${method} ${path}: ${response.body}`);
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
    }
  });

  it('users: create, then list oldest first with the total', async () => {
    const made = await call('POST', 'users', { name: 'Guo Mei' });
    assert.equal(made.statusCode, 200);
    const { userId } = (made.json() as { result: { userId: string } }).result;
    const listed = ((await call('GET', 'users')).json() as { result: { users: Array<Record<string, string>>; count: number } }).result;
    assert.equal(listed.count, 2);
    assert.deepEqual(listed.users.map((user) => user.id), [DEMO_USER.id, userId]);
    const empty = await call('POST', 'users', { name: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(assertErrorEnvelope(empty.body).resMsg, /^name must not be empty$/);
  });

  it('queues: create and list', async () => {
    assert.equal((await call('POST', 'queues', { name: 'VIP' })).statusCode, 200);
    const listed = ((await call('GET', 'queues')).json() as { result: { queues: Array<Record<string, string>> } }).result;
    assert.deepEqual(listed.queues.map((queue) => queue.name), ['VIP']);
  });

  it('queues: a page at a time (100 by default, as many as a page holds), oldest first, with the total', async () => {
    for (const name of ['Tier 1', 'Tier 2', 'Tier 3']) {
      t.now.value += 1000;
      assert.equal((await call('POST', 'queues', { name })).statusCode, 200);
    }
    const page = ((await call('GET', 'queues?start=1&limit=2')).json() as { result: { count: number; queues: Array<{ name: string }> } }).result;
    assert.deepEqual({ count: page.count, names: page.queues.map((queue) => queue.name) }, { count: 4, names: ['Tier 1', 'Tier 2'] });
    const all = ((await call('GET', 'queues')).json() as { result: { count: number; queues: unknown[] } }).result;
    assert.equal(all.queues.length, 4);
    const tooMany = await call('GET', 'queues?limit=101');
    assert.equal(tooMany.statusCode, 400);
    assert.equal(assertErrorEnvelope(tooMany.body).resMsg, 'limit must be at most 100');
  });
});
