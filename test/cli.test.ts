import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { fetchTokenOverHttp, runCli, startCliServer } from './cli-helpers.js';
import { ON_POSTGRES, tempDir, TASK_PATH, testDatabase } from './helpers.js';

function assertOneLineError(result: { code: number | null; stderr: string; stdout: string }, pattern: RegExp) {
  assert.notEqual(result.code, 0);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.ok(!/\n\s+at /.test(result.stderr), 'stack trace printed');
}

describe('the opencase command', () => {
  let dir: string;
  let remove: () => void;
  before(() => {
    ({ dir, remove } = tempDir());
  });
  after(() => remove());

  let db: string;
  let removeDb: () => Promise<void>;
  before(async () => {
    ({ location: db, remove: removeDb } = await testDatabase());
  });
  after(() => removeDb());

  it('migrate, tenant create --json and user create --json work on a new database, and the tenant can call the API', async () => {
    const migrated = await runCli(['migrate', '--db', db]);
    assert.equal(migrated.code, 0, migrated.stderr);

    const created = await runCli(['tenant', 'create', '--db', db, '--name', 'Acme support', '--time-zone', 'Europe/Paris', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const tenant = JSON.parse(created.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(tenant), ['tenantId', 'userId', 'clientId', 'clientSecret']);
    assert.match(tenant.tenantId ?? '', /^[0-9A-Za-z]{20}$/);
    assert.match(tenant.userId ?? '', /^[0-9A-Za-z]{20}$/);

    const user = await runCli(['user', 'create', '--tenant', tenant.tenantId ?? '', '--name', 'Li Lei', '--json'], { OPENCASE_DB: db });
    assert.equal(user.code, 0, user.stderr);
    const userRecord = JSON.parse(user.stdout) as Record<string, string>;
    assert.equal(userRecord.tenantId, tenant.tenantId);
    assert.equal(userRecord.name, 'Li Lei');

    const server = await startCliServer(['--db', db]);
    try {
      const access_token = await fetchTokenOverHttp(server.url, tenant.clientId ?? '', tenant.clientSecret ?? '');
      const detail = await fetch(`${server.url}${TASK_PATH}/ccqG0000014iXvGKONQO`, { headers: { 'access-token': access_token } });
      assert.equal(detail.status, 404, 'a new tenant sees no demo data');
    } finally {
      await server.stop();
    }
  });

  it('tenant list counts what each tenant holds; app create adds a second API app, which app list shows without a secret', async () => {
    const created = JSON.parse((await runCli(['tenant', 'create', '--db', db, '--name', 'Listed 客服', '--json'])).stdout) as Record<string, string>;
    const listed = await runCli(['tenant', 'list', '--db', db, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const tenants = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(tenants.find((tenant) => tenant.tenantId === created.tenantId), {
      tenantId: created.tenantId, name: 'Listed 客服', timeZone: 'UTC', createdAt: tenants.find((tenant) => tenant.tenantId === created.tenantId)?.createdAt,
      users: 1, apps: 1, contacts: 0, cases: 0, tasks: 0,
    });
    const table = await runCli(['tenant', 'list', '--db', db]);
    assert.match(table.stdout.split('\n')[0] ?? '', /^tenant +name +time zone +users +apps +contacts +cases +tasks$/);

    const second = await runCli(['app', 'create', '--db', db, '--tenant', created.tenantId ?? '', '--name', 'CRM sync', '--role', 'agent', '--json']);
    assert.equal(second.code, 0, second.stderr);
    const secret = (JSON.parse(second.stdout) as { clientSecret: string }).clientSecret;
    const apps = await runCli(['app', 'list', '--db', db, '--tenant', created.tenantId ?? '', '--json']);
    const listedApps = JSON.parse(apps.stdout) as Array<{ name: string; role: string | null; revokedAt: string | null }>;
    assert.deepEqual(listedApps.map((app) => [app.name, app.role, app.revokedAt]), [['Listed 客服 API', null, null], ['CRM sync', 'agent', null]]);
    assert.ok(!apps.stdout.includes(secret), 'a secret is never listed');
    assertOneLineError(await runCli(['app', 'list', '--db', db, '--tenant', 'tnntNOPE000000000000']), /no tenant with id tnntNOPE000000000000/);
  });

  it('a command that works on a database refuses to run without --db or OPENCASE_DB, rather than writing to a default file', async () => {
    for (const args of [['tenant', 'create', '--name', 'x'], ['migrate'], ['tenant', 'list'], ['user', 'list', '--tenant', 'x']]) {
      assertOneLineError(await runCli(args, { OPENCASE_DB: undefined }), /--db is required: name the database to work on/);
    }
  });

  it('user create for an unknown tenant is a one-line error', async () => {
    const result = await runCli(['user', 'create', '--db', db, '--tenant', 'tnntNOPE000000000000', '--name', 'x']);
    assertOneLineError(result, /no tenant with id tnntNOPE000000000000/);
  });

  it('bad flags are one-line errors with a non-zero exit', async () => {
    assertOneLineError(await runCli(['serve', '--bogus']), /unknown option '--bogus'/);
    assertOneLineError(await runCli(['serve', '--db', join(dir, 'p.db'), '--port', 'eighty']), /--port must be a whole number/);
    assertOneLineError(await runCli(['serve', '--db', join(dir, 'p.db'), '--port', '70000']), /--port must be between/);
    assertOneLineError(await runCli(['tenant', 'create', '--db', join(dir, 'p.db')]), /required option '--name <name>'/);
    assertOneLineError(await runCli(['tenant', 'create', '--db', db, '--name', 'x', '--time-zone', 'Mars/Base']), /not an IANA time zone/);
    assertOneLineError(await runCli(['nonsense']), /unknown command 'nonsense'/);
  });

  it('an unwritable database path is a one-line error', { skip: ON_POSTGRES && 'a SQLite file path' }, async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a directory');
    assertOneLineError(await runCli(['migrate', '--db', join(file, 'x.db')]), /cannot open database/);
    assertOneLineError(await runCli(['serve', '--db', join(file, 'x.db')]), /cannot open database/);
  });

  it('a database locked by another process is a one-line error after the busy timeout', { skip: ON_POSTGRES && 'a SQLite file lock' }, async () => {
    const db = join(dir, 'locked.db');
    assert.equal((await runCli(['migrate', '--db', db])).code, 0);
    const holder = new SQLite(db);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      assertOneLineError(await runCli(['tenant', 'create', '--db', db, '--name', 'x']), /database is locked/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('opencase serve --workers', () => {
  it('serves from two processes on one port and stops them all on SIGTERM', async () => {
    const { location, remove } = await testDatabase();
    const server = await startCliServer(['--demo', '--db', location, '--workers', '2']);
    try {
      assert.match(server.output(), /2 workers\)/);
      const token = await fetchTokenOverHttp(server.url, 'demo-client', 'demo-secret');
      const created = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
        const response = await fetch(`${server.url}${TASK_PATH}`, {
          method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' },
          body: JSON.stringify({ taskInfo: { title: `w${i}`, ownerId: '10gg00000148QvgpaLAm', creatorId: '10gg00000148QvgpaLAm' } }),
        });
        assert.equal(response.status, 200);
        return ((await response.json()) as { result: { taskId: string } }).result.taskId;
      }));
      const numbers = await Promise.all(created.map(async (id) => {
        const response = await fetch(`${server.url}${TASK_PATH}/${id}`, { headers: { 'access-token': token } });
        return ((await response.json()) as { result: { taskInfo: { taskNo: string } } }).result.taskInfo.taskNo;
      }));
      assert.equal(new Set(numbers).size, 40);
      // The banner comes with the first worker; the second may still be starting on a busy machine (seen in CI).
      const listeners = () => (server.output().match(/Server listening at/g) ?? []).length;
      for (const started = Date.now(); listeners() < 2 && Date.now() - started < 30_000;) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(listeners(), 2, 'both workers listen');
    } finally {
      await server.stop();
      await remove();
    }
    assert.notEqual(server.child.exitCode, null, 'the primary exited after SIGTERM');
  });
});
