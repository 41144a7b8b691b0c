import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';
import { assertErrorEnvelope, fetchToken, postAicc, useTestApp } from '../helpers.js';

/** Refusals of case calls that say what to send instead, for the mistakes a new user makes first. */
describe('case calls that say how to fix them', () => {
  const t = useTestApp();

  async function snapshot() {
    const db = t.database.db;
    return JSON.stringify([
      await db.selectFrom('cases').selectAll().orderBy('id').execute(),
      await db.selectFrom('case_traces').selectAll().orderBy('id').execute(),
    ]);
  }

  async function assertRefused(path: string, body: unknown, resMsg: string) {
    const response = await postAicc(t.app, t.token, path, body);
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(assertErrorEnvelope(response.body), { resCode: '400001', resMsg });
  }

  it('case/transfer to a queue without ownerType says to send ownerType "queue"', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/opencase/v1/queues', headers: { 'access-token': t.token }, payload: { name: 'Tier 2' } });
    const { queueId } = (created.json() as { result: { queueId: string } }).result;
    const before = await snapshot();
    const transfer = { id: DEMO_CASE.id, ownerId: queueId, creatorId: DEMO_USER.id, remark: 'escalated' };
    const hint = `ownerId ${queueId} is a queue of this tenant, not a user: send ownerType "queue" to transfer the case to a queue`;
    await assertRefused('case/transfer', transfer, hint);
    await assertRefused('case/transfer', { ...transfer, ownerType: 'user' }, hint);
    // An id that is neither keeps the plain refusal.
    await assertRefused('case/transfer', { ...transfer, ownerId: '10gg0000000000000000' }, 'ownerId 10gg0000000000000000 is not a user of this tenant');
    assert.equal(await snapshot(), before);
    const response = await postAicc(t.app, t.token, 'case/transfer', { ...transfer, ownerType: 'queue' });
    assert.equal(response.statusCode, 200, response.body);
  });

  it('another tenant\'s queue gets the plain refusal: its id tells nothing', async () => {
    const other = await createTenant(t.database, { name: 'Other', timeZone: 'UTC', userName: 'admin' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const created = await t.app.inject({ method: 'POST', url: '/opencase/v1/queues', headers: { 'access-token': otherToken }, payload: { name: 'Theirs' } });
    const { queueId } = (created.json() as { result: { queueId: string } }).result;
    await assertRefused('case/transfer', { id: DEMO_CASE.id, ownerId: queueId, creatorId: DEMO_USER.id, remark: 'r' }, `ownerId ${queueId} is not a user of this tenant`);
  });

  const caseInfo = (type: unknown) => ({
    caseInfo: { title: 'Printer jams', description: 'Every morning', type, isAtuoAssigned: true, contactId: DEMO_CONTACT.id },
  });

  it('case create with a case type\'s name in caseInfo.type names the id to send', async () => {
    const before = await snapshot();
    await assertRefused('case', caseInfo(DEMO_CASE_TYPE.typeName),
      `caseInfo.type must be a case type id from caseType/list (the type named "${DEMO_CASE_TYPE.typeName}" is ${DEMO_CASE_TYPE.id})`);
    await assertRefused('case', caseInfo('Printers'), 'caseInfo.type must be a case type id from caseType/list (20 letters and digits); no case type is named "Printers"');
    await assertRefused('case', caseInfo(''), 'caseInfo.type must be a case type id from caseType/list (20 letters and digits)');
    await assertRefused('case', caseInfo('x'.repeat(300)), `caseInfo.type must be a case type id from caseType/list (20 letters and digits); no case type is named "${'x'.repeat(64)}…"`);
    assert.equal(await snapshot(), before);
    // Other mistakes in the type keep the schema's words, and an id still creates the case.
    const notAString = await postAicc(t.app, t.token, 'case', caseInfo(42));
    assert.equal(notAString.statusCode, 400);
    assert.match(assertErrorEnvelope(notAString.body).resMsg, /^caseInfo\.type must be (a )?string/);
    const created = await postAicc(t.app, t.token, 'case', caseInfo(DEMO_CASE_TYPE.id));
    assert.equal(created.statusCode, 200, created.body);
  });

  it('another tenant\'s type name is not found by name (its id stays its own)', async () => {
    // Every new tenant has a type named General; the demo tenant has none.
    await createTenant(t.database, { name: 'Named', timeZone: 'UTC', userName: 'admin' }, Date.now());
    await assertRefused('case', caseInfo('General'), 'caseInfo.type must be a case type id from caseType/list (20 letters and digits); no case type is named "General"');
  });
});
