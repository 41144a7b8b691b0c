import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANGES_CHANNEL, REVOCATION_PAYLOAD, changeNotifications, changePayload, heartbeatPayload, parsePayload } from '../../src/changes/protocol.js';

const TENANT = 'tnntAbCdEfGh01234567';

describe('change notification payloads', () => {
  it('are c:<tenantId>:<seq>, r and h:<process>:<n>, on one lower-case channel, and read back as built', () => {
    assert.equal(CHANGES_CHANNEL, 'opencase_changes');
    assert.equal(changePayload(TENANT, 42), `c:${TENANT}:42`);
    assert.equal(REVOCATION_PAYLOAD, 'r');
    assert.deepEqual(parsePayload(changePayload(TENANT, 42)), { kind: 'change', tenantId: TENANT, seq: 42 });
    assert.deepEqual(parsePayload(REVOCATION_PAYLOAD), { kind: 'revocation' });
    assert.deepEqual(parsePayload(heartbeatPayload('ab12', 7)), { kind: 'heartbeat', processId: 'ab12', n: 7 });
    assert.deepEqual(parsePayload(changePayload(TENANT, Number.MAX_SAFE_INTEGER)), { kind: 'change', tenantId: TENANT, seq: Number.MAX_SAFE_INTEGER });
  });

  it('refuses to build a payload for anything but a 20-character id of letters and digits and a non-negative integer', () => {
    for (const tenantId of ['', 'short', `${TENANT}x`, 'tnnt:bCdEfGh01234567', 'tnntAbCdEfGh0123456é', 'tnnt AbCdEfGh0123456']) {
      assert.throws(() => changePayload(tenantId, 1), /tenant id must be 20 letters and digits/, tenantId);
    }
    for (const seq of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      assert.throws(() => changePayload(TENANT, seq), /non-negative safe integer/, String(seq));
    }
    assert.throws(() => heartbeatPayload('a:b', 1), /process id/);
  });

  it('one payload per tenant changed, with its highest number, and one for a revocation', () => {
    const other = 'tnntZZZZZZZZZZZZZZZZ';
    assert.deepEqual(changeNotifications(new Map([[TENANT, 5], [other, 9]]), true), [`c:${TENANT}:5`, `c:${other}:9`, 'r']);
    assert.deepEqual(changeNotifications(new Map(), false), []);
    assert.throws(() => changeNotifications(new Map([['bad', 1]]), false), /tenant id/);
  });

  it('anything else reads as nothing (ignored, never trusted)', () => {
    for (const payload of ['', 'x', 'rr', 'c', `c:${TENANT}`, `c:${TENANT}:`, `c:${TENANT}:-1`, `c:${TENANT}:1.5`, `c:${TENANT}:1:2`,
      `c:short:1`, `c:${TENANT}:99999999999999999`, 'h::1', 'h:a b:1', `x:${TENANT}:1`]) {
      assert.equal(parsePayload(payload), undefined, payload);
    }
  });
});
