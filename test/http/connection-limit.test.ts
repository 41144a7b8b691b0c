import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxConnections, openFileLimit } from '../../src/http/connection-limit.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 4096                 files
Max locked memory         8388608              8388608              bytes
`;

describe('the default connection limit', () => {
  it('reads the soft open-file limit; none when it cannot be read', () => {
    assert.equal(openFileLimit(() => LIMITS), 1024);
    assert.equal(openFileLimit(() => LIMITS.replace('1024  ', 'unlimited')), Number.MAX_SAFE_INTEGER);
    assert.equal(openFileLimit(() => { throw new Error('ENOENT'); }), undefined);
    assert.equal(typeof openFileLimit(), 'number', 'this machine has /proc/self/limits');
  });

  it('keeps 128 descriptors back, holds at most 10,000, and OPENCASE_MAX_CONNECTIONS wins', () => {
    assert.equal(maxConnections(undefined, () => 1024), 896);
    assert.equal(maxConnections(undefined, () => 1_048_576), 10_000);
    assert.equal(maxConnections(undefined, () => 100), 1);
    assert.equal(maxConnections(undefined, () => undefined), 896);
    assert.equal(maxConnections(50_000, () => 1024), 50_000);
  });
});
