import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { errorCodes } from '../../src/wire/errors.js';
import { classifyError } from '../../src/wire/fastify.js';
import { TEST_BACKEND, useTestApp } from '../helpers.js';

/**
 * The schema's constraints refusing a write, as the database itself reports it (a real SQLite file or a real
 * PostgreSQL server): each is a 409 or a 400 naming the wire field, never the 500 an unmapped error is.
 */
describe(`constraint violations of the database, on ${TEST_BACKEND}`, () => {
  const t = useTestApp();

  /** The error a write fails with, classified as a reply would be. */
  async function refusal(write: () => Promise<unknown>) {
    const error = await write().then(() => undefined, (caught: unknown) => caught as Error);
    assert.ok(error, 'the database refused the write');
    const { kind, message } = classifyError(error);
    return { status: errorCodes[kind].httpStatus, resCode: errorCodes[kind].resCode, message };
  }

  it('a case type name taken (the unique key case_types_name_unique) is a 409 naming typeName', async () => {
    const refused = await refusal(() => t.database.db.insertInto('case_types').values({
      tenant_id: DEMO_TENANT.id, id: 'cvmC0000000000twin01', type_name: DEMO_CASE_TYPE.typeName, status: 'Active', case_statuses: 'Completed',
      is_strict_order: 0, creator_id: DEMO_USER.id, created_at: 0, last_modified_by: DEMO_USER.id, last_modified_at: 0,
    }).execute());
    assert.deepEqual(refused, {
      status: 409, resCode: '409001', message: "typeName is already used by another case type of this tenant: a case type's typeName must be unique",
    });
  });

  it('a case template name taken is a 409 naming name', async () => {
    const template = { tenant_id: DEMO_TENANT.id, name: 'Twin', fields_json: '[]', created_at: 0, last_modified_at: 0 };
    await t.database.db.insertInto('case_templates').values({ ...template, id: 'ctpl000000000twin001' }).execute();
    const refused = await refusal(() => t.database.db.insertInto('case_templates').values({ ...template, id: 'ctpl000000000twin002' }).execute());
    assert.equal(refused.status, 409);
    assert.equal(refused.message, "name is already used by another case template of this tenant: a case template's name must be unique");
  });

  it('an id or a number taken (primary and other unique keys) is a 409 naming it', async () => {
    const user = await refusal(() => t.database.db.insertInto('users').values({ tenant_id: DEMO_TENANT.id, id: DEMO_USER.id, name: 'again', created_at: 0 }).execute());
    assert.equal(user.status, 409);
    assert.equal(user.message, "id is already used by another user of this tenant: a user's id must be unique");
    const caseNo = await refusal(() => t.database.db.insertInto('cases').values({
      tenant_id: DEMO_TENANT.id, id: 'c6m80000000000twin01', case_no: DEMO_CASE.caseNo, type_id: DEMO_CASE_TYPE.id, title: 't', description: 'd',
      status: 'Completed', state: 'Completed', owner_id: DEMO_USER.id, creator_id: DEMO_USER.id, created_at: 0, last_modified_at: 0,
    }).execute());
    assert.equal(caseNo.status, 409);
    assert.equal(caseNo.message, "caseNo is already used by another case of this tenant: a case's caseNo must be unique");
  });

  it('a record naming a tenant that does not exist (a foreign key) is a 409', async () => {
    const refused = await refusal(() => t.database.db.insertInto('queues').values({ tenant_id: 'tnnt0000000000nobody', id: 'queu000000000nobody1', name: 'q', created_at: 0 }).execute());
    assert.equal(refused.status, 409);
    assert.match(refused.message, /names a record that does not exist \(any more\) in this tenant$/);
  });

  it('a required column left empty (not null) is a 400 naming the field', async () => {
    const refused = await refusal(() => sql`insert into queues (tenant_id, id, name, created_at) values (${DEMO_TENANT.id}, 'queu00000000nullname', null, 0)`
      .execute(t.database.db));
    assert.deepEqual(refused, { status: 400, resCode: '400001', message: 'name is required: a queue must have one' });
  });
});
