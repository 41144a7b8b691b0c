import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';
import { AICC, assertErrorEnvelope, fetchToken, postAicc, useTestApp } from '../helpers.js';

describe('case types: caseType/list, caseType/{id}, and the /opencase/v1/case-types extension', () => {
  const t = useTestApp();

  const ext = (method: 'POST' | 'PATCH', path: string, body: unknown) =>
    t.app.inject({ method, url: `/opencase/v1/${path}`, headers: { 'access-token': t.token }, payload: body as object });

  it('caseType/{id} (GET and POST) shows the demo case type with AICC\'s spellings', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const response = await t.app.inject({ method, url: `${AICC}/caseType/${DEMO_CASE_TYPE.id}`, headers: { 'access-token': t.token } });
      assert.equal(response.statusCode, 200, response.body);
      const { caseTypeInfo } = (response.json() as { result: { caseTypeInfo: Record<string, unknown> } }).result;
      // The table's spellings and the captured example's, side by side, in alphabetical order.
      assert.deepEqual(Object.keys(caseTypeInfo), ['caseStatus', 'contentTempalteId', 'contentTemplateId', 'createdDate', 'creatorName', 'description',
        'id', 'isStrctOrder', 'isStrictOrder', 'lastModifiedDate', 'lastModifiedName', 'parentId', 'status', 'tempalteId', 'templateId', 'templateName',
        'typeName']);
      assert.equal(caseTypeInfo.caseStatus, 'tttttt,Completed');
      assert.equal(caseTypeInfo.isStrctOrder, false);
      assert.equal(caseTypeInfo.creatorName, DEMO_USER.name);
    }
    const unknown = await t.app.inject({ method: 'GET', url: `${AICC}/caseType/cvmC0000000000000000`, headers: { 'access-token': t.token } });
    assert.equal(unknown.statusCode, 404);
    assertErrorEnvelope(unknown.body);
  });

  it('the extension creates a case type with its flow; caseType/list finds it by fuzzy name and status', async () => {
    const made = await ext('POST', 'case-types', { typeName: 'Complaint 100%', description: 'customer complaints', caseStatus: 'New, Investigating ,Completed', isStrctOrder: true });
    assert.equal(made.statusCode, 200, made.body);
    const { caseTypeId } = (made.json() as { result: { caseTypeId: string } }).result;
    const list = async (body: Record<string, unknown>) => {
      const response = await postAicc(t.app, t.token, 'caseType/list', { start: 0, limit: 10, ...body });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { result: { caseTypes: Array<Record<string, unknown>>; count: number } }).result;
    };
    const found = await list({ typeName: 'complaint 100%' });
    assert.equal(found.count, 1);
    assert.deepEqual(found.caseTypes[0], {
      caseStatus: 'New,Investigating,Completed', contentTempalteId: null, contentTemplateId: null, description: 'customer complaints', id: caseTypeId,
      isStrctOrder: true, isStrictOrder: true, parentId: null, status: 'Active', tempalteId: null, templateId: null, templateName: null,
      typeName: 'Complaint 100%',
    });
    assert.equal((await list({})).count, 2);
    assert.equal((await list({ status: 'Inactive' })).count, 0);
    assert.equal((await list({ typeName: '%' })).count, 1);
    for (const [body, message] of [[{ start: 0, limit: 101 }, /^limit must be at most 100$/], [{ start: 0, limit: 5, status: 'Paused' }, /^status must be one of: Active, Inactive$/]] as const) {
      const response = await postAicc(t.app, t.token, 'caseType/list', body);
      assert.equal(response.statusCode, 400);
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
    }
  });

  it('takes either spelling of isStrictOrder (isStrctOrder), and refuses both at once when they differ', async () => {
    const strict = await ext('POST', 'case-types', { typeName: 'Spelled right', caseStatus: 'A,Completed', isStrictOrder: true });
    assert.equal(strict.statusCode, 200, strict.body);
    const { caseTypeId } = (strict.json() as { result: { caseTypeId: string } }).result;
    const info = async () => ((await t.app.inject({ method: 'GET', url: `${AICC}/caseType/${caseTypeId}`, headers: { 'access-token': t.token } }))
      .json() as { result: { caseTypeInfo: Record<string, unknown> } }).result.caseTypeInfo;
    assert.equal((await info()).isStrctOrder, true);
    assert.equal((await ext('PATCH', `case-types/${caseTypeId}`, { isStrctOrder: false, isStrictOrder: false })).statusCode, 200);
    assert.deepEqual([(await info()).isStrctOrder, (await info()).isStrictOrder], [false, false]);
    const both = await ext('PATCH', `case-types/${caseTypeId}`, { isStrctOrder: true, isStrictOrder: false });
    assert.equal(both.statusCode, 400);
    assert.equal(assertErrorEnvelope(both.body).resMsg, 'isStrictOrder and isStrctOrder are two spellings of one field and must not differ: send one');
    assert.equal((await info()).isStrctOrder, false);
  });

  it('rejects flows without Completed last and repeated statuses (400), and duplicate names (409)', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ typeName: 'A', caseStatus: 'New,Done' }, /^caseStatus must end with Completed$/],
      [{ typeName: 'B', caseStatus: 'New,New,Completed' }, /^caseStatus must not list a status twice$/],
      [{ typeName: 'C', caseStatus: 'New,,Completed' }, /^caseStatus must list statuses of 1 to 128 bytes of UTF-8 \(a Chinese character takes 3\), separated by commas$/],
      [{ typeName: 'D', caseStatus: 'Completed', parentId: 'cvmC0000000000000000' }, /^parentId .* is not a case type of this tenant$/],
    ];
    for (const [body, message] of cases) {
      const response = await ext('POST', 'case-types', body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
    }
    // A name taken is the tenant's records refusing the call, as the unique key does when two creates race: a 409.
    const duplicate = await ext('POST', 'case-types', { typeName: DEMO_CASE_TYPE.typeName, caseStatus: 'Completed' });
    assert.equal(duplicate.statusCode, 409, duplicate.body);
    assert.match(assertErrorEnvelope(duplicate.body).resMsg, /^typeName Demo is already used by case type cvmC\w{16}$/);
  });

  it('updating a flow may not drop a status that cases are in (409); other changes apply', async () => {
    const made = await ext('POST', 'case-types', { typeName: 'Returns', caseStatus: 'Received,Inspected,Completed' });
    const { caseTypeId } = (made.json() as { result: { caseTypeId: string } }).result;
    const created = await postAicc(t.app, t.token, 'case', {
      caseInfo: { title: 'r', description: 'd', type: caseTypeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id },
    });
    assert.equal(created.statusCode, 200);
    const dropped = await ext('PATCH', `case-types/${caseTypeId}`, { caseStatus: 'Inspected,Completed' });
    assert.equal(dropped.statusCode, 409);
    assert.match(assertErrorEnvelope(dropped.body).resMsg, /^caseStatus must keep Received: cases of this type are in it$/);
    const renamed = await ext('PATCH', `case-types/${caseTypeId}`, { typeName: 'Product returns', caseStatus: 'Received,Completed', isStrctOrder: true, status: 'Inactive' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const detail = await t.app.inject({ method: 'GET', url: `${AICC}/caseType/${caseTypeId}`, headers: { 'access-token': t.token } });
    const info = (detail.json() as { result: { caseTypeInfo: Record<string, unknown> } }).result.caseTypeInfo;
    assert.equal(info.typeName, 'Product returns');
    assert.equal(info.caseStatus, 'Received,Completed');
    assert.equal(info.isStrctOrder, true);
    assert.equal(info.status, 'Inactive');
    const missing = await ext('PATCH', 'case-types/cvmC0000000000000000', { typeName: 'x' });
    assert.equal(missing.statusCode, 404);
  });

  it('every new tenant starts with one Active case type', async () => {
    const other = await createTenant(t.database, { name: 'fresh', timeZone: 'UTC', userName: 'admin' }, Date.now());
    const otherToken = await fetchToken(t.app, other.clientId, other.clientSecret);
    const response = await postAicc(t.app, otherToken, 'caseType/list', { start: 0, limit: 10 });
    const { caseTypes, count } = (response.json() as { result: { caseTypes: Array<Record<string, unknown>>; count: number } }).result;
    assert.equal(count, 1);
    assert.equal(caseTypes[0]?.status, 'Active');
    assert.equal(caseTypes[0]?.id, other.caseTypeId);
  });
});
