import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairHashSlots, HashQueueFull, OPERATOR_LANE, type HashLane } from '../../src/auth/hash-slots.js';

/** Lets every pending promise callback run, so that granted waiters have recorded themselves. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FairHashSlots', () => {
  it('serves waiting lanes round robin: a newcomer waits one turn per other lane, not behind a whole flood', async () => {
    const slots = new FairHashSlots({ concurrency: 1, waitingLanes: 100, waitingPerLane: 100 });
    await slots.acquire('holder');
    const granted: string[] = [];
    const waiters: Array<Promise<void>> = [];
    const wait = (lane: HashLane, label: string) => waiters.push(slots.acquire(lane).then(() => { granted.push(label); }));
    // A flood: ten calls from each of four addresses, queued before the real caller's.
    for (let i = 0; i < 10; i++) for (const lane of ['a', 'b', 'c', 'd']) wait(lane, lane);
    wait('real', 'real');
    assert.deepEqual(slots.stats(), { started: 1, running: 1, waiting: 41, lanes: 5 });
    while (granted.length < 41) {
      slots.release();
      await settle();
    }
    assert.equal(granted.indexOf('real'), 4, `served after one call of each flooding address: ${granted.join(' ')}`);
    assert.deepEqual(granted.slice(0, 8), ['a', 'b', 'c', 'd', 'real', 'a', 'b', 'c']);
    slots.release();
    await Promise.all(waiters);
    assert.deepEqual(slots.stats(), { started: 42, running: 0, waiting: 0, lanes: 0 });
  });

  it('serves clean callers before suspect ones, whenever they came', async () => {
    const slots = new FairHashSlots({ concurrency: 1, waitingLanes: 100, waitingPerLane: 100 });
    await slots.acquire('holder');
    const granted: string[] = [];
    const waiters: Array<Promise<void>> = [];
    for (let i = 0; i < 5; i++) for (const lane of ['a', 'b']) waiters.push(slots.acquire(lane, 'suspect').then(() => { granted.push(`${lane} suspect`); }));
    waiters.push(slots.acquire('a', 'clean').then(() => { granted.push('a clean'); }));
    waiters.push(slots.acquire('real', 'clean').then(() => { granted.push('real'); }));
    while (granted.length < 12) {
      slots.release();
      await settle();
    }
    assert.deepEqual(granted.slice(0, 4), ['a clean', 'real', 'a suspect', 'b suspect']);
    slots.release();
    await Promise.all(waiters);
  });

  it('hands a freed slot straight to a waiter, so no newcomer slips in between', async () => {
    const slots = new FairHashSlots({ concurrency: 1, waitingLanes: 10, waitingPerLane: 10 });
    await slots.acquire('a');
    const granted: string[] = [];
    void slots.acquire('b').then(() => granted.push('b'));
    slots.release();
    void slots.acquire('c').then(() => granted.push('c'));
    await settle();
    assert.deepEqual(granted, ['b']);
    assert.equal(slots.stats().running, 1);
  });

  it('refuses at once, without queueing, past the lanes and the per-lane bound; the operator is never refused', async () => {
    const slots = new FairHashSlots({ concurrency: 1, waitingLanes: 2, waitingPerLane: 2 });
    await slots.acquire('running');
    void slots.acquire('a');
    void slots.acquire('a');
    void slots.acquire('b');
    await assert.rejects(slots.acquire('a'), (error: unknown) => error instanceof HashQueueFull && error.scope === 'address' && error.retryAfterSeconds === 1);
    await assert.rejects(slots.acquire('c'), (error: unknown) => error instanceof HashQueueFull && error.scope === 'server' && error.retryAfterSeconds === 1);
    void slots.acquire(OPERATOR_LANE);
    void slots.acquire(OPERATOR_LANE);
    void slots.acquire(OPERATOR_LANE);
    // The suspect tier has bounds of its own: a flood of suspects cannot fill the clean callers' queue, nor the reverse.
    void slots.acquire('c', 'suspect');
    void slots.acquire('d', 'suspect');
    await assert.rejects(slots.acquire('e', 'suspect'), (error: unknown) => error instanceof HashQueueFull && error.scope === 'server');
    assert.deepEqual(slots.stats(), { started: 1, running: 1, waiting: 8, lanes: 5 });
  });
});
