import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CONTACT, DEMO_TASK_ID, DEMO_USER } from '../../src/demo/records.js';
import { closestField } from '../../src/wire/unknown-fields.js';
import { assertErrorEnvelope, postAicc, useTestApp } from '../helpers.js';

describe('unknown fields are refused, naming the closest known one', () => {
  const t = useTestApp();

  async function refused(path: string, body: unknown): Promise<string> {
    const response = await postAicc(t.app, t.token, path, body);
    assert.equal(response.statusCode, 400, `${path}: ${response.body}`);
    const { resCode, resMsg } = assertErrorEnvelope(response.body);
    assert.equal(resCode, '400001');
    return resMsg;
  }

  it('task/list with caseId (the field is relateId) is a 400, not every task', async () => {
    assert.equal(
      await refused('task/list', { start: 0, limit: 10, creatorId: DEMO_USER.id, caseId: 'c6m80000014iXKHqDw3c' }),
      'unknown field caseId in task/list (did you mean relateId?)',
    );
  });

  it('names nested fields by their path, misspellings by the nearest spelling, and lists the fields when none is near', async () => {
    assert.equal(
      await refused('task', { taskInfo: { title: 't', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, priorty: 'Low' } }),
      'unknown field taskInfo.priorty in task (did you mean taskInfo.priority?)',
    );
    assert.equal(
      await refused('case/list', { start: 0, limit: 1, resumeType: 'newCases' }),
      'unknown field resumeType in case/list (did you mean resumenType?)',
    );
    assert.match(await refused('caseType/list', { start: 0, limit: 1, zzzzzzzz: 1 }), /^unknown field zzzzzzzz in caseType\/list \(the fields are: start, limit, typeName and status\)$/);
  });

  it('a field named after a property every object has (valueOf, toString, constructor, hasOwnProperty) is an unknown field too, never a 500', async () => {
    for (const name of ['valueOf', 'toString', 'constructor', 'hasOwnProperty', 'isPrototypeOf']) {
      assert.match(await refused('case/list', { start: 0, limit: 1, [name]: '' }), new RegExp(`^unknown field ${name} in case/list`));
      const extension = await t.app.inject({
        method: 'POST', url: '/opencase/v1/case-types', headers: { 'access-token': t.token, 'content-type': 'application/json' },
        payload: JSON.stringify({ typeName: `Proto ${name}`, caseStatus: 'New,Completed', [name]: '' }),
      });
      assert.equal(extension.statusCode, 400, extension.body);
      assert.match(assertErrorEnvelope(extension.body).resMsg, new RegExp(`^unknown field ${name} in POST /opencase/v1/case-types`));
    }
  });

  it('refuses unknown query parameters and unknown fields of extension bodies too', async () => {
    const query = await t.app.inject({ method: 'GET', url: '/opencase/v1/users?start=0&limit=1&strat=2', headers: { 'access-token': t.token } });
    assert.equal(query.statusCode, 400);
    assert.equal(assertErrorEnvelope(query.body).resMsg, 'unknown field strat in GET /opencase/v1/users (did you mean start?)');
    const patch = await t.app.inject({
      method: 'PATCH', url: `/opencase/v1/contacts/${DEMO_CONTACT.id}`, headers: { 'access-token': t.token }, payload: { customerNmae: 'x' },
    });
    assert.equal(patch.statusCode, 400);
    assert.match(assertErrorEnvelope(patch.body).resMsg, /^unknown field customerNmae in PATCH \/opencase\/v1\/contacts\/:id \(did you mean customerName\?\)$/);
  });

  it('a refused write writes nothing', async () => {
    const count = async () => Number((await t.database.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await refused('task', { taskInfo: { title: 't', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id }, extra: true });
    assert.equal(await count(), before);
  });

  it('lists every missing required field of an object at once, and the unknown field sent in place of one', async () => {
    assert.equal(
      await refused('case', { caseInfo: { title: 't' } }),
      'caseInfo.description, caseInfo.type and caseInfo.contactId are required',
    );
    assert.equal(
      await refused('task/process', { id: DEMO_TASK_ID, creatorId: DEMO_USER.id, processInfo: { type: 'Iternal', title: 't', description: 'd' } }),
      'taskId is required (the body has id: did you mean taskId?)',
    );
  });

  it('the OpenAPI document shows every request object closed (the token route excepted: OAuth ignores unknown parameters)', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const open: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      // Objects that take case-template fields: @fastify/swagger writes their patternProperties as a schema-valued
      // additionalProperties (the value's types), which still closes them to anything else.
      const templateFields = typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null;
      if (schema.properties && schema.additionalProperties !== false && !templateFields) open.push(where);
      for (const [key, child] of Object.entries(schema)) walk(child, `${where}.${key}`);
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      if (path.includes('oauth2')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const { requestBody, parameters } = operation as { requestBody?: unknown; parameters?: unknown };
        walk(requestBody, `${method} ${path} body`);
        walk(parameters, `${method} ${path} parameters`);
      }
    }
    assert.deepEqual(open, []);
  });

  it('closestField knows AICC\'s mix-ups and spelling slips, and stays quiet for names far from any', () => {
    assert.equal(closestField('caseId', ['relateId', 'contactId', 'ownerId']), 'relateId');
    assert.equal(closestField('isAutoAssigned', ['isAtuoAssigned', 'ownerId']), 'isAtuoAssigned');
    assert.equal(closestField('OWNERID', ['ownerId']), 'ownerId');
    assert.equal(closestField('titel', ['title', 'type']), 'title');
    assert.equal(closestField('x', ['id', 'type']), 'id');
    assert.equal(closestField('somethingElse', ['title', 'type']), undefined);
  });
});
