import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import pg from 'pg';
import { ChangeSignal } from '../../src/changes/change-signal.js';
import { kyselyChangeSource } from '../../src/changes/kysely-source.js';
import { sendChangeNotifications } from '../../src/changes/notify.js';
import { CHANGES_CHANNEL } from '../../src/changes/protocol.js';
import {
  allTraceSeqs, createTenant, freshChangeDb, NEEDS_POSTGRES, newTenantId, sleep, startConsumer, stillPending, waitFor, withAdmin, writeChange,
  type ChangeDb, type Step,
} from './fixtures.js';
import { runScript } from './run-script.js';

/** How the listener's backend is known in pg_stat_activity (postgres-listener.ts sets it). */
const LISTENER_APPLICATION = 'opencase change listener';

function databaseName(location: string): string {
  return new URL(location).pathname.slice(1);
}

async function listenerBackends(location: string): Promise<number> {
  return withAdmin(async (admin) => Number((await admin.query(
    'select count(*) as n from pg_stat_activity where datname = $1 and application_name = $2', [databaseName(location), LISTENER_APPLICATION],
  )).rows[0]?.n));
}

async function terminateListeners(location: string): Promise<number> {
  return withAdmin(async (admin) => (await admin.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2', [databaseName(location), LISTENER_APPLICATION],
  )).rowCount ?? 0);
}

/** A ChangeSignal as a process would make one, its log lines kept; started (listening, caught up) and fresh. */
async function startSignal(database: ChangeDb, options: { heartbeatMs?: number; freshnessMs?: number } = {}) {
  const logged: string[] = [];
  const signal = new ChangeSignal({
    backend: 'postgres', connectionString: database.location, source: kyselyChangeSource(database.db), log: (line) => logged.push(line), ...options,
  });
  await signal.start();
  await waitFor('the signal to be fresh', () => signal.fresh);
  return { signal, logged };
}

function summary(figures: number[]): string {
  const sorted = [...figures].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted.at(-1)} ms over ${sorted.length}`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('ChangeSignal on PostgreSQL: start-up', () => {
  it('start() rejects after a bounded time, saying why, when PostgreSQL does not answer; close() then lets the process exit', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`;
    const result = await runScript('exit-check.ts', ['unreachable', url], 30_000);
    assert.equal(result.timedOut, false, `the process did not exit after close(): ${result.stderr}`);
    assert.equal(result.code, 0, result.stderr);
    const { failure, waited, logged } = JSON.parse(result.stdout) as { failure: string; waited: number; logged: string[] };
    assert.match(failure, /^change signal: not listening on PostgreSQL after 1500 ms \(.*ECONNREFUSED.*\)$/);
    assert.ok(waited >= 1400 && waited < 10_000, `waited ${waited} ms`);
    // Attempts at 0, 250 and 750 ms at least, all failing: said once.
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0] ?? '', /cannot listen on PostgreSQL \(.*ECONNREFUSED.*\); retrying/);
  });
});

describe('ChangeSignal on PostgreSQL', { skip: NEEDS_POSTGRES, timeout: 180_000 }, () => {
  it('a change is signalled only when its transaction commits; a rolled-back one never', async () => {
    const database = await freshChangeDb();
    const { signal } = await startSignal(database);
    try {
      const tenantId = newTenantId();
      await createTenant(database.db, tenantId);
      const subscription = signal.subscribe(tenantId, 0);
      const first = subscription.next();
      const written = await writeChange(database.db, tenantId, ['task'], {
        async beforeCommit() {
          // Notified and inserted, not committed: the listener, fresh, has heard nothing.
          await waitFor('fresh inside the transaction', () => signal.fresh);
          assert.ok(await stillPending(first, 300), 'nothing delivered before commit');
          assert.equal(signal.latestSeq(tenantId), undefined);
        },
      });
      const entry = await first;
      assert.equal(entry.value?.seq, written.highest);
      assert.equal(signal.latestSeq(tenantId), written.highest);

      // Rolled back, with a number far ahead so that its notification could not be mistaken for a later one.
      const second = subscription.next();
      await writeChange(database.db, tenantId, ['case'], { rollback: true, advanceBy: 1000 });
      const later = await writeChange(database.db, tenantId, ['case']);
      // Notifications arrive in commit order: once the later commit's is here, the rolled-back one would have been.
      await waitFor('the later commit\'s notification', () => (signal.latestSeq(tenantId) ?? 0) >= later.highest);
      assert.equal(signal.latestSeq(tenantId), later.highest, 'the rolled-back number was never signalled');
      assert.equal(later.highest, written.highest + 1);
      assert.equal((await second).value?.seq, later.highest);
    } finally {
      await signal.close();
      await database.close();
    }
  });

  it('concurrent writers in many transactions, two tenants, two ChangeSignals: every subscriber gets every entry once, in order, across gaps', async (context) => {
    const database = await freshChangeDb();
    const one = await startSignal(database);
    const two = await startSignal(database);
    try {
      const tenants = [newTenantId(), newTenantId()];
      for (const tenantId of tenants) await createTenant(database.db, tenantId);
      const [first = '', second = ''] = tenants;
      for (let i = 0; i < 3; i++) await writeChange(database.db, first, ['task', 'gap', 'case']);
      const middle = (await allTraceSeqs(database.db, first))[3] ?? 0;
      const subscriptions = [
        { tenantId: first, after: 0, consumer: startConsumer(one.signal.subscribe(first, 0)) },
        { tenantId: first, after: 0, consumer: startConsumer(one.signal.subscribe(first, 0)) },
        { tenantId: first, after: middle, consumer: startConsumer(one.signal.subscribe(first, middle)) },
        { tenantId: second, after: 0, consumer: startConsumer(one.signal.subscribe(second, 0)) },
        { tenantId: first, after: 0, consumer: startConsumer(two.signal.subscribe(first, 0)) },
        { tenantId: second, after: 0, consumer: startConsumer(two.signal.subscribe(second, 0)) },
      ];
      const plans: Step[][] = [['task'], ['case', 'gap'], ['gap'], ['task', 'case', 'task'], ['gap', 'case'], ['case', 'task']];
      const started = Date.now();
      // Eight writers at once, each holding its transaction open a moment, so that they queue on the counter row.
      await Promise.all(Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; i < 30; i++) {
          const tenantId = tenants[(writer + i) % 3 === 0 ? 1 : 0] ?? first;
          await writeChange(database.db, tenantId, plans[(writer * 7 + i) % plans.length] ?? ['task'], {
            beforeCommit: () => sleep((writer + i) % 4),
          });
        }
      }));
      for (const { tenantId, after, consumer } of subscriptions) {
        const expected = await allTraceSeqs(database.db, tenantId);
        await consumer.reached(expected.at(-1) ?? 0);
        assert.deepEqual(await consumer.stop(), expected.filter((seq) => seq > after), `subscriber of ${tenantId} after ${after}`);
      }
      const latest = await kyselyChangeSource(database.db).latestSeqs();
      for (const signal of [one.signal, two.signal]) {
        for (const tenantId of tenants) assert.equal(signal.latestSeq(tenantId), latest.get(tenantId), 'latestSeq is the counter, gaps included');
      }
      const firstSeqs = await allTraceSeqs(database.db, first);
      assert.ok((firstSeqs.at(-1) ?? 0) > firstSeqs.length + 20, 'the feed has gaps');
      context.diagnostic(`${firstSeqs.length} + ${(await allTraceSeqs(database.db, second)).length} entries from 8 concurrent writers, all delivered in ${Date.now() - started} ms`);
      assert.deepEqual([...one.logged, ...two.logged], [], 'no outage');
    } finally {
      await one.signal.close();
      await two.signal.close();
      await database.close();
    }
  });

  it('notification latency: from commit to another ChangeSignal\'s latestSeq and to its subscriber', async (context) => {
    const database = await freshChangeDb();
    const { signal } = await startSignal(database);
    try {
      const tenantId = newTenantId();
      await createTenant(database.db, tenantId);
      const subscription = signal.subscribe(tenantId, 0);
      // Timed from the start of the writing transaction: the notification is often handled before the writer's own
      // await of COMMIT resumes, so the time since COMMIT returned reads 0 ms; this is an upper bound.
      const transaction: number[] = [];
      const toSignal: number[] = [];
      const toSubscriber: number[] = [];
      for (let i = 0; i < 40; i++) {
        const pull = subscription.next();
        let heardAt = 0;
        let receivedAt = 0;
        void pull.then(() => { receivedAt = Date.now(); });
        const startedAt = Date.now();
        const watching = waitFor('the notification', () => {
          if (!heardAt && signal.latestSeq(tenantId) !== undefined && (signal.latestSeq(tenantId) ?? 0) >= i + 1) heardAt = Date.now();
          return heardAt > 0;
        }, 5000);
        const { highest } = await writeChange(database.db, tenantId, ['task']);
        transaction.push(Date.now() - startedAt);
        await watching;
        const entry = await pull;
        toSignal.push(heardAt - startedAt);
        toSubscriber.push(receivedAt - startedAt);
        assert.equal(entry.value?.seq, highest);
      }
      context.diagnostic(`from the start of the writing transaction: its commit returned ${summary(transaction)}; `
        + `latestSeq ${summary(toSignal)}; subscriber ${summary(toSubscriber)}`);
      assert.ok(Math.max(...toSubscriber) < 2000, summary(toSubscriber));
    } finally {
      await signal.close();
      await database.close();
    }
  });

  it('a revocation moves the epoch of another ChangeSignal within 100 ms (asserted: 1 s); a rolled-back one does not', async (context) => {
    const database = await freshChangeDb();
    const sender = await startSignal(database);
    const receiver = await startSignal(database);
    try {
      const tenantId = newTenantId();
      await createTenant(database.db, tenantId);
      const delays: number[] = [];
      for (let i = 0; i < 20; i++) {
        const before = receiver.signal.epoch;
        let heardAt = 0;
        const unsubscribe = receiver.signal.onRevocation(() => { heardAt ||= Date.now(); });
        // Timed from the start of the revoking transaction (the notification often arrives before its COMMIT's await resumes).
        const startedAt = Date.now();
        // The sender's way: its own process learns through committed(), the others through the notification.
        await database.db.transaction().execute((trx) => sendChangeNotifications(trx, new Map(), true));
        sender.signal.committed(new Map(), true);
        await waitFor('the revocation', () => heardAt > 0, 5000);
        unsubscribe();
        delays.push(heardAt - startedAt);
        assert.equal(receiver.signal.epoch, before + 1);
      }
      context.diagnostic(`revoking transaction started → other signal's epoch moved: ${summary(delays)}`);
      assert.ok(Math.max(...delays) < 1000, summary(delays));

      const before = receiver.signal.epoch;
      await database.db.transaction().execute(async (trx) => {
        await sendChangeNotifications(trx, new Map(), true);
        throw new Error('rolled back');
      }).catch(() => {});
      const { highest } = await writeChange(database.db, tenantId, ['task']);
      await waitFor('the later change', () => receiver.signal.latestSeq(tenantId) === highest);
      assert.equal(receiver.signal.epoch, before, 'a rolled-back revocation moves nothing');
      // A change sent the sender's way reaches the other signal too.
      await database.db.transaction().execute((trx) => sendChangeNotifications(trx, new Map([[tenantId, highest + 5]]), false));
      await waitFor('the change sent by sendChangeNotifications', () => receiver.signal.latestSeq(tenantId) === highest + 5);
    } finally {
      await sender.signal.close();
      await receiver.signal.close();
      await database.close();
    }
  });

  it('freshness rests on heartbeats coming back: without them it lapses while still connected; they never overlap', async (context) => {
    const database = await freshChangeDb();
    const watcher = new pg.Client({ connectionString: database.location });
    await watcher.connect();
    try {
      // One heartbeat at start, the next a minute later: fresh for freshnessMs, then not, the connection untouched.
      const slow = await startSignal(database, { heartbeatMs: 60_000, freshnessMs: 300 });
      const lapsed = await waitFor('freshness to lapse', () => !slow.signal.fresh, 5000);
      assert.equal(await listenerBackends(database.location), 1, 'still connected');
      assert.deepEqual(slow.logged, []);
      await slow.signal.close();
      context.diagnostic(`without heartbeats, fresh lapsed ${lapsed} ms after first seen fresh (freshnessMs 300)`);

      // The default pace, watched from outside: at most one heartbeat per 25 ms, numbered one after the other.
      const heartbeats: string[] = [];
      watcher.on('notification', (message) => { if (message.payload?.startsWith('h:')) heartbeats.push(message.payload); });
      await watcher.query(`listen ${CHANGES_CHANNEL}`);
      const steady = await startSignal(database);
      const from = Date.now();
      let freshSamples = 0;
      let samples = 0;
      while (Date.now() - from < 2000) {
        samples += 1;
        if (steady.signal.fresh) freshSamples += 1;
        await sleep(5);
      }
      const elapsed = Date.now() - from;
      const counted = heartbeats.length;
      await steady.signal.close();
      const numbers = heartbeats.map((payload) => Number(payload.split(':')[2]));
      assert.deepEqual(numbers, numbers.map((_, i) => (numbers[0] ?? 0) + i), 'numbered one after the other');
      assert.ok(counted <= elapsed / 25 + 3, `${counted} heartbeats in ${elapsed} ms: never more than one per heartbeatMs`);
      assert.ok(counted >= 10, `${counted} heartbeats in ${elapsed} ms: they keep coming`);
      context.diagnostic(`${counted} heartbeats in ${elapsed} ms (${Math.round(counted / (elapsed / 1000))}/s); fresh in ${Math.round(100 * freshSamples / samples)}% of samples`);
      assert.ok(freshSamples > 0);
    } finally {
      await watcher.end();
      await database.close();
    }
  });

  it('a listener backend that hangs (SIGSTOP): fresh lapses with the connection still up, one heartbeat waits, none pile up', async (context) => {
    const database = await freshChangeDb();
    const watcher = new pg.Client({ connectionString: database.location });
    await watcher.connect();
    const heartbeats: Array<{ n: number; at: number }> = [];
    watcher.on('notification', (message) => {
      if (message.payload?.startsWith('h:')) heartbeats.push({ n: Number(message.payload.split(':')[2]), at: Date.now() });
    });
    await watcher.query(`listen ${CHANGES_CHANNEL}`);
    const { signal, logged } = await startSignal(database);
    let stopped: number | undefined;
    try {
      const pid = await withAdmin(async (admin) => Number((await admin.query(
        'select pid from pg_stat_activity where datname = $1 and application_name = $2', [databaseName(database.location), LISTENER_APPLICATION],
      )).rows[0]?.pid));
      try {
        process.kill(pid, 0);
      } catch {
        context.skip('cannot signal the PostgreSQL backend from this user');
        return;
      }
      const epoch = signal.epoch;
      process.kill(pid, 'SIGSTOP');
      stopped = pid;
      const stoppedAt = Date.now();
      const lapsed = await waitFor('fresh to lapse', () => !signal.fresh, 5000);
      context.diagnostic(`hung backend: fresh false ${lapsed} ms after SIGSTOP (heartbeat 25 ms, freshness 100 ms)`);
      assert.ok(lapsed < 1000, `within about heartbeat + freshness (asserted: 1 s): ${lapsed} ms`);
      await sleep(Math.max(0, 800 - (Date.now() - stoppedAt)));
      process.kill(pid, 'SIGCONT');
      stopped = undefined;
      const resumedAt = Date.now();
      await waitFor('fresh again', () => signal.fresh, 5000);
      await sleep(Math.max(0, 400 - (Date.now() - resumedAt)));
      // At most one per 25 ms is some 12 in the 300 ms after the resume (fewer on a busy machine, never more). Heartbeats
      // sent every 25 ms without waiting for the last would have queued some 30 during the stop, all run on top now.
      const afterResume = heartbeats.filter((beat) => beat.at >= resumedAt && beat.at < resumedAt + 300).length;
      assert.ok(afterResume <= 20, `${afterResume} heartbeats within 300 ms of the resume: they piled up`);
      context.diagnostic(`${afterResume} heartbeats in the 300 ms after SIGCONT`);
      const numbers = heartbeats.map((beat) => beat.n);
      assert.deepEqual(numbers, numbers.map((_, i) => (numbers[0] ?? 0) + i), 'numbered one after the other, none lost');
      assert.equal(signal.epoch, epoch, 'a pause shorter than the query timeout is no outage');
      assert.deepEqual(logged, []);
    } finally {
      if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
      await signal.close();
      await watcher.end();
      await database.close();
    }
  });

  it('pg_terminate_backend of the listener: not fresh at once, epoch moved, feed polled meanwhile; reconnects, catches up, misses nothing', async (context) => {
    const database = await freshChangeDb();
    const { signal, logged } = await startSignal(database);
    const name = databaseName(database.location);
    try {
      const tenantId = newTenantId();
      await createTenant(database.db, tenantId);
      const consumer = startConsumer(signal.subscribe(tenantId, 0));
      const before = await writeChange(database.db, tenantId, ['task']);
      await consumer.reached(before.highest);
      // Connections kept open for the reads and writes of the outage: no new one can be made while it lasts.
      await Promise.all(Array.from({ length: 4 }, () => database.db.selectFrom('tenants').select('id').execute()));
      const epochBefore = signal.epoch;

      await withAdmin((admin) => admin.query(`alter database ${name} with allow_connections false`));
      let blocked = true;
      try {
        const killedAt = Date.now();
        assert.equal(await terminateListeners(database.location), 1);
        const notFresh = await waitFor('fresh to be false', () => !signal.fresh, 5000);
        context.diagnostic(`fresh false ${notFresh} ms after pg_terminate_backend returned`);
        assert.ok(Date.now() - killedAt < 2000, 'within about heartbeat + freshness (asserted: 2 s)');
        assert.ok(signal.epoch > epochBefore, 'the outage moved the epoch');
        const epochInOutage = signal.epoch;
        await waitFor('the listener backend to be gone', async () => (await listenerBackends(database.location)) === 0);

        // Written while nobody listens: its notification is lost for good.
        const during = await writeChange(database.db, tenantId, ['gap', 'case', 'gap']);
        const [duringSeq = 0] = during.traceSeqs;
        await consumer.reached(duringSeq, 5000);
        assert.equal(await listenerBackends(database.location), 0, 'reached by polling the feed, with no listener');
        assert.equal(signal.latestSeq(tenantId), before.highest, 'no notification was heard');
        assert.equal(signal.fresh, false);
        // Several reconnection attempts fail meanwhile (0.25 s, 0.5 s, 1 s…).
        await sleep(1500);
        assert.equal(logged.filter((line) => /lost the PostgreSQL listener/.test(line)).length, 1, logged.join('\n'));
        assert.equal(logged.length, 1, `one line per outage: ${logged.join('\n')}`);

        await withAdmin((admin) => admin.query(`alter database ${name} with allow_connections true`));
        blocked = false;
        const reconnectedAt = Date.now();
        // Only the catch-up read can tell it where the sequence went during the outage.
        await waitFor('the catch-up', () => signal.latestSeq(tenantId) === during.highest, 15_000);
        await waitFor('fresh again', () => signal.fresh, 15_000);
        context.diagnostic(`caught up and fresh ${Date.now() - reconnectedAt} ms after connections were allowed again`);
        assert.ok(signal.epoch > epochInOutage, 'the reconnection moved the epoch');
        assert.match(logged.at(-1) ?? '', /listening on PostgreSQL again/);
        assert.equal(await listenerBackends(database.location), 1, 'one listener, no client left behind');

        const after = await writeChange(database.db, tenantId, ['task', 'case']);
        await consumer.reached(after.highest);
        assert.deepEqual(await consumer.stop(), await allTraceSeqs(database.db, tenantId));
      } finally {
        if (blocked) await withAdmin((admin) => admin.query(`alter database ${name} with allow_connections true`));
      }
    } finally {
      await signal.close();
      await database.close();
    }
  });

  it('the listener killed again and again while writers write: no crash, nothing missed, one listener at the end', async (context) => {
    const database = await freshChangeDb();
    const { signal } = await startSignal(database);
    try {
      const tenantId = newTenantId();
      await createTenant(database.db, tenantId);
      const consumer = startConsumer(signal.subscribe(tenantId, 0));
      let writing = true;
      let kills = 0;
      const killer = (async () => {
        while (writing) {
          kills += await terminateListeners(database.location);
          await sleep(50 + Math.floor(Math.random() * 400));
        }
      })();
      for (let i = 0; i < 60; i++) {
        await writeChange(database.db, tenantId, i % 3 === 0 ? ['gap', 'task'] : ['case']);
        await sleep(30);
      }
      writing = false;
      await killer;
      const expected = await allTraceSeqs(database.db, tenantId);
      await consumer.reached(expected.at(-1) ?? 0);
      assert.deepEqual(await consumer.stop(), expected);
      await waitFor('fresh at the end', () => signal.fresh, 15_000);
      await waitFor('one listener', async () => (await listenerBackends(database.location)) === 1, 15_000);
      assert.ok(kills >= 2, `the listener was killed (${kills} times)`);
      context.diagnostic(`listener killed ${kills} times during 60 commits; all ${expected.length} entries delivered once, in order`);
    } finally {
      await signal.close();
      await database.close();
    }
  });

  it('after close() the process exits by itself: no client, timer or heartbeat left', async () => {
    const database = await freshChangeDb();
    try {
      const result = await runScript('exit-check.ts', [database.location], 30_000);
      assert.equal(result.timedOut, false, `the process did not exit after close(): ${result.stderr}`);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { ended: true, otherEnded: true });
      assert.equal(await listenerBackends(database.location), 0);
    } finally {
      await database.close();
    }
  });
});
