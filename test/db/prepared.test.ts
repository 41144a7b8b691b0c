import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Tx, type Db } from '../../src/db/database.js';
import { preparedQuery } from '../../src/db/prepared.js';
import { DEMO_TASK_ID, DEMO_TENANT } from '../../src/demo/records.js';
import { startTestApp, type TestApp } from '../helpers.js';

describe('prepared queries', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  // Parameters in an order other than the function's, with constants among them.
  const byStatusAndId = preparedQuery('test.byStatusAndId', (db: Db, taskId: string, tenantId: string) => db.selectFrom('tasks')
    .select(['id', 'title'])
    .where('status', '!=', 'Nonexistent')
    .where('tenant_id', '=', tenantId)
    .where('relate_type', '=', 'Case')
    .where('id', '=', taskId)
    .limit(5));

  it('bind fresh parameters into the SQL compiled once, constants kept, as the builder would', async () => {
    const builder = await t.database.db.selectFrom('tasks').select(['id', 'title']).where('status', '!=', 'Nonexistent')
      .where('tenant_id', '=', DEMO_TENANT.id).where('relate_type', '=', 'Case').where('id', '=', DEMO_TASK_ID).limit(5).execute();
    assert.deepEqual(await byStatusAndId(t.database, DEMO_TASK_ID, DEMO_TENANT.id), builder);
    assert.equal(builder.length, 1);
    assert.deepEqual(await byStatusAndId(t.database, DEMO_TASK_ID, 'tnntNOPE000000000000'), []);
    assert.deepEqual(await byStatusAndId(t.database, 'ccqG0000000000000000', DEMO_TENANT.id), []);
  });

  it('run inside a transaction too, seeing its uncommitted writes', async () => {
    await t.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('tasks').set({ title: 'inside' }).where('id', '=', DEMO_TASK_ID).execute();
      assert.deepEqual(await byStatusAndId(new Tx(t.database, trx), DEMO_TASK_ID, DEMO_TENANT.id), [{ id: DEMO_TASK_ID, title: 'inside' }]);
      throw Object.assign(new Error('roll back'), { rollback: true });
    }).catch((error: { rollback?: boolean }) => assert.ok(error.rollback));
    assert.deepEqual(await byStatusAndId(t.database, DEMO_TASK_ID, DEMO_TENANT.id), [{ id: DEMO_TASK_ID, title: 'test002' }]);
  });

  it('outside a transaction see committed data only, never a transaction in progress, and never wait for it', { timeout: 20_000 }, async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let written = (): void => undefined;
    const hasWritten = new Promise<void>((resolve) => { written = resolve; });
    const change = t.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('tasks').set({ title: 'uncommitted' }).where('id', '=', DEMO_TASK_ID).execute();
      written();
      await held;
      await trx.updateTable('tasks').set({ title: 'test002' }).where('id', '=', DEMO_TASK_ID).execute();
    });
    await hasWritten;
    assert.deepEqual(await byStatusAndId(t.database, DEMO_TASK_ID, DEMO_TENANT.id), [{ id: DEMO_TASK_ID, title: 'test002' }]);
    release();
    await change;
    await t.database.db.updateTable('tasks').set({ title: 'committed' }).where('id', '=', DEMO_TASK_ID).execute();
    assert.deepEqual(await byStatusAndId(t.database, DEMO_TASK_ID, DEMO_TENANT.id), [{ id: DEMO_TASK_ID, title: 'committed' }]);
    await t.database.db.updateTable('tasks').set({ title: 'test002' }).where('id', '=', DEMO_TASK_ID).execute();
  });

  it('that write run on the writing connection, in a transaction or not', async () => {
    const rename = preparedQuery('test.rename', (db: Db, title: string, taskId: string) => db.updateTable('tasks')
      .set({ title }).where('id', '=', taskId).returning('title'));
    assert.deepEqual(await rename(t.database, 'renamed outside', DEMO_TASK_ID), [{ title: 'renamed outside' }]);
    assert.deepEqual(await byStatusAndId(t.database, DEMO_TASK_ID, DEMO_TENANT.id), [{ id: DEMO_TASK_ID, title: 'renamed outside' }]);
    await t.database.db.transaction().execute((trx) => rename(new Tx(t.database, trx), 'test002', DEMO_TASK_ID));
    assert.deepEqual(await byStatusAndId(t.database, DEMO_TASK_ID, DEMO_TENANT.id), [{ id: DEMO_TASK_ID, title: 'test002' }]);
  });
});
