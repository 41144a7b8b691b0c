import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEMO_CASE, DEMO_CLIENT, DEMO_TASK_ID, DEMO_USER } from '../../src/demo/records.js';
import { OpencaseClient } from 'opencase/client';
import { freePort, runCli } from '../cli-helpers.js';
import { TASK_PATH, taskDetailExample, useTestApp } from '../helpers.js';

describe('opencase token / task / case (the CLI client)', () => {
  const t = useTestApp();
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    env = { OPENCASE_URL: url, OPENCASE_CLIENT_ID: DEMO_CLIENT.clientId, OPENCASE_CLIENT_SECRET: DEMO_CLIENT.clientSecret };
  });

  it('token prints a token the API accepts; --url and the credential flags stand in for the environment', async () => {
    const { url } = { url: env.OPENCASE_URL ?? '' };
    const readable = await runCli(['token', '--url', url, '--client-id', DEMO_CLIENT.clientId, '--client-secret', DEMO_CLIENT.clientSecret], { OPENCASE_URL: undefined, OPENCASE_CLIENT_ID: undefined, OPENCASE_CLIENT_SECRET: undefined });
    assert.equal(readable.code, 0, readable.stderr);
    assert.match(readable.stdout, /^access_token {2}\S{20,}\nexpires_at {4}\d{4}-\d\d-\d\dT/);

    const json = await runCli(['token', '--json'], env);
    const { accessToken } = JSON.parse(json.stdout) as { accessToken: string };
    const detail = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': accessToken } });
    assert.equal(detail.statusCode, 200);
  });

  it('task get prints the task, its cases and its trace; --json prints the documentation\'s result', async () => {
    const readable = await runCli(['task', 'get', DEMO_TASK_ID], env);
    assert.equal(readable.code, 0, readable.stderr);
    assert.match(readable.stdout, new RegExp(`^task +${DEMO_TASK_ID} \\(No\\. 0+1002\\)$`, 'm'));
    assert.match(readable.stdout, /^title +test002$/m);
    assert.match(readable.stdout, new RegExp(`^cases \\(1\\)\\nID +NO\\. +STATUS +TITLE\\n${DEMO_CASE.id} `, 'm'));
    assert.match(readable.stdout, /^CreateTask /m);

    const json = await runCli(['task', 'get', DEMO_TASK_ID, '--json'], env);
    assert.deepEqual(JSON.parse(json.stdout), taskDetailExample().result);
  });

  it('task list prints a page with the total, filters, and --all every row', async () => {
    const created = await runCli(['task', 'list', '--creator-id', DEMO_USER.id, '--status', 'Pending'], env);
    assert.equal(created.code, 0, created.stderr);
    const lines = created.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^ID +STATUS +PRIORITY +OWNER +CREATED +TITLE$/);
    assert.match(lines[1] ?? '', new RegExp(`^${DEMO_TASK_ID} +Pending +Low +${DEMO_USER.name} +2023-07-07 14:51:35 +test002$`));
    assert.equal(lines.at(-1), '1-1 of 1');

    const none = await runCli(['task', 'list', '--creator-id', DEMO_USER.id, '--status', 'Completed', '--json'], env);
    assert.deepEqual(JSON.parse(none.stdout), { count: 0, taskList: [] });
    const ofCase = await runCli(['task', 'list', '--creator-id', DEMO_USER.id, '--relate-id', DEMO_CASE.id, '--json'], env);
    assert.deepEqual((JSON.parse(ofCase.stdout) as { taskList: Array<{ taskId: string }> }).taskList.map((task) => task.taskId), [DEMO_TASK_ID]);
    const all = await runCli(['task', 'list', '--creator-id', DEMO_USER.id, '--all', '--json'], env);
    assert.equal((JSON.parse(all.stdout) as { count: number }).count, 1);
  });

  it('case get prints the case with its tasks', async () => {
    const readable = await runCli(['case', 'get', DEMO_CASE.id], env);
    assert.equal(readable.code, 0, readable.stderr);
    assert.match(readable.stdout, /^title +0704test$/m);
    assert.match(readable.stdout, new RegExp(`^tasks \\(1\\)\\n.*\\n${DEMO_TASK_ID} +Pending`, 'm'));
    const json = await runCli(['case', 'get', DEMO_CASE.id, '--json'], env);
    assert.equal((JSON.parse(json.stdout) as { caseInfo: { id: string } }).caseInfo.id, DEMO_CASE.id);
  });

  it('case close closes a case at its flow\'s end, and says in one line why one elsewhere cannot be', async () => {
    const early = await runCli(['case', 'close', DEMO_CASE.id, '--creator-id', DEMO_USER.id], env);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /^opencase: 409001: case .+ is at status tttttt: only a case at the last status of its flow \(Completed\) can be closed/);
    const client = new OpencaseClient({ baseUrl: env.OPENCASE_URL ?? '', clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret });
    await client.cases.updateStatus({ id: DEMO_CASE.id, status: 'Completed', creatorId: DEMO_USER.id });
    const closed = await runCli(['case', 'close', DEMO_CASE.id, '--creator-id', DEMO_USER.id, '--remark', 'done'], env);
    assert.equal(closed.code, 0, closed.stderr);
    assert.equal(closed.stdout, `case ${DEMO_CASE.id} closed\n`);
    assert.equal((await client.cases.get(DEMO_CASE.id)).caseTrace.at(-1)?.title, 'done');
    await client.cases.reopen(DEMO_CASE.id, { status: 'tttttt' });
  });

  it('says what went wrong in one line, with the server\'s resCode, and exits 1', async () => {
    const invalid = await runCli(['task', 'get', 'nope'], env);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /^opencase: 400001: id .+ \(HTTP 400\)\n$/);

    const missing = await runCli(['case', 'get', 'ccqG0000000000000000'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^opencase: 404\d{3}: .+ \(HTTP 404\)\n$/);

    const refused = await runCli(['token'], { ...env, OPENCASE_CLIENT_SECRET: 'wrong' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^opencase: invalid_client: .+ \(HTTP 401\)\n$/);

    const closedPort = await freePort();
    const unreachable = await runCli(['token', '--url', `http://127.0.0.1:${closedPort}`], env);
    assert.equal(unreachable.code, 1);
    assert.equal(unreachable.stderr, `opencase: no reply from http://127.0.0.1:${closedPort}/baas/auth/v1.0/oauth2/token: ECONNREFUSED\n`);

    const noCredentials = await runCli(['task', 'list', '--creator-id', DEMO_USER.id], { OPENCASE_URL: env.OPENCASE_URL, OPENCASE_CLIENT_ID: undefined, OPENCASE_CLIENT_SECRET: undefined });
    assert.equal(noCredentials.code, 1);
    assert.match(noCredentials.stderr, /required option '--client-id <id>' not specified/);
    const emptySecret = await runCli(['token'], { ...env, OPENCASE_CLIENT_SECRET: '' });
    assert.equal(emptySecret.code, 1);
    assert.match(emptySecret.stderr, /--client-secret.+must not be empty/);

    const badChoice = await runCli(['task', 'list', '--creator-id', DEMO_USER.id, '--status', 'Open'], env);
    assert.equal(badChoice.code, 1);
    assert.match(badChoice.stderr, /Allowed choices are Pending, Processing, Completed/);
  });
});
