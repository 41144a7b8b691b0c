import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/database.js';
import { DEMO_CLIENT, DEMO_USER } from '../../src/demo/records.js';
import { ensureDemoTenant } from '../../src/demo/seed.js';
import { assertErrorEnvelope, fetchToken, ON_POSTGRES, postAicc, startTestApp, TEST_BACKEND, type TestApp } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newTask(title: string) {
  return { taskInfo: { title, description: 'x'.repeat(4000), ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } };
}

async function taskCount(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from tasks`.execute(db);
  return Number(rows[0]?.n);
}

function readyz(t: TestApp) {
  return t.app.inject({ method: 'GET', url: '/readyz' });
}

/** Every reply a 503 envelope naming the cause, with a Retry-After; returns how many there were. */
function assertAllUnavailable(replies: Array<{ statusCode: number; body: string; headers: Record<string, unknown> }>, cause: RegExp): void {
  for (const reply of replies) {
    assert.equal(reply.statusCode, 503, reply.body);
    const { resCode, resMsg } = assertErrorEnvelope(reply.body);
    assert.equal(resCode, '503001');
    assert.match(resMsg, cause);
    assert.equal(reply.headers['retry-after'], '30');
  }
}

describe('a full disk on SQLite: every write a 503 naming the cause, nothing half-written, the cause in the log', { skip: ON_POSTGRES }, () => {
  it('SQLite refusing to grow the file (max_page_count) fails a whole group commit with its own error, never "cannot rollback"', async () => {
    const t = await startTestApp();
    try {
      const token = await fetchToken(t.app);
      const before = await taskCount(t.database.db);
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(t.database.db);
      await sql.raw(`pragma max_page_count = ${Number(rows[0]?.page_count)}`).execute(t.database.db);

      // Arriving together, they share group commits: the first change that cannot grow the file ends the whole
      // transaction inside SQLite, and every change of the batch must fail with that cause.
      const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => postAicc(t.app, token, 'task', newTask(`full disk ${i}`))));
      assertAllUnavailable(replies, /disk is full/);
      assert.equal(await taskCount(t.database.db), before, 'nothing written');
      const errors = t.logs.lines.filter((line) => line.includes('"level":50'));
      assert.ok(errors.length > 0);
      assert.ok(errors.every((line) => line.includes('database or disk is full')), errors.join('\n'));
      assert.ok(!t.logs.lines.some((line) => line.includes('cannot rollback')), 'the savepoint rollback after SQLite already rolled back is not what is reported');

      await sql.raw('pragma max_page_count = 4294967294').execute(t.database.db);
      const after = await postAicc(t.app, token, 'task', newTask('disk has room again'));
      assert.equal(after.statusCode, 200, after.body);
      assert.equal(await taskCount(t.database.db), before + 1);
    } finally {
      await t.close();
    }
  });

  // A real file system that fills up: a tmpfs, which only root may mount. Skipped elsewhere (CI runs as root).
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it('a tmpfs filled to the last byte: writes 503, /readyz 503 with the cause until space is freed, then both recover', { skip: !canMount && 'needs root to mount a tmpfs' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opencase-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir]);
    assert.equal(mounted.status, 0, mounted.stderr.toString());
    let t: TestApp | undefined;
    try {
      t = await startTestApp({ sqliteFile: join(dir, 'opencase.db') });
      const token = await fetchToken(t.app);
      assert.equal((await readyz(t)).statusCode, 200);
      const before = await taskCount(t.database.db);
      // Fill what is left, one 64 KiB block at a time, until the file system says no.
      const filler = join(dir, 'filler');
      const block = Buffer.alloc(64 * 1024, 1);
      const blocks: Buffer[] = [];
      for (;;) {
        try {
          writeFileSync(filler, Buffer.concat([...blocks, block]));
          blocks.push(block);
        } catch {
          break;
        }
      }
      for (let size = 32 * 1024; size >= 512; size /= 2) {
        try {
          writeFileSync(join(dir, `filler-${size}`), Buffer.alloc(size, 1));
        } catch { /* the next smaller piece may still fit */ }
      }

      // Enough writes to pass whatever room the WAL still had.
      const replies = [];
      for (let i = 0; i < 40; i++) replies.push(await postAicc(t.app, token, 'task', newTask(`tmpfs full ${i}`)));
      const failed = replies.filter((reply) => reply.statusCode !== 200);
      assert.ok(failed.length > 0, 'the disk filled up');
      assertAllUnavailable(failed, /disk is full|I\/O error/);
      const refused = await readyz(t);
      assert.equal(refused.statusCode, 503, refused.body);
      assert.match(assertErrorEnvelope(refused.body).resMsg, /cannot be written: the database's disk is full/);
      const written = replies.length - failed.length;
      assert.equal(await taskCount(t.database.db), before + written, 'only the acknowledged writes are there');

      rmSync(filler, { force: true });
      for (let size = 32 * 1024; size >= 512; size /= 2) rmSync(join(dir, `filler-${size}`), { force: true });
      assert.equal((await readyz(t)).statusCode, 200, 'ready again once a write goes through');
      assert.equal((await postAicc(t.app, token, 'task', newTask('room again'))).statusCode, 200);
    } finally {
      await t?.close();
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a SQLite file that cannot be written, at start', { skip: ON_POSTGRES }, () => {
  // root writes any file whatever its mode, so the server runs as nobody there (as an operator's service user would).
  const asRoot = process.getuid?.() === 0;
  it('the server says so, /readyz is 503 naming it, a token call is a 503 naming it, reads still work', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opencase-ro-'));
    const file = join(dir, 'opencase.db');
    try {
      const database = openDatabase(file);
      await migrateToLatest(database.db);
      await ensureDemoTenant(database, Date.now());
      await database.close();
      // The folder stays writable (SQLite's -wal and -shm files live there); the database file itself is read-only.
      chmodSync(file, 0o444);
      chmodSync(dir, 0o777);
      mkdirSync(join(dir, 'home'), { mode: 0o777 });
      const node = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--db', file];
      const [command, ...args] = asRoot ? ['runuser', '-u', 'nobody', '--', ...node] : node;
      const child = spawn(command!, args, {
        cwd: ROOT, env: { ...process.env, HOME: join(dir, 'home'), OPENCASE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /opencase listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      try {
        assert.match(output, /the database cannot be written: the database is read-only/);
        const ready = await fetch(`${url}/readyz`);
        assert.equal(ready.status, 503);
        assert.match(assertErrorEnvelope(await ready.text()).resMsg, /cannot be written: the database is read-only/);
        const token = await fetch(`${url}${TOKEN_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=client_credentials&client_id=${DEMO_CLIENT.clientId}&client_secret=${DEMO_CLIENT.clientSecret}`,
        });
        const text = await token.text();
        assert.equal(token.status, 503, text);
        assert.match(text, /read-only/);
        assert.equal(token.headers.get('retry-after'), '30');
        assert.equal((await fetch(`${url}/healthz`)).status, 200, 'alive, only not ready');
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a PostgreSQL database that turns read-only', { skip: !ON_POSTGRES }, () => {
  it('writes answer 503 naming it, /readyz is 503 naming it; both recover when it takes writes again', { timeout: 60_000 }, async () => {
    const t = await startTestApp();
    const name = new URL(t.dbLocation).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.OPENCASE_TEST_PG_URL });
    await admin.connect();
    // Sessions read the database's defaults when they start: the app's pooled connections are ended to pick it up.
    const setReadOnly = async (on: boolean) => {
      await admin.query(`alter database ${name} set default_transaction_read_only = ${on ? 'on' : 'off'}`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    };
    try {
      const token = await fetchToken(t.app);
      const before = await taskCount(t.database.db);
      await setReadOnly(true);
      let refused;
      // The first calls may meet a connection that was ended (a 503 of its own); then the read-only session answers.
      for (let i = 0; i < 20; i++) {
        refused = await postAicc(t.app, token, 'task', newTask(`read-only ${i}`));
        if (/read-only/.test(refused.body)) break;
        assert.equal(refused.statusCode, 503, refused.body);
      }
      assert.ok(refused);
      assertAllUnavailable([refused], /the database is read-only/);
      const notReady = await readyz(t);
      assert.equal(notReady.statusCode, 503, notReady.body);
      assert.match(assertErrorEnvelope(notReady.body).resMsg, /cannot be written: the database is read-only/);

      await setReadOnly(false);
      let ready;
      for (let i = 0; i < 20; i++) {
        ready = await readyz(t);
        if (ready.statusCode === 200) break;
      }
      assert.equal(ready?.statusCode, 200, ready?.body);
      assert.equal((await postAicc(t.app, token, 'task', newTask('writable again'))).statusCode, 200);
      assert.equal(await taskCount(t.database.db), before + 1);
    } finally {
      await admin.query(`alter database ${name} reset default_transaction_read_only`).catch(() => {});
      await admin.end();
      await t.close();
    }
  });
});

describe(`/readyz while the database is down, on ${TEST_BACKEND}`, () => {
  it('logs the reason once, without a stack, however often it is polled', async () => {
    const t = await startTestApp();
    try {
      await t.database.close();
      for (let i = 0; i < 5; i++) {
        const reply = await readyz(t);
        assert.equal(reply.statusCode, 503, reply.body);
        assertErrorEnvelope(reply.body);
      }
      const notReady = t.logs.lines.filter((line) => line.includes('not ready'));
      assert.equal(notReady.length, 1, t.logs.lines.join('\n'));
      assert.ok(!t.logs.lines.some((line) => line.includes('"stack"')), t.logs.lines.join('\n'));
    } finally {
      await t.close();
    }
  });
});
