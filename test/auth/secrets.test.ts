import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newSecret, redactQuerySecrets, VerifiedSecrets } from '../../src/auth/secrets.js';

describe('VerifiedSecrets', () => {
  it('knows a secret only under the stored hash it was verified against', () => {
    const verified = new VerifiedSecrets();
    assert.equal(verified.has('scrypt$a', 'secret'), false);
    verified.add('scrypt$a', 'secret');
    assert.equal(verified.has('scrypt$a', 'secret'), true);
    assert.equal(verified.has('scrypt$a', 'secret2'), false);
    assert.equal(verified.has('scrypt$b', 'secret'), false);
  });

  it('forgets the oldest past its limit', () => {
    const verified = new VerifiedSecrets(2);
    verified.add('h1', 's1');
    verified.add('h2', 's2');
    verified.add('h3', 's3');
    assert.equal(verified.has('h1', 's1'), false);
    assert.equal(verified.has('h2', 's2'), true);
    assert.equal(verified.has('h3', 's3'), true);
  });
});

describe('redactQuerySecrets', () => {
  it('replaces the value of every secret query parameter, however its name is written, and keeps the rest', () => {
    const path = '/baas/auth/v1.0/oauth2/token';
    assert.equal(redactQuerySecrets(path), path);
    assert.equal(redactQuerySecrets(`${path}?grant_type=client_credentials&client_id=demo&client_secret=s3cret`),
      `${path}?grant_type=client_credentials&client_id=demo&client_secret=[REDACTED]`);
    assert.equal(redactQuerySecrets(`${path}?client%5Fsecret=a&CLIENT_SECRET=b&client_secret&access-token=t&access_token=u&x=1`),
      `${path}?client%5Fsecret=[REDACTED]&CLIENT_SECRET=[REDACTED]&client_secret=[REDACTED]&access-token=[REDACTED]&access_token=[REDACTED]&x=1`);
    // A name that is not valid percent-encoding is compared as it is.
    assert.equal(redactQuerySecrets(`${path}?%E0%A4%A=1&client_secret=2`), `${path}?%E0%A4%A=1&client_secret=[REDACTED]`);
  });
});

describe('newSecret', () => {
  it('never begins with - or _ (a command line would take the token for an option), and stays 43 characters of base64url', () => {
    const secrets = Array.from({ length: 5000 }, () => newSecret());
    assert.deepEqual(secrets.filter((secret) => /^[-_]/.test(secret)), []);
    for (const secret of secrets) assert.match(secret, /^[A-Za-z0-9][A-Za-z0-9_-]{42}$/);
    assert.equal(new Set(secrets).size, secrets.length);
  });
});
