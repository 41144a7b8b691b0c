import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../cli-helpers.js';
import { tempDir, type TestApp } from '../helpers.js';
import { failures, startKitTarget } from './target.js';
import { runConformance } from '../../src/conformance/run.js';
import { DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';

describe('the conformance kit against opencase', () => {
  let target: { testApp: TestApp; url: string };
  before(async () => { target = await startKitTarget(); });
  after(() => target.testApp.close());

  it('read-only: every check passes, and nothing is written', async () => {
    const db = target.testApp.database.db;
    const count = async (table: 'task_traces' | 'case_traces' | 'cases' | 'tasks') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const traces = async () => [await count('task_traces'), await count('case_traces'), await count('cases'), await count('tasks')];
    const before = await traces();
    const { report } = await runConformance({ url: target.url, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, write: false });
    assert.deepEqual(failures(report.results), []);
    assert.ok(report.results.length >= 35, `${report.results.length} checks`);
    assert.deepEqual(await traces(), before, 'a read-only run changed nothing');
  });

  it('--write through the CLI: every check passes, everything made is closed or cancelled, and the reports hold no secret, token or personal data', async () => {
    const dir = tempDir();
    try {
      const files = ['report.xml', 'report.json', 'report.md', 'profile.json'].map((name) => join(dir.dir, 'out', name));
      const [xml, json, md, profile] = files as [string, string, string, string];
      const run = await runCli(['conformance', '--url', target.url, '--client-id', DEMO_CLIENT.clientId, '--write', '--report', xml, '--report', json, '--report', md, '--record', profile],
        { AICC_CLIENT_SECRET: DEMO_CLIENT.clientSecret });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^\d+ passed, 0 failed, 0 skipped in [\d.]+ s against http:\/\/127\.0\.0\.1:\d+ \(write\)$/m);
      assert.match(run.stdout, /✓ cec_07_0274 close case/);

      // What the run made: in the conformance- case type, each case closed or cancelled, each task completed.
      const db = target.testApp.database.db;
      const kitType = await db.selectFrom('case_types').select(['id', 'type_name']).where('type_name', 'like', 'conformance-%').executeTakeFirstOrThrow();
      const made = await db.selectFrom('cases').selectAll().where('type_id', '=', kitType.id).execute();
      assert.ok(made.length >= 3, `${made.length} cases made`);
      for (const row of made) assert.ok(row.is_cancelled === 1 || row.is_closed === 1, `case ${row.id} is left open`);
      const tasks = await db.selectFrom('tasks').select(['status']).where('relate_id', 'in', made.map((row) => row.id)).execute();
      assert.ok(tasks.length >= 1);
      for (const task of tasks) assert.equal(task.status, 'Completed');

      const junit = readFileSync(xml, 'utf8');
      assert.match(junit, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="AICC Case 2.0 conformance" tests="\d+" failures="0" skipped="0"/);
      assert.match(junit, /<testcase classname="cec_07_0280" name="cec_07_0280 task detail: /);
      const parsed = JSON.parse(readFileSync(json, 'utf8')) as { summary: { failed: number; passed: number }; mode: string };
      assert.deepEqual([parsed.summary.failed, parsed.mode], [0, 'write']);
      assert.match(readFileSync(md, 'utf8'), /^# AICC Case 2\.0 conformance of http:\/\/127\.0\.0\.1:\d+\n/);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const secret of [DEMO_CLIENT.clientSecret, DEMO_CONTACT.customerName, DEMO_CONTACT.cellPhone1, DEMO_CONTACT.email, DEMO_USER.name, DEMO_TENANT.name]) {
          assert.ok(!text.includes(secret), `${file} holds ${secret}`);
        }
        // No token: opencase's are 43 characters of base64url, and none is written anywhere.
        assert.doesNotMatch(text, /[A-Za-z0-9_-]{43}/);
      }
      assert.ok(!run.stdout.includes(DEMO_CLIENT.clientSecret));
    } finally {
      dir.remove();
    }
  });

  it('a wrong secret: the token checks fail, every call is skipped, and the exit code is 1', async () => {
    const run = await runCli(['conformance', '--url', target.url, '--client-id', DEMO_CLIENT.clientId, '--client-secret', 'wrong-secret']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✗ cec_07_0260 token: a form body/);
    assert.match(run.stdout, /- the AICC Case 2\.0 calls\n {4}skipped: no token/);
    assert.ok(!run.stdout.includes('wrong-secret'), 'the secret given is never printed');
  });
});
