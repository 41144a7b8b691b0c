import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuessAllowance, type GuessReservation } from '../../src/auth/guess-allowance.js';

const MINUTE = 60_000;

function reserved(result: ReturnType<GuessAllowance['reserve']>): GuessReservation {
  if ('retryAfterSeconds' in result) throw new Error(`refused: ${result.reason}`);
  return result;
}

describe('GuessAllowance', () => {
  it('refuses an address whose failures reach the allowance until its window is over; other addresses are not affected', () => {
    const allowance = new GuessAllowance({ maxFailures: 3, windowMs: MINUTE, maxAddresses: 100 });
    const start = 1_000_000;
    for (let i = 0; i < 3; i++) reserved(allowance.reserve('10.0.0.1', start + i)).failed(start + i);
    assert.deepEqual(allowance.reserve('10.0.0.1', start + 20_000), { reason: 'failures', retryAfterSeconds: 40 });
    reserved(allowance.reserve('10.0.0.2', start + 20_000)).release();
    reserved(allowance.reserve('10.0.0.1', start + MINUTE)).failed(start + MINUTE);
  });

  it('counts calls in flight at once: a concurrent burst cannot pass the allowance', () => {
    const allowance = new GuessAllowance({ maxFailures: 10, windowMs: MINUTE, maxAddresses: 100 });
    const burst = Array.from({ length: 60 }, () => allowance.reserve('10.0.0.1', 0));
    const admitted = burst.filter((result): result is GuessReservation => !('retryAfterSeconds' in result));
    assert.equal(admitted.length, 10);
    assert.deepEqual(admitted.map((reservation) => reservation.clean), [true, ...Array<boolean>(9).fill(false)], 'only a call with nothing before it is clean');
    assert.deepEqual(burst[10], { reason: 'inFlight', retryAfterSeconds: 1 });
    // A right secret gives its reservation back; a wrong one keeps it as a failure; settling twice counts once.
    admitted[0]?.release();
    admitted[1]?.failed(0);
    admitted[1]?.failed(0);
    admitted[1]?.release();
    assert.equal(reserved(allowance.reserve('10.0.0.1', 0)).clean, false, 'an address with a failure in the window is suspect');
    assert.ok('retryAfterSeconds' in allowance.reserve('10.0.0.1', 0));
    assert.equal(reserved(allowance.reserve('10.0.0.2', 0)).clean, true);
  });

  it('holds a bounded number of addresses, the least recently seen forgotten first, and drops counts whose window is over', () => {
    const allowance = new GuessAllowance({ maxFailures: 1, windowMs: MINUTE, maxAddresses: 100 });
    for (let i = 0; i < 10_000; i++) reserved(allowance.reserve(`address ${i}`, 0)).failed(0);
    assert.equal(allowance.size, 100);
    assert.ok('retryAfterSeconds' in allowance.reserve('address 9999', 0), 'a recent address is still counted');
    reserved(allowance.reserve('address 0', 0)).release();
    // A minute on, every count has run out: the next call finds them stale and drops them.
    reserved(allowance.reserve('address 1', MINUTE)).release();
    assert.equal(allowance.size, 1);
  });

  it('keeps a count while its calls are in flight, even past its window', () => {
    const allowance = new GuessAllowance({ maxFailures: 1, windowMs: MINUTE, maxAddresses: 100 });
    const slow = reserved(allowance.reserve('slow', 0));
    reserved(allowance.reserve('other', 2 * MINUTE)).release();
    assert.equal(allowance.size, 2);
    assert.deepEqual(allowance.reserve('slow', 2 * MINUTE), { reason: 'inFlight', retryAfterSeconds: 1 });
    slow.failed(2 * MINUTE);
    assert.deepEqual(allowance.reserve('slow', 2 * MINUTE + 1000), { reason: 'failures', retryAfterSeconds: 59 });
  });
});
