import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { createCasesRepository } from '../../src/cases/repository.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { AICC, assertErrorEnvelope, fetchToken, postAicc, useTestApp } from '../helpers.js';

type Json = Record<string, unknown>;

const FIELDS = [
  { name: 'AICC__serial__CST', label: 'Serial number', type: 'text', maxLength: 12, required: true },
  { name: 'AICC__units__CST', type: 'number', minimum: 1, maximum: 500 },
  { name: 'AICC__onSite__CST', type: 'boolean' },
  { name: 'AICC__visit__CST', type: 'date' },
  { name: 'AICC__model__CST', type: 'select', options: ['P100', 'P200', 'P300'] },
];

/** Case templates (opencase extension) and the template fields cases carry through AICC's case calls. */
describe('case templates and template fields', () => {
  const t = useTestApp();
  let templateId: string;
  let typeId: string;

  const ext = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: Json, token = t.token) => t.app.inject({
    method, url: `/opencase/v1/${path}`, headers: { 'access-token': token }, ...(body !== undefined && { payload: body }),
  });

  before(async () => {
    const made = await ext('POST', 'case-templates', { name: 'Printers', description: 'printer repairs', fields: FIELDS });
    assert.equal(made.statusCode, 200, made.body);
    templateId = made.json<{ result: { templateId: string } }>().result.templateId;
    const type = await ext('POST', 'case-types', { typeName: 'Printer repair', caseStatus: 'Open,Completed', tempalteId: templateId });
    assert.equal(type.statusCode, 200, type.body);
    typeId = type.json<{ result: { caseTypeId: string } }>().result.caseTypeId;
  });

  async function createCase(fields: Json): Promise<string> {
    const response = await postAicc(t.app, t.token, 'case', {
      caseInfo: { title: 'Jam', description: 'd', type: typeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id, ...fields },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ result: { caseId: string } }>().result.caseId;
  }

  async function caseInfo(id: string): Promise<Json> {
    const response = await t.app.inject({ method: 'GET', url: `${AICC}/case/${id}`, headers: { 'access-token': t.token } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ result: Array<{ caseInfo: Json }> }>().result[0]?.caseInfo ?? {};
  }

  async function refused(path: string, body: Json, status: number, message: RegExp) {
    const response = path.startsWith('/') ? await ext('POST', path.slice(1), body) : await postAicc(t.app, t.token, path, body);
    assert.equal(response.statusCode, status, `${path}: ${response.body}`);
    assert.match(assertErrorEnvelope(response.body).resMsg, message);
  }

  it('keeps a template with its fields, completed with every setting; lists and gets it; the case type names it', async () => {
    const got = await ext('GET', `case-templates/${templateId}`);
    assert.equal(got.statusCode, 200, got.body);
    const template = got.json<{ result: { name: string; fields: Json[] } }>().result;
    assert.equal(template.name, 'Printers');
    assert.deepEqual(template.fields[0], {
      label: 'Serial number', maxLength: 12, maximum: null, minimum: null, name: 'AICC__serial__CST', options: null, required: true, type: 'text',
    });
    assert.deepEqual(template.fields.map((field) => field.name), FIELDS.map((field) => field.name));
    const list = await ext('GET', 'case-templates?start=0&limit=10');
    assert.equal(list.json<{ result: { count: number } }>().result.count, 1);
    const type = await t.app.inject({ method: 'GET', url: `${AICC}/caseType/${typeId}`, headers: { 'access-token': t.token } });
    const info = type.json<{ result: { caseTypeInfo: Json } }>().result.caseTypeInfo;
    assert.deepEqual([info.templateId, info.tempalteId, info.templateName], [templateId, templateId, 'Printers']);
  });

  it('refuses templates that are unbounded or make no sense, naming the field', async () => {
    const base = { name: 'Bad' };
    for (const [fields, message] of [
      [[{ name: 'serial', type: 'text' }], /^fields\[0\]\.name must match/],
      [[{ name: 'AICC__a__CST', type: 'text' }, { name: 'AICC__a__CST', type: 'number' }], /fields\[1\]\.name AICC__a__CST is already a field/],
      [[{ name: 'AICC__a__CST', type: 'select' }], /fields\[0\]\.options is required for a select field/],
      [[{ name: 'AICC__a__CST', type: 'number', maxLength: 3 }], /fields\[0\]\.maxLength does not apply to a number field/],
      [[{ name: 'AICC__a__CST', type: 'number', minimum: 5, maximum: 1 }], /minimum must not be above/],
      [[{ name: 'AICC__IsCanced__CST', type: 'boolean' }], /is a key of AICC's platform/],
      [[{ name: 'AICC__a__CST', type: 'text', colour: 'red' }], /unknown field fields\[0\]\.colour/],
      [Array.from({ length: 51 }, (_, i) => ({ name: `AICC__f${i}__CST`, type: 'text' })), /fields must/],
      [[], /fields must/],
    ] as const) {
      const response = await ext('POST', 'case-templates', { ...base, fields: fields as unknown as Json[] });
      assert.equal(response.statusCode, 400, response.body);
      assert.match(assertErrorEnvelope(response.body).resMsg, message);
    }
    const duplicate = await ext('POST', 'case-templates', { name: 'Printers', fields: FIELDS });
    assert.equal(duplicate.statusCode, 409, duplicate.body);
    assert.match(assertErrorEnvelope(duplicate.body).resMsg, /name Printers is already used/);
    const unknownTemplate = await ext('POST', 'case-types', { typeName: 'No such template', caseStatus: 'Completed', templateId: 'ctpl0000000000000000' });
    assert.equal(unknownTemplate.statusCode, 400);
    assert.match(assertErrorEnvelope(unknownTemplate.body).resMsg, /templateId ctpl0000000000000000 is not a case template of this tenant/);
  });

  it('case create takes exactly the template\'s fields, typed and bounded; detail and list show them, null when unset', async () => {
    const id = await createCase({ AICC__serial__CST: 'SN-1', AICC__units__CST: 3, AICC__onSite__CST: true, AICC__visit__CST: '2026-12-24 09:30:00', AICC__model__CST: 'P200' });
    const info = await caseInfo(id);
    assert.deepEqual(
      [info.AICC__serial__CST, info.AICC__units__CST, info.AICC__onSite__CST, info.AICC__visit__CST, info.AICC__model__CST],
      ['SN-1', 3, true, '2026-12-24 09:30:00', 'P200'],
    );
    const sparse = await caseInfo(await createCase({ AICC__serial__CST: 'SN-2' }));
    assert.equal(sparse.AICC__units__CST, null);
    assert.equal(sparse.AICC__model__CST, null);
    const list = await postAicc(t.app, t.token, 'case/list', { start: 0, limit: 100, type: typeId });
    const item = list.json<{ result: Array<{ caseList: Json[] }> }>().result[0]?.caseList.find((row) => row.id === id);
    assert.equal(item?.AICC__model__CST, 'P200');
    assert.equal(item?.AICC__units__CST, 3);
    // A case of a type without template carries no template keys.
    const plain = await t.app.inject({ method: 'GET', url: `${AICC}/case/${await (async () => {
      const response = await postAicc(t.app, t.token, 'case', { caseInfo: { title: 'x', description: 'd', type: DEMO_CASE_TYPE.id, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id } });
      return response.json<{ result: { caseId: string } }>().result.caseId;
    })()}`, headers: { 'access-token': t.token } });
    assert.ok(!plain.body.includes('AICC__serial__CST'));
  });

  it('refuses a value that breaks its field\'s rule, a field the template lacks, and a missing required one, writing nothing', async () => {
    const count = async () => Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const caseInfoOf = (fields: Json) => ({
      caseInfo: { title: 'Jam', description: 'd', type: typeId, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id, ...fields },
    });
    for (const [fields, message] of [
      [{}, /^caseInfo\.AICC__serial__CST is required by template Printers$/],
      [{ AICC__serial__CST: 'x'.repeat(13) }, /^caseInfo\.AICC__serial__CST must be at most 12 characters$/],
      [{ AICC__serial__CST: 'SN', AICC__units__CST: 501 }, /^caseInfo\.AICC__units__CST must be at most 500$/],
      [{ AICC__serial__CST: 'SN', AICC__units__CST: '3' }, /^caseInfo\.AICC__units__CST must be a number$/],
      [{ AICC__serial__CST: 'SN', AICC__onSite__CST: 'yes' }, /must be a boolean/],
      [{ AICC__serial__CST: 'SN', AICC__visit__CST: '2026-02-30 00:00:00' }, /must be a date as YYYY-MM-DD HH:mm:ss/],
      [{ AICC__serial__CST: 'SN', AICC__model__CST: 'P400' }, /^caseInfo\.AICC__model__CST must be one of: P100, P200, P300$/],
      [{ AICC__serial__CST: 'SN', AICC__modle__CST: 'P100' }, /^unknown field caseInfo\.AICC__modle__CST: not a field of template Printers \(did you mean caseInfo\.AICC__model__CST\?\)$/],
      [{ AICC__serial__CST: 'SN', colour: 'red' }, /^unknown field caseInfo\.colour in case/],
    ] as const) {
      await refused('case', caseInfoOf(fields), 400, message);
    }
    await refused('case', { caseInfo: { title: 'x', description: 'd', type: DEMO_CASE_TYPE.id, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id, AICC__serial__CST: 'SN' } },
      400, /case type .+ has no template, so its cases take no template fields/);
    assert.equal(await count(), before);
  });

  it('case modify changes template fields, traced like any other field; a required one cannot be cleared', async () => {
    const id = await createCase({ AICC__serial__CST: 'SN-3', AICC__units__CST: 2 });
    const modify = (fields: Json) => postAicc(t.app, t.token, 'case/modify', { caseInfo: { id, title: 'Jam', description: 'd', creatorId: DEMO_USER.id, ...fields } });
    assert.equal((await modify({ AICC__units__CST: 4, AICC__model__CST: 'P100', AICC__visit__CST: '2026-12-31 18:00:00' })).statusCode, 200);
    assert.equal((await modify({ AICC__units__CST: null })).statusCode, 200);
    const info = await caseInfo(id);
    assert.deepEqual([info.AICC__units__CST, info.AICC__model__CST], [null, 'P100']);
    const feed = await t.app.inject({ method: 'GET', url: '/opencase/v1/traces?after=0&limit=100', headers: { 'access-token': t.token } });
    const traces = feed.json<{ result: { traces: Array<{ objectId: string; type: string; changes: Json[] }> } }>().result.traces.filter((trace) => trace.objectId === id);
    const modifies = traces.filter((trace) => trace.type === 'ModifyCase');
    assert.deepEqual(modifies[0]?.changes, [
      { field: 'AICC__units__CST', from: '2', to: '4' },
      { field: 'AICC__model__CST', from: null, to: 'P100' },
      { field: 'AICC__visit__CST', from: null, to: '2026-12-31 18:00:00' },
    ]);
    assert.deepEqual(modifies[1]?.changes, [{ field: 'AICC__units__CST', from: '4', to: null }]);
    const same = await modify({ AICC__model__CST: 'P100' });
    assert.equal(same.statusCode, 200);
    assert.equal(traces.length, (await t.app.inject({ method: 'GET', url: '/opencase/v1/traces?after=0&limit=100', headers: { 'access-token': t.token } }))
      .json<{ result: { traces: Array<{ objectId: string }> } }>().result.traces.filter((trace) => trace.objectId === id).length, 'an unchanged value writes no trace');
    const cleared = await modify({ AICC__serial__CST: null });
    assert.equal(cleared.statusCode, 400);
    assert.match(assertErrorEnvelope(cleared.body).resMsg, /caseInfo\.AICC__serial__CST is required by template Printers: it cannot be cleared/);
  });

  it('case/list filters on template fields by equality, of each type, alone or with the other filters', async () => {
    const a = await createCase({ AICC__serial__CST: 'FILTER-A', AICC__units__CST: 7, AICC__onSite__CST: false, AICC__model__CST: 'P300', AICC__visit__CST: '2027-01-02 08:00:00' });
    const b = await createCase({ AICC__serial__CST: 'FILTER-B', AICC__units__CST: 7, AICC__model__CST: 'P100' });
    const ids = async (filters: Json) => {
      const response = await postAicc(t.app, t.token, 'case/list', { start: 0, limit: 100, ...filters });
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json<{ result: Array<{ caseList: Array<{ id: string }>; count: number }> }>().result[0];
      assert.equal(page?.count, page?.caseList.length);
      return (page?.caseList ?? []).map((item) => item.id).sort();
    };
    assert.deepEqual(await ids({ AICC__serial__CST: 'FILTER-A' }), [a]);
    assert.deepEqual(await ids({ AICC__units__CST: 7 }), [a, b].sort());
    assert.deepEqual(await ids({ AICC__units__CST: 7, AICC__model__CST: 'P100', type: typeId }), [b]);
    assert.deepEqual(await ids({ AICC__onSite__CST: false }), [a]);
    assert.deepEqual(await ids({ AICC__visit__CST: '2027-01-02 08:00:00' }), [a]);
    assert.deepEqual(await ids({ AICC__units__CST: 7, title: 'nothing like it' }), []);
    // Both plans of a template filter (the value index first, or the cases probed in list order) find the same cases.
    const repository = createCasesRepository(t.database);
    for (const templateJoin of ['in', 'exists'] as const) {
      const filters = { templateValues: [{ field: 'AICC__units__CST', value: '7' }], templateJoin };
      assert.deepEqual((await repository.listCases(DEMO_TENANT.id, filters, 0, 100)).map((row) => row.id).sort(), [a, b].sort(), templateJoin);
      assert.equal(await repository.countCases(DEMO_TENANT.id, filters), 2, templateJoin);
    }
    await refused('case/list', { start: 0, limit: 1, AICC__modle__CST: 'P100' }, 400, /^unknown field AICC__modle__CST in case\/list: not a field of any case template of this tenant \(did you mean AICC__model__CST\?\)$/);
    await refused('case/list', { start: 0, limit: 1, AICC__model__CST: 'P999' }, 400, /must be one of: P100, P200, P300/);
    await refused('case/list', { start: 0, limit: 1, type: DEMO_CASE_TYPE.id, AICC__model__CST: 'P100' }, 400, /not a field of the template of case type/);
  });

  it('a template field with values can be widened, not narrowed or removed (409); a type with values keeps its template', async () => {
    await createCase({ AICC__serial__CST: 'SN-9', AICC__model__CST: 'P200' });
    const patch = (fields: unknown[]) => ext('PATCH', `case-templates/${templateId}`, { fields: fields as Json[] });
    const widened = FIELDS.map((field) => (field.name === 'AICC__model__CST' ? { ...field, options: ['P100', 'P200', 'P300', 'P400'] } : field));
    assert.equal((await patch(widened)).statusCode, 200);
    const narrowed = FIELDS.map((field) => (field.name === 'AICC__model__CST' ? { ...field, options: ['P100'] } : field));
    const refusedPatch = await patch(narrowed);
    assert.equal(refusedPatch.statusCode, 409);
    assert.match(assertErrorEnvelope(refusedPatch.body).resMsg, /fields: AICC__model__CST holds values in cases of this template/);
    const removed = await patch(FIELDS.filter((field) => field.name !== 'AICC__serial__CST'));
    assert.equal(removed.statusCode, 409);
    // A new field may come, and go again while no case holds a value for it.
    assert.equal((await patch([...widened, { name: 'AICC__extra__CST', type: 'text' }])).statusCode, 200);
    assert.equal((await patch(widened)).statusCode, 200);
    const other = await ext('POST', 'case-templates', { name: 'Other', fields: [{ name: 'AICC__x__CST', type: 'text' }] });
    const otherId = other.json<{ result: { templateId: string } }>().result.templateId;
    const switched = await ext('PATCH', `case-types/${typeId}`, { templateId: otherId });
    assert.equal(switched.statusCode, 409);
    assert.match(assertErrorEnvelope(switched.body).resMsg, /templateId cannot change: cases of case type .+ hold values/);
  });

  it('another tenant sees none of it: its ids answer like unknown ones', async () => {
    const tenant = await createTenant(t.database, { name: 'Other', timeZone: 'UTC', userName: 'u' }, Date.now());
    const token = await fetchToken(t.app, tenant.clientId, tenant.clientSecret);
    const foreign = await ext('GET', `case-templates/${templateId}`, undefined, token);
    const unknown = await ext('GET', 'case-templates/ctpl0000000000000000', undefined, token);
    assert.equal(foreign.statusCode, 404);
    assert.equal(assertErrorEnvelope(foreign.body).resMsg, assertErrorEnvelope(unknown.body).resMsg.replace('ctpl0000000000000000', templateId));
    assert.equal((await ext('GET', 'case-templates', undefined, token)).json<{ result: { count: number } }>().result.count, 0);
    const usesForeign = await ext('POST', 'case-types', { typeName: 'Steal', caseStatus: 'Completed', templateId }, token);
    assert.equal(usesForeign.statusCode, 400);
    const filter = await postAicc(t.app, token, 'case/list', { start: 0, limit: 1, AICC__serial__CST: 'SN-1' });
    assert.equal(filter.statusCode, 400);
  });
});
