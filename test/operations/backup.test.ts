import assert from 'node:assert/strict';
import { openSync, writeSync, closeSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { openDatabase } from '../../src/db/database.js';
import type { CheckReport } from '../../src/operations/check.js';
import { runCli } from '../cli-helpers.js';
import { AICC, fetchToken, ON_POSTGRES, postAicc, resultOf, startTestApp, tempDir, testDatabase, type TestApp } from '../helpers.js';

/** A case made through the API, acknowledged (committed) when this resolves: its id. */
async function newCase(t: TestApp, token: string, title: string): Promise<string> {
  return resultOf<{ caseId: string }>(await postAicc(t.app, token, 'case', {
    caseInfo: { title, description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId: DEMO_CONTACT.id, creatorId: DEMO_USER.id },
  })).caseId;
}

describe('opencase backup and check on SQLite', { skip: ON_POSTGRES ? 'SQLite files; PostgreSQL below' : false }, () => {
  const folder = tempDir();
  const live = join(folder.dir, 'live.db');
  const copy = join(folder.dir, 'copy.db');
  let t: TestApp;
  let token = '';

  before(async () => {
    t = await startTestApp({ sqliteFile: live });
    token = await fetchToken(t.app);
  });
  after(async () => {
    await t?.close();
    folder.remove();
  });

  it('copies the database while writes go on: every write acknowledged before it began is in the copy, which checks and serves', async () => {
    // No checkpoint while the test writes: every write stays in the WAL file, as when checkpoints lag behind a busy
    // server, so that a copy of the database file alone (not through SQLite) would miss them all.
    await sql`pragma wal_autocheckpoint = 0`.execute(t.database.db);
    const acknowledged: string[] = [];
    let writing = true;
    // Four writers, as four clients of a busy server, until the backup is over.
    const writers = [0, 1, 2, 3].map(async (writer) => {
      for (let n = 0; writing; n++) acknowledged.push(await newCase(t, token, `load ${writer}.${n}`));
    });
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 5));

    const beforeBackup = [...acknowledged];
    const backup = await runCli(['backup', '--db', live, '--to', copy, '--json']);
    const duringBackup = acknowledged.length - beforeBackup.length;
    writing = false;
    await Promise.all(writers);
    assert.equal(backup.code, 0, backup.stderr);
    assert.ok(duringBackup > 0, 'the writers went on while the backup ran');
    const report = JSON.parse(backup.stdout) as { pages: number; bytes: number };
    assert.equal(report.bytes, statSync(copy).size);
    assert.ok(!existsSync(`${copy}.partial-${process.pid}`));

    const checked = await runCli(['check', '--db', copy, '--json']);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    const verdict = JSON.parse(checked.stdout) as CheckReport;
    assert.deepEqual(verdict.integrity, ['ok']);
    assert.deepEqual(verdict.migrations.pending, []);
    const demo = verdict.tenants.find((tenant) => tenant.tenantId === DEMO_TENANT.id);
    assert.ok(demo && demo.cases >= beforeBackup.length, JSON.stringify(demo));

    const store = openDatabase(copy);
    try {
      const found = await store.db.selectFrom('cases').select('id').where('id', 'in', beforeBackup).execute();
      assert.equal(found.length, beforeBackup.length, 'a write acknowledged before the backup began is missing from the copy');
    } finally {
      await store.close();
    }

    // The copy serves: a server on it signs the demo client in and shows a case written before the backup.
    const restored = await startTestApp({ sqliteFile: copy, demo: false });
    try {
      const restoredToken = await fetchToken(restored.app, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const detail = await restored.app.inject({ method: 'GET', url: `${AICC}/case/${beforeBackup.at(-1)}`, headers: { 'access-token': restoredToken } });
      assert.equal(detail.statusCode, 200, detail.body);
    } finally {
      await restored.close();
    }
  });

  it('never overwrites a file, and refuses a database that is not there', async () => {
    const again = await runCli(['backup', '--db', live, '--to', copy]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists: back up to a new file/);
    const missing = await runCli(['backup', '--db', join(folder.dir, 'nowhere.db'), '--to', join(folder.dir, 'x.db')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no database at/);
    assert.ok(!existsSync(join(folder.dir, 'x.db')));
    const noDb = await runCli(['check'], { OPENCASE_DB: undefined });
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /--db is required/);
  });

  it('check finds a damaged copy and says so with exit status 1', async () => {
    const damaged = join(folder.dir, 'damaged.db');
    assert.equal((await runCli(['backup', '--db', live, '--to', damaged])).code, 0);
    // Garbage over pages in the middle of the file, where the cases' tables and indexes are.
    const size = statSync(damaged).size;
    const fd = openSync(damaged, 'r+');
    for (let offset = 4096 * 3; offset < size - 4096; offset += 4096 * 7) writeSync(fd, Buffer.alloc(512, 0x5a), 0, 512, offset + 100);
    closeSync(fd);
    const checked = await runCli(['check', '--db', damaged]);
    assert.equal(checked.code, 1, checked.stdout);
    assert.match(checked.stdout + checked.stderr, /NOT OK|malformed|corrupt|wrong|invalid/i);
  });
});

describe('opencase backup and check on PostgreSQL', { skip: ON_POSTGRES ? false : 'needs the PostgreSQL backend' }, () => {
  let database: { location: string; remove: () => Promise<void> };
  before(async () => {
    database = await testDatabase();
    assert.equal((await runCli(['tenant', 'create', '--db', database.location, '--name', 'Checked', '--json'])).code, 0);
  });
  after(() => database?.remove());

  it('backup says which pg_dump command to run, without the password, and copies nothing', async () => {
    const dir = tempDir();
    try {
      const result = await runCli(['backup', '--db', database.location, '--to', join(dir.dir, 'x.dump')]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /pg_dump --format=custom --file/);
      const password = new URL(database.location).password;
      if (password) assert.ok(!result.stderr.includes(password));
      assert.ok(!existsSync(join(dir.dir, 'x.dump')));
    } finally {
      dir.remove();
    }
  });

  it('check reports the migrations applied and what each tenant holds', async () => {
    const checked = await runCli(['check', '--db', database.location, '--json']);
    assert.equal(checked.code, 0, checked.stderr);
    const report = JSON.parse(checked.stdout) as CheckReport;
    assert.deepEqual(report.migrations.pending, []);
    assert.equal(report.tenants.find((tenant) => tenant.name === 'Checked')?.users, 1);
  });
});
