import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ChangeSignal } from '../../src/changes/change-signal.js';
import { FEED_PAGE_LIMIT } from '../../src/changes/feed-subscription.js';
import { kyselyChangeSource } from '../../src/changes/kysely-source.js';
import { TooManySubscribersError } from '../../src/changes/subscribers.js';
import { countingSource } from './counting-source.js';
import {
  allTraceSeqs, collect, createTenant, freshLocation, newTenantId, ON_POSTGRES, openChangeDb, sleep, startConsumer, stillPending, waitFor, writeChange,
  type ChangeDb, type Step,
} from './fixtures.js';
import { runScript, startScript } from './run-script.js';

/** What sqlite-writer.ts printed last. */
function lastLine(stdout: string): { seqs: number[]; committedAt: number } {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { seqs: number[]; committedAt: number };
}

const skip = ON_POSTGRES ? 'SQLite only (runs in the SQLite suite)' : false;

/** A migrated SQLite file with a tenant, and a ChangeSignal on it; all closed and removed by `close`. */
async function setUp(options: { pollMs?: number; maxSubscribers?: number; counting?: boolean } = {}) {
  const { location, remove } = await freshLocation();
  const database = await openChangeDb(location);
  const tenantId = newTenantId();
  await createTenant(database.db, tenantId);
  const counted = countingSource(kyselyChangeSource(database.db));
  const signal = new ChangeSignal({
    backend: 'sqlite', dataVersion: database.dataVersion, source: counted.source, log: () => {},
    ...(options.pollMs !== undefined && { pollMs: options.pollMs }),
    ...(options.maxSubscribers !== undefined && { maxSubscribers: options.maxSubscribers }),
  });
  await signal.start();
  return {
    database, location, tenantId, signal, reads: counted.reads,
    async close() {
      await signal.close();
      await database.close();
      await remove();
    },
  };
}

/** Writes in this process and tells the signal, as the store will. */
async function commitHere(database: ChangeDb, signal: ChangeSignal, tenantId: string, steps: Step[]) {
  const written = await writeChange(database.db, tenantId, steps);
  signal.committed(new Map([[tenantId, written.highest]]), false);
  return written;
}

describe('ChangeSignal on SQLite', { skip }, () => {
  it('a commit by another process wakes a subscriber through the data_version poll', async (context) => {
    const t = await setUp();
    try {
      const subscription = t.signal.subscribe(t.tenantId, 0);
      // A first entry of this process's own, so that the figure below is not that of a first query.
      const warm = await commitHere(t.database, t.signal, t.tenantId, ['task']);
      assert.equal((await subscription.next()).value?.seq, warm.highest);
      const first = subscription.next();
      assert.ok(await stillPending(first, 200), 'nothing to read yet');
      let receivedAt = 0;
      void first.then(() => { receivedAt = Date.now(); });
      const writer = await runScript('sqlite-writer.ts', [t.location, t.tenantId, '1']);
      assert.equal(writer.code, 0, writer.stderr);
      const { seqs: [seq], committedAt } = lastLine(writer.stdout);
      const result = await first;
      context.diagnostic(`another process's commit reached the subscriber ${receivedAt - committedAt} ms after it returned (poll every 50 ms)`);
      assert.equal(result.done, false);
      assert.equal(result.value?.seq, seq);
      await subscription.return();
    } finally {
      await t.close();
    }
  });

  it('another process\'s commit for one tenant makes only that tenant\'s subscribers read (one read of the sequences per move)', async () => {
    const t = await setUp();
    try {
      const other = newTenantId();
      await createTenant(t.database.db, other);
      const subscription = t.signal.subscribe(t.tenantId, 0);
      const pending = subscription.next();
      assert.ok(await stillPending(pending, 200));
      const readsBefore = t.reads.length;
      const writer = await runScript('sqlite-writer.ts', [t.location, other, '3']);
      assert.equal(writer.code, 0, writer.stderr);
      const counters = await kyselyChangeSource(t.database.db).latestSeqs();
      await waitFor('the poll to learn the other tenant\'s number', () => t.signal.latestSeq(other) === counters.get(other));
      await sleep(200);
      assert.equal(t.reads.length, readsBefore, 'no feed read for a tenant that did not change');
      assert.ok(await stillPending(pending, 0));
      const mine = await runScript('sqlite-writer.ts', [t.location, t.tenantId, '1']);
      assert.equal(mine.code, 0, mine.stderr);
      assert.equal((await pending).value?.seq, lastLine(mine.stdout).seqs[0]);
      assert.equal(t.reads.length, readsBefore + 1);
    } finally {
      await t.close();
    }
  });

  it('concurrent writers in two other processes and this one: every subscriber gets every entry once, in order, across gaps', { timeout: 120_000 }, async (context) => {
    const t = await setUp();
    // A second ChangeSignal on its own connections, as a second process would have.
    const second = await openChangeDb(t.location);
    const secondSignal = new ChangeSignal({ backend: 'sqlite', dataVersion: second.dataVersion, source: kyselyChangeSource(second.db), log: () => {} });
    try {
      // Some history first, so that one subscriber can start in the middle of it.
      for (let i = 0; i < 5; i++) await commitHere(t.database, t.signal, t.tenantId, ['task', 'gap', 'case']);
      const middle = (await allTraceSeqs(t.database.db, t.tenantId))[4] ?? 0;
      const subscriptions = [
        { after: 0, iterator: t.signal.subscribe(t.tenantId, 0) },
        { after: 0, iterator: t.signal.subscribe(t.tenantId, 0) },
        { after: middle, iterator: t.signal.subscribe(t.tenantId, middle) },
        { after: 0, iterator: secondSignal.subscribe(t.tenantId, 0) },
      ];
      const consumers = subscriptions.map(({ iterator }) => startConsumer(iterator));
      // Two writer processes and this one, started together once the writers are ready.
      const go = join(dirname(t.location), 'go');
      const writers = [0, 1].map(() => startScript('sqlite-writer.ts', [t.location, t.tenantId, '100', go]));
      await waitFor('the writer processes to be ready', () => writers.every((writer) => writer.stdout().includes('ready')), 60_000);
      writeFileSync(go, '');
      const plans: Step[][] = [['case'], ['gap'], ['task', 'task'], ['gap', 'gap', 'case']];
      const hereSeqs: number[] = [];
      for (let i = 0; i < 40; i++) hereSeqs.push(...(await commitHere(t.database, t.signal, t.tenantId, plans[i % plans.length] ?? ['task'])).traceSeqs);
      const results = await Promise.all(writers.map((writer) => writer.finished));
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      const [one = [], two = []] = results.map((result) => lastLine(result.stdout).seqs);
      context.diagnostic(`seqs written: by writer processes ${one[0]}..${one.at(-1)} and ${two[0]}..${two.at(-1)}, here ${hereSeqs[0]}..${hereSeqs.at(-1)}`);
      const overlap = (a: number[], b: number[]) => (a[0] ?? 0) < (b.at(-1) ?? 0) && (b[0] ?? 0) < (a.at(-1) ?? 0);
      assert.ok(overlap(one, two) || overlap(one, hereSeqs) || overlap(two, hereSeqs), 'the writers interleaved (else this test proves little)');
      const expected = await allTraceSeqs(t.database.db, t.tenantId);
      for (const consumer of consumers) await consumer.reached(expected.at(-1) ?? 0);
      for (const [i, consumer] of consumers.entries()) {
        const after = subscriptions[i]?.after ?? 0;
        assert.deepEqual(await consumer.stop(), expected.filter((seq) => seq > after), `subscriber ${i} (after ${after})`);
      }
      assert.ok(expected.length > 100, `enough entries to mean something (${expected.length})`);
      const gaps = (expected.at(-1) ?? 0) - expected.length;
      assert.ok(gaps > 30, `the feed has gaps (${gaps})`);
    } finally {
      await secondSignal.close();
      await second.close();
      await t.close();
    }
  });

  it('committed() wakes this process\'s subscribers at once, without waiting for the poll', async () => {
    // A poll too slow to matter: only committed() can wake the subscriber within the test.
    const t = await setUp({ pollMs: 60_000 });
    try {
      const subscription = t.signal.subscribe(t.tenantId, 0);
      const first = subscription.next();
      assert.ok(await stillPending(first, 100));
      const written = await writeChange(t.database.db, t.tenantId, ['task']);
      assert.ok(await stillPending(first, 300), 'not woken by anything but committed() (else this test proves nothing)');
      const started = Date.now();
      t.signal.committed(new Map([[t.tenantId, written.highest]]), false);
      const result = await first;
      assert.equal(result.value?.seq, written.highest);
      assert.ok(Date.now() - started < 1000, `woken at once (${Date.now() - started} ms)`);
      assert.equal(t.signal.latestSeq(t.tenantId), written.highest);
    } finally {
      await t.close();
    }
  });

  it('a number with no trace (a gap) costs one read, not a read on every pull', async () => {
    const t = await setUp({ pollMs: 60_000 });
    try {
      await commitHere(t.database, t.signal, t.tenantId, ['task']);
      const subscription = t.signal.subscribe(t.tenantId, 0);
      assert.equal((await subscription.next()).value?.seq, 1);
      const second = subscription.next();
      assert.ok(await stillPending(second, 100));
      const readsBefore = t.reads.length;
      await commitHere(t.database, t.signal, t.tenantId, ['gap', 'gap']);
      assert.ok(await stillPending(second, 300), 'nothing to yield for a gap');
      assert.equal(t.reads.length, readsBefore + 1, 'one read for the commit, then waiting (the gap is known read through)');
      const { highest } = await commitHere(t.database, t.signal, t.tenantId, ['case']);
      assert.equal((await second).value?.seq, highest);
      assert.equal(highest, 4);
    } finally {
      await t.close();
    }
  });

  it('reads only when the consumer pulls, a page of at most 100 at a time', async () => {
    const t = await setUp();
    try {
      await commitHere(t.database, t.signal, t.tenantId, Array.from({ length: 250 }, (_, i): Step => (i % 2 ? 'task' : 'case')));
      const subscription = t.signal.subscribe(t.tenantId, 0);
      await sleep(200);
      assert.equal(t.reads.length, 0, 'no read before the first pull');
      const seen = await collect(subscription, 1);
      assert.deepEqual(t.reads, [{ afterSeq: 0, limit: FEED_PAGE_LIMIT, returned: 100 }]);
      // A consumer that stops pulling costs nothing, whatever is committed meanwhile (the poll sees the commits).
      await commitHere(t.database, t.signal, t.tenantId, ['task']);
      await writeChange(t.database.db, t.tenantId, ['case']);
      await sleep(300);
      assert.equal(t.reads.length, 1, 'no read while the consumer does not pull');
      await collect(subscription, 100, 20_000, seen);
      assert.equal(t.reads.length, 1, 'the page held is served before any other read');
      await collect(subscription, 252, 20_000, seen);
      assert.deepEqual(seen, Array.from({ length: 252 }, (_, i) => i + 1));
      assert.ok(t.reads.every((read) => read.limit <= FEED_PAGE_LIMIT && read.returned <= FEED_PAGE_LIMIT), JSON.stringify(t.reads));
      assert.deepEqual(t.reads.map((read) => read.afterSeq), [0, 100, 200], 'each page starts where the last one ended');
    } finally {
      await t.close();
    }
  });

  it('return(), an abort and close() end subscriptions, waiting pulls included; the number of subscribers is bounded', async () => {
    const t = await setUp({ maxSubscribers: 3 });
    try {
      const returned = t.signal.subscribe(t.tenantId, 0);
      const returnedPull = returned.next();
      const controller = new AbortController();
      const aborted = t.signal.subscribe(t.tenantId, 0, { signal: controller.signal });
      const abortedPull = aborted.next();
      const closed = t.signal.subscribe(t.tenantId, 0);
      const closedPull = closed.next();
      assert.throws(() => t.signal.subscribe(t.tenantId, 0), TooManySubscribersError);
      assert.ok(await stillPending(returnedPull, 100));

      assert.deepEqual(await returned.return(), { done: true, value: undefined });
      assert.deepEqual(await returnedPull, { done: true, value: undefined });
      assert.deepEqual(await returned.next(), { done: true, value: undefined }, 'stays ended');
      controller.abort();
      assert.deepEqual(await abortedPull, { done: true, value: undefined });
      // Room again, for two.
      const preAborted = t.signal.subscribe(t.tenantId, 0, { signal: AbortSignal.abort() });
      assert.deepEqual(await preAborted.next(), { done: true, value: undefined }, 'an aborted signal ends it at once');
      const late = t.signal.subscribe(t.tenantId, 0);
      const last = t.signal.subscribe(t.tenantId, 0);
      assert.throws(() => t.signal.subscribe(t.tenantId, 0), /3 subscribers already listen/);
      await commitHere(t.database, t.signal, t.tenantId, ['task']);
      assert.equal((await closedPull).value?.seq, 1, 'the ended ones did not take the others with them');
      const closedNext = closed.next();
      await t.signal.close();
      assert.deepEqual(await closedNext, { done: true, value: undefined });
      assert.deepEqual(await late.next(), { done: true, value: undefined });
      assert.deepEqual(await last.next(), { done: true, value: undefined });
      assert.throws(() => t.signal.subscribe(t.tenantId, 0), /closed/);
    } finally {
      await t.close();
    }
  });

  it('a feed that cannot be read ends the subscription with the error, and frees its place', async () => {
    const t = await setUp({ pollMs: 60_000, maxSubscribers: 1 });
    try {
      const subscription = t.signal.subscribe(t.tenantId, 0);
      const first = subscription.next();
      assert.ok(await stillPending(first, 100));
      await t.database.close();
      t.signal.committed(new Map([[t.tenantId, 1]]), false);
      await assert.rejects(first);
      assert.deepEqual(await subscription.next(), { done: true, value: undefined });
      const again = t.signal.subscribe(t.tenantId, 0);
      await again.return();
    } finally {
      await t.signal.close();
    }
  });

  it('fresh always (requests check data_version themselves); the epoch moves on this process\'s revocations and tells its listeners', async () => {
    const t = await setUp();
    try {
      assert.equal(t.signal.fresh, true);
      const heard: number[] = [];
      const unsubscribe = t.signal.onRevocation(() => heard.push(t.signal.epoch));
      const before = t.signal.epoch;
      t.signal.committed(new Map(), true);
      assert.equal(t.signal.epoch, before + 1);
      t.signal.committed(new Map([[t.tenantId, 3]]), false);
      assert.equal(t.signal.epoch, before + 1, 'a change that revokes nothing leaves the epoch');
      unsubscribe();
      t.signal.committed(new Map(), true);
      assert.deepEqual(heard, [before + 1], 'heard once, then unsubscribed');
      t.signal.noteSeq(t.tenantId, 10);
      t.signal.noteSeq(t.tenantId, 7);
      t.signal.committed(new Map([[t.tenantId, 8]]), false);
      assert.equal(t.signal.latestSeq(t.tenantId), 10, 'only ever grows');
      assert.equal(t.signal.latestSeq(newTenantId()), undefined);
    } finally {
      await t.close();
    }
  });

  it('after close() the process exits by itself: no timer or connection left', async () => {
    const { location, remove } = await freshLocation();
    try {
      const result = await runScript('exit-check.ts', [location], 30_000);
      assert.equal(result.timedOut, false, `the process did not exit after close(): ${result.stderr}`);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { ended: true, otherEnded: true });
    } finally {
      await remove();
    }
  });

  it('waitFor helper sanity: fails on a condition that never holds', async () => {
    await assert.rejects(waitFor('never', () => false, 50), /timed out after 50 ms waiting for never/);
  });
});
