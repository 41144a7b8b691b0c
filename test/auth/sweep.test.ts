import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_TENANT } from '../../src/demo/records.js';
import { EXPIRED_PER_SWEEP } from '../../src/db/sweep.js';
import { createUser } from '../../src/users/service.js';
import { fetchToken, useTestApp } from '../helpers.js';

const EXT = '/opencase/v1';

/** Expired rows never were deleted: every token call and sign-in added a row for good. Now each new one sweeps a few. */
describe('expired tokens, sessions and set-password links are deleted as new ones are made', () => {
  // Tokens of a minute and sessions of an hour, so that the test moves its clock past them.
  const t = useTestApp({ env: { OPENCASE_TOKEN_TTL: '60', OPENCASE_SESSION_TTL: '3600' } });
  const count = async (table: 'access_tokens' | 'sessions' | 'session_tokens' | 'session_refresh_tokens' | 'password_links') =>
    Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);

  it('API apps\' tokens: once expired, the next token calls delete them, a few each', async () => {
    for (let n = 0; n < 30; n++) await fetchToken(t.app);
    const issued = await count('access_tokens');
    t.now.value += 61_000;
    await fetchToken(t.app);
    assert.equal(await count('access_tokens'), issued + 1 - EXPIRED_PER_SWEEP);
    await fetchToken(t.app);
    assert.equal(await count('access_tokens'), 2, 'only the two live tokens are left');
  });

  it('sessions with their tokens, and set-password links: once over, the next sign-in or link deletes them', async () => {
    const now = Date.now();
    const { userId } = await createUser(t.database, DEMO_TENANT.id, { name: 'Swept', login: `swept.${now}`, role: 'admin', password: 'sweep password' }, now);
    const signIn = () => t.app.inject({ method: 'POST', url: `${EXT}/session`, payload: { login: `swept.${now}`, password: 'sweep password' } });
    for (let n = 0; n < 3; n++) assert.equal((await signIn()).statusCode, 200);
    const admin = ((await signIn()).json() as { result: { accessToken: string } }).result.accessToken;
    const link = () => t.app.inject({ method: 'POST', url: `${EXT}/users/${userId}/password-link`, headers: { 'access-token': admin } });
    assert.equal((await link()).statusCode, 200);
    assert.equal(await count('sessions'), 4);
    assert.equal(await count('password_links'), 1);

    t.now.value += 25 * 60 * 60 * 1000;
    const fresh = ((await signIn()).json() as { result: { accessToken: string } }).result.accessToken;
    assert.equal(await count('sessions'), 1, 'the four ended sessions are gone');
    assert.equal(await count('session_tokens'), 1);
    assert.equal(await count('session_refresh_tokens'), 1);
    assert.equal((await t.app.inject({ method: 'POST', url: `${EXT}/users/${userId}/password-link`, headers: { 'access-token': fresh } })).statusCode, 200);
    assert.equal(await count('password_links'), 1, 'the link past its day is gone');
  });
});
