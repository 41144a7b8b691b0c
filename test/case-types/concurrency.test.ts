import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { assertErrorEnvelope, postAicc, TEST_BACKEND, useTestApp, callExtension, resultOf } from '../helpers.js';

const TRIES = 30;

/** A case type's update racing the case writes that rely on its flow, and creates racing for one name. */
describe(`case types under concurrent changes, on ${TEST_BACKEND}`, () => {
  const t = useTestApp();
  const ext = (method: 'POST' | 'PATCH', path: string, body: unknown) => callExtension(t, method, path, body);
  const newType = async (typeName: string, caseStatus: string) => resultOf<{ caseTypeId: string }>(await ext('POST', 'case-types', { typeName, caseStatus })).caseTypeId;
  const createCase = (type: string) => postAicc(t.app, t.token, 'case', {
    caseInfo: { title: 'race', description: 'd', type, ownerId: DEMO_USER.id, isAtuoAssigned: false, contactId: DEMO_CONTACT.id },
  });
  /** The cases of the tenant standing in a status their type's flow does not have. */
  const casesOutsideTheirFlow = async () => (await t.database.db.selectFrom('cases')
    .innerJoin('case_types', (join) => join.onRef('case_types.tenant_id', '=', 'cases.tenant_id').onRef('case_types.id', '=', 'cases.type_id'))
    .select(['cases.id', 'cases.status', 'case_types.case_statuses']).where('cases.tenant_id', '=', DEMO_TENANT.id).execute())
    .filter((row) => !row.case_statuses.split(',').includes(row.status));

  it(`a type update dropping a status and a case moving into it, ${TRIES} times at once: no case is left outside its flow; the loser is refused naming the status`, { timeout: 120_000 }, async () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < TRIES; i++) {
      const type = await newType(`Move race ${i}`, 'A,B,Completed');
      const { caseId } = resultOf<{ caseId: string }>(await createCase(type));
      const [drop, move] = await Promise.all([
        ext('PATCH', `case-types/${type}`, { caseStatus: 'A,Completed' }),
        postAicc(t.app, t.token, 'status/update', { id: caseId, status: 'B', creatorId: DEMO_USER.id }),
      ]);
      outcomes.set(`${drop.statusCode}/${move.statusCode}`, (outcomes.get(`${drop.statusCode}/${move.statusCode}`) ?? 0) + 1);
      if (move.statusCode === 200) {
        // The case moved first: the update saw it in B and kept B.
        assert.equal(drop.statusCode, 409, drop.body);
        assert.equal(assertErrorEnvelope(drop.body).resMsg, 'caseStatus must keep B: cases of this type are in it');
      } else {
        // The update came first: the move saw the flow without B (a status not in the flow is the request's error, as ever).
        assert.equal(drop.statusCode, 200, drop.body);
        assert.equal(move.statusCode, 400, move.body);
        assert.match(assertErrorEnvelope(move.body).resMsg, /^status B is not in the flow of case type \w+ \(A, Completed\)$/);
      }
    }
    assert.deepEqual(await casesOutsideTheirFlow(), [], `outcomes (update/move): ${JSON.stringify([...outcomes])}`);
  });

  it(`a type update dropping its first status and a case created into it, ${TRIES} times at once: no case is left outside its flow`, { timeout: 120_000 }, async () => {
    for (let i = 0; i < TRIES; i++) {
      const type = await newType(`Create race ${i}`, 'A,B,Completed');
      const [drop, created] = await Promise.all([ext('PATCH', `case-types/${type}`, { caseStatus: 'B,Completed' }), createCase(type)]);
      assert.equal(created.statusCode, 200, created.body);
      const { status } = await t.database.db.selectFrom('cases').select('status')
        .where('id', '=', resultOf<{ caseId: string }>(created).caseId).executeTakeFirstOrThrow();
      if (drop.statusCode === 200) {
        assert.equal(status, 'B', 'the create came after the update: it entered the new first status');
      } else {
        assert.equal(drop.statusCode, 409, drop.body);
        assert.equal(assertErrorEnvelope(drop.body).resMsg, 'caseStatus must keep A: cases of this type are in it');
        assert.equal(status, 'A');
      }
    }
    assert.deepEqual(await casesOutsideTheirFlow(), []);
  });

  it('a type update dropping a status and a reopen into it, at once: no case is left outside its flow', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 10; i++) {
      const type = await newType(`Reopen race ${i}`, 'A,B,Completed');
      const { caseId } = resultOf<{ caseId: string }>(await createCase(type));
      resultOf(await postAicc(t.app, t.token, 'status/update', { id: caseId, status: 'Completed', creatorId: DEMO_USER.id }));
      resultOf(await postAicc(t.app, t.token, 'close', { caseId, creatorId: DEMO_USER.id }));
      const [drop, reopen] = await Promise.all([
        ext('PATCH', `case-types/${type}`, { caseStatus: 'A,Completed' }),
        ext('POST', `cases/${caseId}/reopen`, { status: 'B' }),
      ]);
      assert.notEqual(drop.statusCode === 200, reopen.statusCode === 200, `exactly one wins: ${drop.body} ${reopen.body}`);
      assert.ok([drop, reopen].every((response) => response.statusCode < 500), `${drop.body} ${reopen.body}`);
    }
    assert.deepEqual(await casesOutsideTheirFlow(), []);
  });

  for (const [what, make, field] of [
    ['case type', (name: string) => ext('POST', 'case-types', { typeName: name, caseStatus: 'Completed' }), 'typeName'],
    ['case template', (name: string) => ext('POST', 'case-templates', { name, fields: [{ name: 'AICC__a__CST', type: 'text' }] }), 'name'],
  ] as const) {
    it(`concurrent creates of one ${what} name: exactly one 200, every other a 409 naming ${field}, never a 500`, { timeout: 120_000 }, async () => {
      for (let round = 0; round < 5; round++) {
        const responses = await Promise.all(Array.from({ length: 10 }, () => make(`${what} twin ${round}`)));
        assert.equal(responses.filter((response) => response.statusCode === 200).length, 1, responses.map((response) => response.body).join('\n'));
        for (const response of responses.filter((candidate) => candidate.statusCode !== 200)) {
          assert.equal(response.statusCode, 409, response.body);
          const { resCode, resMsg } = assertErrorEnvelope(response.body);
          assert.equal(resCode, '409001');
          assert.match(resMsg, new RegExp(`^${field} .*is already used by (case type|case template|another ${what} of this tenant)`));
        }
      }
    });
  }

  it('concurrent renames of two case types to one name: one 200, the other a 409 naming typeName', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 5; round++) {
      const types = [await newType(`Rename a ${round}`, 'Completed'), await newType(`Rename b ${round}`, 'Completed')];
      const responses = await Promise.all(types.map((type) => ext('PATCH', `case-types/${type}`, { typeName: `Renamed ${round}` })));
      assert.deepEqual(responses.map((response) => response.statusCode).sort(), [200, 409], responses.map((response) => response.body).join('\n'));
      const refused = responses.find((response) => response.statusCode === 409);
      assert.match(assertErrorEnvelope(refused?.body ?? '').resMsg, /^typeName /);
    }
  });
});
