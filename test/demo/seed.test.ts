import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { DEMO_CLIENT, DEMO_TASK_ID, DEMO_TENANT } from '../../src/demo/records.js';
import { ensureDemoTenant } from '../../src/demo/seed.js';
import { fetchTokenOverHttp, startCliServer } from '../cli-helpers.js';
import { tempDir, TASK_PATH } from '../helpers.js';

const example = JSON.stringify(JSON.parse(readFileSync(new URL('../fixtures/task-detail-example.json', import.meta.url), 'utf8')));

function rowCounts(path: string): Record<string, number> {
  const db = new SQLite(path, { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%'").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describe('the demo tenant', () => {
  let dir: string;
  let remove: () => void;
  before(() => {
    ({ dir, remove } = tempDir());
  });
  after(() => remove());

  it('is created once: a second call changes nothing', async () => {
    const path = join(dir, 'twice.db');
    const database = openDatabase(path);
    await migrateToLatest(database.db);
    assert.equal(await ensureDemoTenant(database.db, Date.now()), true);
    const first = rowCounts(path);
    assert.equal(await ensureDemoTenant(database.db, Date.now()), false);
    assert.deepEqual(rowCounts(path), first);
    assert.equal(first.tenants, 1);
    assert.equal(first.tasks, 1);
    await database.close();
  });

  it('two processes starting `serve --demo` at once on a new database make one demo tenant, and both serve it', async () => {
    const path = join(dir, 'race.db');
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
    const counts = rowCounts(path);
    assert.equal(counts.tenants, 1);
    assert.equal(counts.api_apps, 1);
    assert.equal(counts.tasks, 1);
    const db = new SQLite(path, { readonly: true });
    assert.deepEqual(db.prepare('select id from tenants').all(), [{ id: DEMO_TENANT.id }]);
    db.close();
  });
});
