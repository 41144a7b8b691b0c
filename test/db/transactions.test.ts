import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { postAicc, useTestApp } from '../helpers.js';

/** On SQLite the changes that arrive together share one commit (group commit); each must still stand or fall alone. */
describe('changes committed together', () => {
  const t = useTestApp();

  const queueName = (i: number) => `queue ${i}`;
  const queuesNamed = async (prefix: string) => (await t.database.db.selectFrom('queues').select('name')
    .where('tenant_id', '=', DEMO_TENANT.id).where('name', 'like', `${prefix}%`).execute()).map((row) => row.name).sort();

  it('a change that fails after writing is undone alone; the changes beside it land, each with its own result', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => t.database.transaction(async (tx) => {
      await tx.db.insertInto('queues').values({ tenant_id: DEMO_TENANT.id, id: `queu${String(i).padStart(16, '0')}`, name: `together ${i}`, created_at: 0 }).execute();
      if (i % 3 === 1) throw new Error(`change ${i} refused after its write`);
      return i;
    })));
    outcomes.forEach((outcome, i) => {
      if (i % 3 === 1) assert.equal(outcome.status === 'rejected' && (outcome.reason as Error).message, `change ${i} refused after its write`);
      else assert.deepEqual(outcome, { status: 'fulfilled', value: i });
    });
    const landed = Array.from({ length: 12 }, (_, i) => i).filter((i) => i % 3 !== 1).map((i) => `together ${i}`).sort();
    assert.deepEqual(await queuesNamed('together'), landed);
  });

  it('is settled only once committed: what a change returns is already visible to every reader', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => t.database.transaction(async (tx) => {
      await tx.db.insertInto('queues').values({ tenant_id: DEMO_TENANT.id, id: `queu${String(100 + i).padStart(16, '0')}`, name: queueName(i), created_at: 0 }).execute();
      return i;
    })));
    assert.deepEqual(ids, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal((await queuesNamed('queue ')).length, 8);
  });

  it('concurrent API calls, valid and invalid mixed, each get their own answer and only the valid ones are written', async () => {
    const before = Number((await t.database.db.selectFrom('tasks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => postAicc(t.app, t.token, 'task', {
      taskInfo: { title: `mixed ${i}`, ownerId: i % 4 === 0 ? 'usernotthere00000000' : DEMO_USER.id, creatorId: DEMO_USER.id },
    })));
    const created = responses.filter((response) => response.statusCode === 200);
    assert.equal(created.length, 30);
    responses.forEach((response, i) => assert.equal(response.statusCode, i % 4 === 0 ? 400 : 200, response.body));
    const after = Number((await t.database.db.selectFrom('tasks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(after - before, 30);
    const numbers = new Set(created.map((response) => (response.json() as { result: { taskId: string } }).result.taskId));
    assert.equal(numbers.size, 30);
  });
});
