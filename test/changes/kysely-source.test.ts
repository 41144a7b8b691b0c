import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Check } from 'typebox/value';
import { kyselyChangeSource } from '../../src/changes/kysely-source.js';
import { ExportedTrace } from '../../src/traces/schemas.js';
import { createTenant, freshChangeDb, newTenantId, writeChange } from './fixtures.js';

describe(`kyselyChangeSource (${process.env.OPENCASE_TEST_BACKEND === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('maps a trace row to the export\'s entry: wire date in the tenant\'s zone, ISO instant, changes parsed', async () => {
    const database = await freshChangeDb();
    try {
      const tenantId = newTenantId();
      await createTenant(database.db, tenantId, 'Asia/Shanghai');
      // 2023-07-07T06:51:35Z is 14:51:35 in Shanghai (as the demo task's CreateTask reads).
      await writeChange(database.db, tenantId, ['case'], { createdAt: Date.parse('2023-07-07T06:51:35.000Z') });
      const [entry] = await kyselyChangeSource(database.db).readAfter(tenantId, 0, 10);
      assert.ok(entry);
      assert.ok(Check(ExportedTrace, entry), 'the wire type of the export');
      const { id, ...rest } = entry;
      assert.match(id, /^ctrc[0-9a-f]{16}$/);
      assert.deepEqual(rest, {
        attachment: null,
        changes: [{ field: 'status', from: 'Pending', to: '1' }],
        createdAt: '2023-07-07T06:51:35.000Z',
        createdDate: '2023-07-07 14:51:35',
        creatorId: 'user1',
        creatorName: 'User One',
        description: null,
        objectId: 'c6m8object0000000001',
        objectType: 'Case',
        relatedId: null,
        seq: 1,
        title: 'change 1',
        type: 'StatusUpdate',
        via: 'app:apap0000000000000001',
      });
    } finally {
      await database.close();
    }
  });

  it('reads task and case traces merged in seq order, after the cursor, at most the limit, skipping gaps and other tenants', async () => {
    const database = await freshChangeDb();
    try {
      const tenantId = newTenantId();
      const other = newTenantId();
      await createTenant(database.db, tenantId);
      await createTenant(database.db, other);
      // 1 task, 2 gap, 3 case, 4 case, 5 task, 6 gap, 7 task, 8 case
      await writeChange(database.db, tenantId, ['task', 'gap', 'case']);
      await writeChange(database.db, other, ['task', 'case', 'task']);
      await writeChange(database.db, tenantId, ['case', 'task']);
      await writeChange(database.db, tenantId, ['gap', 'task', 'case']);
      const source = kyselyChangeSource(database.db);
      const read = async (after: number, limit: number) => (await source.readAfter(tenantId, after, limit)).map((entry) => `${entry.seq}${entry.objectType[0]}`);
      assert.deepEqual(await read(0, 100), ['1T', '3C', '4C', '5T', '7T', '8C']);
      assert.deepEqual(await read(0, 3), ['1T', '3C', '4C']);
      // More of one kind than the limit ahead of the other: the merge still takes the lowest numbers.
      assert.deepEqual(await read(3, 2), ['4C', '5T']);
      assert.deepEqual(await read(5, 100), ['7T', '8C']);
      assert.deepEqual(await read(8, 100), []);
      assert.deepEqual(await source.readAfter(newTenantId(), 0, 100), [], 'a tenant with nothing');
    } finally {
      await database.close();
    }
  });

  it('latestSeqs: every tenant\'s committed change sequence, gaps included', async () => {
    const database = await freshChangeDb();
    try {
      const [a, b] = [newTenantId(), newTenantId()];
      await createTenant(database.db, a);
      await createTenant(database.db, b);
      await writeChange(database.db, a, ['task', 'gap', 'gap']);
      await writeChange(database.db, b, ['case']);
      // Other counters of the tenant are not the change sequence.
      await database.db.insertInto('tenant_counters').values({ tenant_id: a, name: 'task_no', value: 77 }).execute();
      assert.deepEqual([...await kyselyChangeSource(database.db).latestSeqs()].sort(), [[a, 3], [b, 1]].sort());
    } finally {
      await database.close();
    }
  });
});
