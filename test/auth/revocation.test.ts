import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLIENT, DEMO_TASK_ID } from '../../src/demo/records.js';
import { fetchTokenOverHttp, runCli, startCliServer, type CliServer } from '../cli-helpers.js';
import { TASK_PATH, testDatabase, TEST_BACKEND } from '../helpers.js';

/** The operator's side of credentials: revoking and rotating from the CLI reaches a running server at once. */
describe(`opencase token revoke, app rotate-secret, app revoke against a running server, on ${TEST_BACKEND}`, () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let server: CliServer;
  before(async () => {
    database = await testDatabase();
    server = await startCliServer(['--demo', '--db', database.location], { OPENCASE_LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await server.stop();
    await database.remove();
  });

  const cli = (...args: string[]) => runCli([...args, '--db', database.location]);
  const detailStatus = async (token: string) => (await fetch(`${server.url}${TASK_PATH}/${DEMO_TASK_ID}`, { headers: { 'access-token': token } })).status;
  const tokenStatus = async (secret: string) => (await fetch(`${server.url}/baas/auth/v1.0/oauth2/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.clientId, client_secret: secret }),
  })).status;

  it('token revoke: the token stops working on the next request; revoking it again is a one-line error', { timeout: 60_000 }, async () => {
    const token = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
    assert.equal(await detailStatus(token), 200);
    assert.equal(await detailStatus(token), 200);
    const revoked = await cli('token', 'revoke', token);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.doesNotMatch(revoked.stdout + revoked.stderr, new RegExp(token), 'the token is never printed back');
    assert.equal(await detailStatus(token), 401);
    const again = await cli('token', 'revoke', token);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^opencase: no live access token matches/);
    assert.equal(again.stderr.trim().split('\n').length, 1);
  });

  it('app rotate-secret: the old secret is refused at once, the new one works, tokens already issued live on', { timeout: 60_000 }, async () => {
    const issuedBefore = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
    const rotated = await cli('app', 'rotate-secret', '--client-id', DEMO_CLIENT.clientId, '--json');
    assert.equal(rotated.code, 0, rotated.stderr);
    const { clientSecret, revokedTokens } = JSON.parse(rotated.stdout) as { clientSecret: string; revokedTokens: number };
    assert.equal(revokedTokens, 0);
    assert.equal(await tokenStatus(DEMO_CLIENT.clientSecret), 401);
    assert.equal(await tokenStatus(clientSecret), 200);
    assert.equal(await detailStatus(issuedBefore), 200);

    const withRevocation = await cli('app', 'rotate-secret', '--client-id', DEMO_CLIENT.clientId, '--revoke-tokens', '--json');
    assert.equal(withRevocation.code, 0, withRevocation.stderr);
    const second = JSON.parse(withRevocation.stdout) as { clientSecret: string; revokedTokens: number };
    assert.ok(second.revokedTokens >= 2);
    assert.equal(await detailStatus(issuedBefore), 401);
    assert.equal(await tokenStatus(clientSecret), 401);

    const latest = await fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, second.clientSecret);
    assert.equal(await detailStatus(latest), 200);
    const revokedApp = await cli('app', 'revoke', '--client-id', DEMO_CLIENT.clientId);
    assert.equal(revokedApp.code, 0, revokedApp.stderr);
    assert.equal(await detailStatus(latest), 401);
    assert.equal(await tokenStatus(second.clientSecret), 401);
  });

  it('an unknown client_id is a one-line error with a non-zero exit', { timeout: 60_000 }, async () => {
    for (const args of [['app', 'revoke', '--client-id', 'nobody'], ['app', 'rotate-secret', '--client-id', 'nobody']]) {
      const result = await cli(...args);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, 'opencase: no active API app has client_id nobody\n');
    }
  });
});
