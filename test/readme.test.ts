import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { fetchTokenOverHttp, freePort, startCliServer, startListening, type CliServer } from './cli-helpers.js';
import { taskDetailExample, tempDir } from './helpers.js';
import { DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT } from '../src/demo/records.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const typeScriptBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The README's curl examples, run as written with bash and curl against a real demo server (its port swapped in). */
/** A demo server as `npm start` makes it, on a database of its own, for the describe block it is called in. */
function useDemoServer(beforeStart: () => Promise<unknown> = async () => undefined): { readonly url: string; readonly db: string } {
  let server: CliServer | undefined;
  let remove: (() => void) | undefined;
  let db = '';
  before(async () => {
    const dir = tempDir();
    remove = dir.remove;
    db = join(dir.dir, 'readme.db');
    [server] = await Promise.all([startCliServer(['--demo', '--db', db]), beforeStart()]);
  });
  after(async () => {
    await server?.stop();
    remove?.();
  });
  return { get url() { return server?.url ?? ''; }, get db() { return db; } };
}

describe('the README examples', () => {
  const server = useDemoServer();

  it('"Try it" prints the documentation\'s example, then every "Common calls" line answers resCode "0"', async () => {
    const tryIt = shellBlocks.find((block) => block.includes('TOKEN=$(curl'));
    const common = shellBlocks.find((block) => block.includes('BASE='));
    assert.ok(tryIt && common, 'the README has both blocks');
    const script = `set -euo pipefail\n${tryIt}\necho\n${common.replace(/\ncurl/g, '\necho\ncurl')}\necho\n`.replaceAll('http://127.0.0.1:8080', server.url);
    const { stdout } = await run('bash', ['-c', script], { maxBuffer: 10 * 1024 * 1024 });
    const replies = stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { resCode: string });
    assert.deepEqual(replies[0], taskDetailExample());
    assert.equal(replies.length, 1 + (common.match(/^curl /gm) ?? []).length);
    for (const reply of replies) assert.equal(reply.resCode, '0', JSON.stringify(reply).slice(0, 200));
  });

  it('"Retries": the same Idempotency-Key sent twice makes one case and answers the same both times', async () => {
    const block = shellBlocks.find((candidate) => candidate.includes('Idempotency-Key: $KEY'));
    assert.ok(block, 'the README has the block');
    const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
    const { stdout } = await run('bash', ['-c', `set -euo pipefail\nTOKEN='${token}'\n${block.replaceAll('http://127.0.0.1:8080', server.url)}`], { cwd: ROOT });
    const [first, second, ...rest] = stdout.split('\n').filter((line) => line.trim() !== '');
    assert.deepEqual(rest, []);
    assert.equal(first, second);
    assert.equal((JSON.parse(first ?? '{}') as { resCode: string }).resCode, '0', first);
  });

  describe('"Use it from code", against the built package as a user has it', () => {
    // The examples import `opencase/client` and run `npx opencase`: both are dist/, built here from the current sources.
    // They start from the demo as `npm start` makes it, not from the records the curl examples changed.
    // `npm run build`, as `npm start` runs it: it also makes dist/cli.js executable, which `npx opencase` needs.
    const fresh = useDemoServer(() => run('npm', ['run', 'build'], { cwd: ROOT }));

    it('the TypeScript example runs as written with tsx and prints what its comments say', async () => {
      const example = typeScriptBlocks.find((block) => block.includes("from 'opencase/client'"));
      assert.ok(example, 'the README has the example');
      // In this folder, as the README says, so that `opencase/client` is this package.
      const dir = mkdtempSync(join(ROOT, '.readme-'));
      try {
        const file = join(dir, 'example.ts');
        writeFileSync(file, example.replaceAll('http://127.0.0.1:8080', fresh.url));
        // tsx does not check types; a user's editor and build do, against dist/client/*.d.ts.
        await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022', file], { cwd: ROOT });
        const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), file], { cwd: ROOT });
        const lines = stdout.trim().split('\n');
        assert.equal(lines[0], 'test002 Pending');
        assert.ok(lines.some((line) => /^[A-Za-z0-9]{20} Processing Call the customer back$/.test(line)), stdout);
        assert.equal(lines.at(-1), '404001 404');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('"People": the first admin made with the CLI signs in, refreshes and signs out as written', async () => {
      const block = shellBlocks.find((candidate) => candidate.includes('session/refresh'));
      assert.ok(block, 'the README has the block');
      const dir = tempDir();
      try {
        const script = `set -euo pipefail\n${block.replace(/\ncurl/g, '\necho\ncurl')}\necho\n`
          .replaceAll('./data/opencase.db', fresh.db).replaceAll('http://127.0.0.1:8080', fresh.url).replaceAll('cookies.txt', join(dir.dir, 'cookies.txt'));
        const { stdout } = await run('bash', ['-c', script], { cwd: ROOT });
        const [created, signedIn, refreshed, signedOut, ...rest] = stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.deepEqual(rest, []);
        assert.equal(created?.role, 'admin');
        const session = signedIn?.result as { accessToken: string; userId: string; role: string };
        assert.deepEqual({ resCode: signedIn?.resCode, userId: session.userId, role: session.role }, { resCode: '0', userId: created?.userId, role: 'admin' });
        assert.equal(refreshed?.resCode, '0', JSON.stringify(refreshed));
        assert.notEqual((refreshed?.result as { accessToken: string }).accessToken, session.accessToken);
        assert.equal(signedOut?.resCode, '0', JSON.stringify(signedOut));
        // Signed out: the refreshed token no longer works.
        const after = await fetch(`${fresh.url}/opencase/v1/users`, { headers: { 'access-token': (refreshed?.result as { accessToken: string }).accessToken } });
        assert.equal(after.status, 401);
      } finally {
        dir.remove();
      }
    });

    it('"Back up and restore": a copy made while the server runs checks out, and restored it brings back the database as it was', async () => {
      const backupBlock = shellBlocks.find((candidate) => candidate.includes('npx opencase backup'));
      const restoreBlock = shellBlocks.find((candidate) => candidate.includes('opencase.db.replaced'));
      assert.ok(backupBlock && restoreBlock, 'the README has both blocks');
      const dir = tempDir();
      const db = join(dir.dir, 'data', 'opencase.db');
      const asWritten = (block: string) => block.replaceAll('./data/opencase.db', db).replaceAll('./backups/', `${join(dir.dir, 'backups')}/`);
      let server = await startCliServer(['--demo', '--db', db]);
      try {
        const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
        const newCase = async (title: string) => {
          const reply = await fetch(`${server.url}/service/AICC__Case/1.0.0/openapi/case`, {
            method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' },
            body: JSON.stringify({ caseInfo: { title, description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: true, contactId: DEMO_CONTACT.id } }),
          });
          return ((await reply.json()) as { result: { caseId: string } }).result.caseId;
        };
        const kept = await newCase('made before the backup');
        const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${asWritten(backupBlock)}\necho "copy=$copy"`], { cwd: ROOT });
        assert.match(stdout, /^backed up /m);
        assert.match(stdout, /^verdict +ok$/m);
        assert.match(stdout, new RegExp(`^${DEMO_TENANT.id} +`, 'm'));
        const copy = /^copy=(.+)$/m.exec(stdout)?.[1] ?? '';
        const lost = await newCase('made after the backup');

        await server.stop();
        await run('bash', ['-c', `set -euo pipefail\ncopy='${copy}'\n${asWritten(restoreBlock)}`], { cwd: ROOT });
        server = await startCliServer(['--db', db]);
        const detail = (id: string) => fetch(`${server.url}/service/AICC__Case/1.0.0/openapi/case/${id}`, { headers: { 'access-token': token } });
        assert.equal((await detail(kept)).status, 200);
        assert.equal((await detail(lost)).status, 404);
      } finally {
        await server.stop();
        dir.remove();
      }
    });

    it('npm start on a built checkout serves at once, without building again', async () => {
      const dir = tempDir();
      // scripts/start.mjs is what `npm start` runs; its database, ./data/opencase.db, is made in this folder.
      const started = await startListening([join(ROOT, 'scripts', 'start.mjs'), '--port', '0'], { cwd: dir.dir });
      try {
        assert.equal((await fetch(`${started.url}/healthz`)).status, 200);
        assert.doesNotMatch(started.output(), /building/, 'a built checkout is not built again');
        assert.match(started.output(), /demo-client/, 'the demo is served, as npm start promises');
      } finally {
        await started.stop();
        dir.remove();
      }
    });

    it('"Check a server": the kit passes against the demo read-only and with --write, diff names what a tenant answers otherwise, and --wire-from makes it answer so', async () => {
      const runBlock = shellBlocks.find((candidate) => candidate.includes('npx opencase conformance --url'));
      const diffBlock = shellBlocks.find((candidate) => candidate.includes('npx opencase conformance diff'));
      assert.ok(runBlock && diffBlock, 'the README has both blocks');
      const dir = tempDir();
      const asWritten = (block: string) => block.replaceAll('http://127.0.0.1:8080', fresh.url).replaceAll('./conformance/', `${join(dir.dir, 'conformance')}/`).replaceAll('./data/opencase.db', fresh.db);
      try {
        const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${asWritten(runBlock)}`], { cwd: ROOT });
        assert.match(stdout, /^\d+ passed, 0 failed, \d+ skipped in [\d.]+ s against http:\/\/127\.0\.0\.1:\d+ \(read-only\)$/m);
        assert.match(stdout, /^\d+ passed, 0 failed, \d+ skipped in [\d.]+ s against http:\/\/127\.0\.0\.1:\d+ \(write\)$/m);
        assert.match(readFileSync(join(dir.dir, 'conformance', 'report.xml'), 'utf8'), /<testsuites name="AICC Case 2.0 conformance" tests="\d+" failures="0"/);

        // "A real tenant" here: the demo recorded while it answers case detail with the object, as the table shows.
        const opencase = ['--conditions=opencase-source', '--import', 'tsx', 'src/cli.ts'];
        const setWire = (value: string) => run(process.execPath, [...opencase, 'tenant', 'set', '--db', fresh.db, '--tenant', DEMO_TENANT.id, '--wire', `caseDetailResult=${value}`], { cwd: ROOT });
        await setWire('object');
        await run(process.execPath, [...opencase, 'conformance', '--url', fresh.url, '--client-id', DEMO_CLIENT.clientId, '--client-secret', DEMO_CLIENT.clientSecret, '--quiet', '--record', join(dir.dir, 'conformance', 'tenant.json')], { cwd: ROOT });
        await setWire('array');

        // diff exits 1 (the profiles differ), so the block runs without set -e, as a person runs it line by line.
        const diff = await run('bash', ['-c', asWritten(diffBlock)], { cwd: ROOT });
        assert.match(diff.stdout, /^- wire caseDetailResult: object in A, array in B$/m);
        assert.match(diff.stdout, /^- GET case\/\{id\}: result: an object in A, an array in B$/m);
        assert.match(diff.stdout, /^wire +caseDetailResult=object$/m);
        const token = await fetchTokenOverHttp(fresh.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
        const detail = await (await fetch(`${fresh.url}/service/AICC__Case/1.0.0/openapi/case/c6m80000014iXKHqDw3c`, { headers: { 'access-token': token } })).json() as { result: unknown };
        assert.ok(!Array.isArray(detail.result), 'the tenant answers case detail with the object now');
      } finally {
        dir.remove();
      }
    });

    it('the CLI client lines run as written', async () => {
      const block = shellBlocks.find((candidate) => candidate.includes('npx opencase task get'));
      assert.ok(block, 'the README has the block');
      // Their server is the default, http://127.0.0.1:8080; this one listens elsewhere.
      const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${block}`], { cwd: ROOT, env: { ...process.env, OPENCASE_URL: fresh.url } });
      assert.match(stdout, /^access_token {2}\S+$/m);
      assert.match(stdout, /^task +ccqG0000014iXvGKONQO /m);
      assert.match(stdout, /^ID +STATUS +PRIORITY +OWNER +CREATED +TITLE$/m);
      assert.match(stdout, /^case +c6m80000014iXKHqDw3c /m);
    });
  });
});

describe('the README\'s Webhooks section', () => {
  it('the receiver runs as written, type-checks, and prints each event the curl line subscribed it to, its signature checked', async () => {
    const receiverBlock = typeScriptBlocks.find((block) => block.includes("from 'standardwebhooks'"));
    const subscribeBlock = shellBlocks.find((block) => block.includes('/opencase/v1/webhooks'));
    assert.ok(receiverBlock && subscribeBlock, 'the README has both blocks');
    const dir = tempDir();
    const database = join(dir.dir, 'webhooks.db');
    const server = await startCliServer(['--demo', '--db', database], { OPENCASE_WEBHOOK_ALLOW_PRIVATE: '1' });
    const port = await freePort();
    // In this folder, as a user's project would have it installed, so that `standardwebhooks` resolves.
    const receiverDir = mkdtempSync(join(ROOT, '.readme-'));
    let receiver: ReturnType<typeof spawn> | undefined;
    try {
      const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const { stdout } = await run('bash', ['-c', `set -euo pipefail\nTOKEN='${token}'\n${subscribeBlock.replaceAll('http://127.0.0.1:8080', server.url).replaceAll('127.0.0.1:9000', `127.0.0.1:${port}`)}`], { cwd: ROOT });
      const made = JSON.parse(stdout) as { resCode: string; result: { webhookId: string; secret: string } };
      assert.equal(made.resCode, '0', stdout);
      const file = join(receiverDir, 'receiver.ts');
      writeFileSync(file, receiverBlock.replace('.listen(9000)', `.listen(${port})`));
      await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022', '--types', 'node', file], { cwd: ROOT });
      receiver = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), file], { cwd: ROOT, env: { ...process.env, WEBHOOK_SECRET: made.result.secret }, stdio: ['ignore', 'pipe', 'inherit'] });
      let printed = '';
      receiver.stdout?.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
      // The first change waits for the receiver to listen (an unsigned request is its 401).
      for (let i = 0; i < 150; i++) {
        if (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).then((reply) => reply.status === 401, () => false)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const update = await fetch(`${server.url}/service/AICC__Case/1.0.0/openapi/task/status/update`, {
        method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'ccqG0000014iXvGKONQO', status: 'Processing', creatorId: '10gg00000148QvgpaLAm' }),
      });
      assert.equal(((await update.json()) as { resCode: string }).resCode, '0');
      for (let i = 0; i < 100 && !printed.includes('\n'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(printed, 'task.status_changed ccqG0000014iXvGKONQO\n');
    } finally {
      receiver?.kill();
      await server.stop();
      rmSync(receiverDir, { recursive: true, force: true });
      dir.remove();
    }
  });
});

