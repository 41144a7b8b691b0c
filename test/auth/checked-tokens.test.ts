import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckedTokens } from '../../src/auth/checked-tokens.js';
import { DEFAULT_WIRE_PROFILE } from '../../src/wire/profile.js';

const tenant = { tenantId: 'tnnt0000000000000001', timeZone: 'UTC', caller: { kind: 'app' as const, appId: 'app', userId: 'user', role: null }, changeSeq: 4, wire: { ...DEFAULT_WIRE_PROFILE } };

describe('CheckedTokens', () => {
  it('answers only at the commit version of the check, and only before the token expires', () => {
    const checked = new CheckedTokens();
    checked.set('token', 7, 1_000, tenant);
    assert.equal(checked.get('token', 7, 999), tenant);
    assert.equal(checked.get('token', 8, 999), undefined);
    assert.equal(checked.get('token', 7, 1_000), undefined);
    assert.equal(checked.get('other', 7, 0), undefined);
  });

  it('forgets the oldest past its limit', () => {
    const checked = new CheckedTokens(1);
    checked.set('a', 1, 10, tenant);
    checked.set('b', 1, 10, tenant);
    assert.equal(checked.get('a', 1, 0), undefined);
    assert.equal(checked.get('b', 1, 0), tenant);
  });
});
