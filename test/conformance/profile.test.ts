import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../cli-helpers.js';
import { tempDir, type TestApp } from '../helpers.js';
import { startKitTarget } from './target.js';
import { DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';

describe('conformance --record, conformance diff and tenant set --wire-from', () => {
  let target: { testApp: TestApp; url: string };
  let dir: { dir: string; remove: () => void };
  before(async () => {
    target = await startKitTarget();
    dir = tempDir();
  });
  after(async () => {
    await target.testApp.close();
    dir.remove();
  });

  const record = async (name: string) => {
    const file = join(dir.dir, name);
    const run = await runCli(['conformance', '--url', target.url, '--client-id', DEMO_CLIENT.clientId, '--quiet', '--record', file], { AICC_CLIENT_SECRET: DEMO_CLIENT.clientSecret });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    return file;
  };
  const tenantSet = async (...args: string[]) => {
    const run = await runCli(['tenant', 'set', '--db', target.testApp.dbLocation, '--tenant', DEMO_TENANT.id, ...args]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    return run.stdout;
  };

  it('a profile holds shapes, statuses and codes, no value; two runs of one server do not differ', async () => {
    const first = await record('first.json');
    const text = readFileSync(first, 'utf8');
    const profile = JSON.parse(text) as { wire: Record<string, string>; calls: Record<string, { result: unknown }>; refusals: Record<string, { status: number; resCode: string }> };
    assert.deepEqual(profile.wire, { caseDetailResult: 'array', taskListResult: 'object', successMessage: '成功', unknownFields: 'reject' });
    assert.deepEqual(profile.refusals['POST case/list: an invalid access-token'], { status: 401, resCode: '401002', resMsg: 'en', result: 'absent' });
    assert.match(JSON.stringify(profile.calls['GET task/{id}']?.result), /"extternalNo":"null"/);
    for (const value of [DEMO_CLIENT.clientSecret, DEMO_CONTACT.customerName, DEMO_CONTACT.cellPhone1, DEMO_CONTACT.email, DEMO_USER.name, DEMO_USER.id, DEMO_CONTACT.id, target.url]) {
      assert.ok(!text.includes(value), `the profile holds ${value}`);
    }
    const diff = await runCli(['conformance', 'diff', first, await record('second.json')]);
    assert.deepEqual([diff.code, diff.stdout], [0, 'no differences\n']);
  });

  it('diff says in words where a tenant answers otherwise, and --wire-from makes it answer as recorded again', async () => {
    const before = await record('before.json');
    await tenantSet('--wire', 'caseDetailResult=object', '--wire', 'successMessage=Success', '--wire', 'taskListResult=array');
    const changed = await record('changed.json');
    const diff = await runCli(['conformance', 'diff', before, changed]);
    assert.equal(diff.code, 1, diff.stdout + diff.stderr);
    const lines = diff.stdout.split('\n');
    for (const expected of [
      '- wire caseDetailResult: array in A, object in B',
      '- wire successMessage: 成功 in A, Success in B',
      '- wire taskListResult: object in A, array in B',
      '- GET case/{id}: result: an array in A, an object in B',
      '- POST task/list: result: an object in A, an array in B',
    ]) assert.ok(lines.includes(expected), `${expected}\nnot in:\n${diff.stdout}`);

    // The tenant now answers as the recorded server did.
    assert.match(await tenantSet('--wire-from', before), /wire +caseDetailResult=array\nwire +taskListResult=object\nwire +successMessage=成功/);
    const again = await runCli(['conformance', 'diff', before, await record('again.json')]);
    assert.deepEqual([again.code, again.stdout], [0, 'no differences\n']);
  });

  it('--wire-from refuses a file that is no profile, and a switch opencase cannot answer, naming it', async () => {
    const notJson = join(dir.dir, 'not.json');
    writeFileSync(notJson, '{');
    const other = join(dir.dir, 'other.json');
    writeFileSync(other, JSON.stringify({ kit: 'opencase-conformance/1', wire: { successMessage: 'OK' } }));
    const refusals = [
      await runCli(['tenant', 'set', '--db', target.testApp.dbLocation, '--tenant', DEMO_TENANT.id, '--wire-from', notJson]),
      await runCli(['tenant', 'set', '--db', target.testApp.dbLocation, '--tenant', DEMO_TENANT.id, '--wire-from', other]),
      await runCli(['tenant', 'set', '--db', target.testApp.dbLocation, '--tenant', DEMO_TENANT.id]),
    ];
    assert.deepEqual(refusals.map((run) => run.code), [1, 1, 1]);
    assert.match(refusals[0]!.stderr, /--wire-from .*not\.json: not JSON/);
    assert.match(refusals[1]!.stderr, /successMessage=OK: successMessage is one of 成功, Success/);
    assert.match(refusals[2]!.stderr, /give --wire key=value or --wire-from FILE/);
    const diff = await runCli(['conformance', 'diff', notJson, other]);
    assert.equal(diff.code, 1);
    assert.match(diff.stderr, /not JSON/);
  });
});
