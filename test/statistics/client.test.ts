import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OpencaseClient, OpencaseError } from 'opencase/client';
import { DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { parseWireDate } from '../../src/wire/dates.js';
import { runCli } from '../cli-helpers.js';
import { postAicc, useTestApp } from '../helpers.js';

describe('the statistics in the typed client and the CLI (opencase stats)', () => {
  const t = useTestApp();
  let client: OpencaseClient;
  let env: NodeJS.ProcessEnv;

  // One case created on 2024-05-15 (Asia/Shanghai, the demo's zone) beside the demo case, open and overdue since 2023.
  before(async () => {
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    client = new OpencaseClient({ baseUrl: url, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret });
    env = { OPENCASE_URL: url, OPENCASE_CLIENT_ID: DEMO_CLIENT.clientId, OPENCASE_CLIENT_SECRET: DEMO_CLIENT.clientSecret };
    t.now.value = parseWireDate('2024-05-15 09:00:00', DEMO_TENANT.timeZone) ?? 0;
    const created = await postAicc(t.app, t.token, 'case', {
      caseInfo: { title: 't', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: DEMO_USER.id, contactId: DEMO_CONTACT.id },
    });
    assert.equal(created.statusCode, 200, created.body);
  });

  it('client.statistics.current and .report return the results, typed; a failure is an OpencaseError', async () => {
    assert.deepEqual(await client.statistics.current(), { averageDuration: 0, finishedCases: 0, newCases: 1, overCases: 1, unfinishedCases: 2 });
    const report = await client.statistics.report({ startTime: '2024-05-14', endTime: '2024-05-15', start: 0, limit: 10 });
    assert.equal(report.count, 2);
    assert.deepEqual(report.caseStatisticsList.map((row) => [row.date, row.newCases, row.unfinishedCases]), [['2024-05-15', 1, 2], ['2024-05-14', 0, 1]]);
    await assert.rejects(client.statistics.report({ caseTypeId: 'cvmC0000000000000000', start: 0, limit: 1 }),
      (error: OpencaseError) => error.resCode === '404001' && error.httpStatus === 404);
  });

  it('opencase stats current prints the five figures; --json prints the result', async () => {
    const readable = await runCli(['stats', 'current'], env);
    assert.equal(readable.code, 0, readable.stderr);
    assert.match(readable.stdout, /^new today +1\nfinished today +0\nopen +2\noverdue +1\nmean days to finish +0\n$/);
    const json = await runCli(['stats', 'current', '--json'], env);
    assert.deepEqual(JSON.parse(json.stdout), await client.statistics.current());
  });

  it('opencase stats report prints the days of a range, of one case type; --json prints the result', async () => {
    const args = ['stats', 'report', '--start-time', '2024-05-14', '--end-time', '2024-05-15', '--case-type-id', DEMO_CASE_TYPE.id];
    const readable = await runCli(args, env);
    assert.equal(readable.code, 0, readable.stderr);
    const lines = readable.stdout.trim().split('\n');
    assert.equal(lines[0], `case type ${DEMO_CASE_TYPE.typeName}`);
    assert.match(lines[1] ?? '', /^DATE +NEW +FINISHED +OPEN +OVERDUE +MEAN DAYS$/);
    assert.match(lines[2] ?? '', /^2024-05-15 +1 +0 +2 +1 +0$/);
    assert.match(lines[3] ?? '', /^2024-05-14 +0 +0 +1 +1 +0$/);
    assert.equal(lines.at(-1), '1-2 of 2 days');
    const json = await runCli([...args, '--json', '--limit', '1'], env);
    assert.deepEqual(JSON.parse(json.stdout), await client.statistics.report({ startTime: '2024-05-14', endTime: '2024-05-15', caseTypeId: DEMO_CASE_TYPE.id, start: 0, limit: 1 }));
    const refused = await runCli(['stats', 'report', '--start-time', '2024-02-30'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^opencase: 400001: startTime is not a real date \(HTTP 400\)\n$/);
  });
});
