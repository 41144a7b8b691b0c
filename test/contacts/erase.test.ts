import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { createUser } from '../../src/users/service.js';
import { runCli } from '../cli-helpers.js';
import { AICC, assertErrorEnvelope, postAicc, resultOf, TASK_PATH, useTestApp } from '../helpers.js';

const EXT = '/opencase/v1';
type Json = Record<string, unknown>;

/** What the contact holds, each a string no other record of the test has: none may be left anywhere after the erasure. */
const PERSONAL = {
  customerName: 'Zhang Erasable', name: 'Erasable Zhang', firstName: 'Erasable', lastName: 'Zhangzhang', cellPhone1: '13812345670',
  email: 'erasable.zhang@example.com', birthDay: '1980-02-03', remark: 'prefers calls after six',
};
const PHONE_ON_CASE = '13899990001';
const PHONE_CHANGED = '13899990002';
const ADDRESS_STREET = 'Erasable Street 17';

describe('POST /opencase/v1/contacts/{id}/erase: a contact\'s personal data erased on request', () => {
  const t = useTestApp();
  let contactId = '';
  let caseWithPhone = '';
  let caseWithout = '';
  let otherCase = '';
  let taskId = '';

  const ext = (method: 'GET' | 'POST', url: string, payload?: Json, token = t.token) => t.app.inject({
    method, url: `${EXT}${url}`, headers: { 'access-token': token, ...(payload !== undefined && { 'content-type': 'application/json' }) },
    ...(payload !== undefined && { payload: JSON.stringify(payload) }),
  });
  const newCase = async (contact: string, phone?: string) => resultOf<{ caseId: string }>(await postAicc(t.app, t.token, 'case', {
    caseInfo: {
      title: 'about a contact', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId: contact,
      creatorId: DEMO_USER.id, ...(phone && { contactPhone: phone }),
    },
  })).caseId;
  /** Every row of the tables that hold a contact's data or a copy of it, as text. */
  const everything = async () => JSON.stringify(await Promise.all(['contacts', 'addresses', 'cases', 'case_traces', 'tasks', 'task_traces'].map(
    (table) => t.database.db.selectFrom(table as 'cases').selectAll().execute(),
  )));

  before(async () => {
    contactId = resultOf<{ contactId: string }>(await ext('POST', '/contacts', { ...PERSONAL, address: { street: ADDRESS_STREET, city: 'Hangzhou' } })).contactId;
    caseWithPhone = await newCase(contactId, PHONE_ON_CASE);
    resultOf(await postAicc(t.app, t.token, 'case/modify', { caseInfo: { id: caseWithPhone, title: 'about a contact', description: 'd', contactPhone: PHONE_CHANGED, creatorId: DEMO_USER.id } }));
    caseWithout = await newCase(contactId);
    otherCase = await newCase(DEMO_CONTACT.id, PHONE_ON_CASE);
    taskId = resultOf<{ taskId: string }>(await postAicc(t.app, t.token, 'task', {
      taskInfo: { title: 'call back', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, relateId: caseWithPhone, type: 'Case', contactId },
    })).taskId;
  });

  it('blanks the contact and removes its address; blanks its cases\' phone with a trace; redacts the phone in earlier traces; nothing of it is left', async () => {
    const detailBefore = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${taskId}`, headers: { 'access-token': t.token } });
    assert.match(detailBefore.body, /Zhang Erasable/);
    const before = await everything();
    for (const value of [...Object.values(PERSONAL), PHONE_ON_CASE, PHONE_CHANGED, ADDRESS_STREET]) assert.ok(before.includes(value), value);

    const erased = resultOf<Json>(await ext('POST', `/contacts/${contactId}/erase`));
    assert.deepEqual(erased, { contactId, casesChanged: 1, tracesRedacted: 1, addressesRemoved: 1 });

    const after = await everything();
    for (const value of [...Object.values(PERSONAL), PHONE_CHANGED, ADDRESS_STREET]) assert.ok(!after.includes(value), `${value} is still stored`);
    // The other contact's case keeps its phone (the same digits as the erased case had at first).
    const other = await t.database.db.selectFrom('cases').select('contact_phone').where('id', '=', otherCase).executeTakeFirstOrThrow();
    assert.equal(other.contact_phone, PHONE_ON_CASE);

    const contact = resultOf<{ customerInfo: Json }>(await ext('GET', `/contacts/${contactId}`)).customerInfo;
    for (const field of ['customerName', 'name', 'firstName', 'lastName', 'cellPhone1', 'email', 'birthDay', 'remark']) assert.equal(contact[field], null, field);
    // A cached task detail showing the contact is not served again.
    const detailAfter = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${taskId}`, headers: { 'access-token': t.token } });
    assert.equal(detailAfter.statusCode, 200);
    assert.doesNotMatch(detailAfter.body, /Zhang Erasable|erasable\.zhang/);

    // The history keeps each change, its time and its author, without the values; the erasure is one more change.
    const history = resultOf<{ traces: Array<{ type: string; changes: Array<{ field: string; from: string | null; to: string | null }> }> }>(
      await ext('GET', `/traces?objectId=${caseWithPhone}`)).traces;
    assert.deepEqual(history.map((trace) => trace.type), ['CreateCase', 'ModifyCase', 'CreateTask', 'EraseContact']);
    assert.deepEqual(history[1]?.changes, [{ field: 'contactPhone', from: '[erased]', to: '[erased]' }]);
    assert.deepEqual(history[3]?.changes, [{ field: 'contactPhone', from: '[erased]', to: null }]);
    const caseInfo = resultOf<Array<{ caseInfo: Json }>>(await t.app.inject({ method: 'GET', url: `${AICC}/case/${caseWithPhone}`, headers: { 'access-token': t.token } }))[0]?.caseInfo;
    assert.equal(caseInfo?.contactPhone, null);
    assert.equal(caseInfo?.contactId, contactId, 'the case still names its contact');
    const untouched = await t.database.db.selectFrom('case_traces').select('type').where('case_id', '=', caseWithout).execute();
    assert.deepEqual(untouched.map((row) => row.type), ['CreateCase'], 'a case without a copy of the phone gets no trace');
  });

  it('a second request finds nothing left; an unknown contact is a 404; only an admin may erase', async () => {
    assert.deepEqual(resultOf<Json>(await ext('POST', `/contacts/${contactId}/erase`)), { contactId, casesChanged: 0, tracesRedacted: 0, addressesRemoved: 0 });
    const missing = await ext('POST', '/contacts/ctctNOPE000000000000/erase');
    assert.equal(missing.statusCode, 404, missing.body);
    assert.match(assertErrorEnvelope(missing.body).resMsg, /contact ctctNOPE000000000000 does not exist/);
    const unknownField = await ext('POST', `/contacts/${contactId}/erase`, { everything: true });
    assert.equal(unknownField.statusCode, 400);

    const now = Date.now();
    await createUser(t.database, DEMO_TENANT.id, { name: 'Sup', login: `erase.sup.${now}`, role: 'supervisor', password: 'erase password' }, now);
    const session = await t.app.inject({ method: 'POST', url: `${EXT}/session`, payload: { login: `erase.sup.${now}`, password: 'erase password' } });
    const token = (session.json() as { result: { accessToken: string } }).result.accessToken;
    const refused = await ext('POST', `/contacts/${DEMO_CONTACT.id}/erase`, undefined, token);
    assert.equal(refused.statusCode, 403, refused.body);
    const demo = resultOf<{ customerInfo: Json }>(await ext('GET', `/contacts/${DEMO_CONTACT.id}`)).customerInfo;
    assert.notEqual(demo.customerName, null, 'a refused erasure erases nothing');
  });

  it('opencase contact erase does the same for an admin named on the command line, and refuses a user who is no admin', async () => {
    const now = Date.now();
    await createUser(t.database, DEMO_TENANT.id, { name: 'Data Officer', login: `dpo.${now}`, role: 'admin' }, now);
    const agent = await createUser(t.database, DEMO_TENANT.id, { name: 'Agent', login: `agent.${now}`, role: 'agent' }, now);
    const id = resultOf<{ contactId: string }>(await ext('POST', '/contacts', { customerName: 'Li Commandline', cellPhone1: '13755550000' })).contactId;
    const caseId = await newCase(id, '13755550000');
    const args = ['contact', 'erase', '--db', t.dbLocation, '--tenant', DEMO_TENANT.id, '--contact', id];
    const refused = await runCli([...args, '--user', agent.userId]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is no active admin/);
    const done = await runCli([...args, '--login', `dpo.${now}`, '--json']);
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(JSON.parse(done.stdout), { contactId: id, casesChanged: 1, tracesRedacted: 0, addressesRemoved: 0 });
    assert.equal(resultOf<{ customerInfo: Json }>(await ext('GET', `/contacts/${id}`)).customerInfo.customerName, null);
    const trace = await t.database.db.selectFrom('case_traces').select(['type', 'creator_name', 'acted_via']).where('case_id', '=', caseId).orderBy('position', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(trace, { type: 'EraseContact', creator_name: 'Data Officer', acted_via: 'cli' });
  });
});
