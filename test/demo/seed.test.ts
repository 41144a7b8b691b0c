import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { DEMO_CLIENT, DEMO_TASK_ID, DEMO_TENANT } from '../../src/demo/records.js';
import { ensureDemoTenant } from '../../src/demo/seed.js';
import { fetchTokenOverHttp, startCliServer } from '../cli-helpers.js';
import { TASK_PATH, taskDetailExample, testDatabase } from '../helpers.js';

const example = JSON.stringify(taskDetailExample());

async function rowCounts(location: string): Promise<Record<string, number>> {
  const { db, close } = openDatabase(location);
  try {
    const counts: Record<string, number> = {};
    for (const { name } of await db.introspection.getTables()) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
      counts[name] = Number(rows[0]?.n);
    }
    return counts;
  } finally {
    await close();
  }
}

describe('the demo tenant', () => {
  it('is created once: a second call changes nothing', async () => {
    const { location: path, remove: removeDb } = await testDatabase();
    const database = openDatabase(path);
    await migrateToLatest(database.db);
    assert.equal(await ensureDemoTenant(database, Date.now()), true);
    const first = await rowCounts(path);
    assert.equal(await ensureDemoTenant(database, Date.now()), false);
    assert.deepEqual(await rowCounts(path), first);
    assert.equal(first.tenants, 1);
    assert.equal(first.tasks, 1);
    await database.close();
    await removeDb();
  });

  it('two processes starting `serve --demo` at once on a new database make one demo tenant, and both serve it', async () => {
    const { location: path, remove: removeDb } = await testDatabase();
    const started = await Promise.allSettled([startCliServer(['--demo', '--db', path]), startCliServer(['--demo', '--db', path])]);
    const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      for (const result of started) if (result.status === 'rejected') throw result.reason;
      for (const server of servers) {
        assert.match(server.output(), /client_id=demo-client client_secret=demo-secret/);
        const access_token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
        const detail = await fetch(`${server.url}${TASK_PATH}/${DEMO_TASK_ID}`, { headers: { 'access-token': access_token } });
        assert.equal(detail.status, 200);
        assert.equal(detail.headers.get('content-type'), 'application/json;charset=UTF-8');
        assert.equal(await detail.text(), example);
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    const counts = await rowCounts(path);
    assert.equal(counts.tenants, 1);
    assert.equal(counts.api_apps, 1);
    assert.equal(counts.tasks, 1);
    const { db, close } = openDatabase(path);
    assert.deepEqual(await db.selectFrom('tenants').select('id').execute(), [{ id: DEMO_TENANT.id }]);
    await close();
    await removeDb();
  });
});
