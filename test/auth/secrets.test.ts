import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedSecrets } from '../../src/auth/secrets.js';

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
