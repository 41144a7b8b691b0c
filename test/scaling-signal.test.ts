import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { revokeToken } from '../src/auth/service.js';
import { openDatabase, type Store } from '../src/db/database.js';
import { DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../src/demo/records.js';
import type { ExportedTrace } from '../src/traces/schemas.js';
import { exportedAfter, httpCall, makeChanges, type Actor, type Call } from './changes/api-changes.js';
import { EventStream, readEntries } from './changes/sse-client.js';
import { fetchTokenOverHttp, startCliServer, type CliServer } from './cli-helpers.js';
import { AICC, ON_POSTGRES, testDatabase } from './helpers.js';

/**
 * What the change signal promises when several processes serve one PostgreSQL database and answer from what they keep
 * (OPENCASE_CACHE_STALENESS_MS, 100 ms by default): every subscriber sees every commit, a revocation through one
 * process holds in the others within the bound, and no cached read stays stale past it.
 */
const NEEDS_POSTGRES = ON_POSTGRES && process.env.OPENCASE_TEST_PG_URL ? false : 'needs PostgreSQL (scripts/with-postgres.sh, OPENCASE_TEST_BACKEND=postgres)';

const STALENESS_MS = 100;
const TRIALS = 12;
/** The bound as asserted: the median within it, every trial within five times it (a loaded 2-core machine stalls now and then). */
const MEDIAN_BOUND_MS = STALENESS_MS;
const WORST_BOUND_MS = 5 * STALENESS_MS;
/** How long a trial waits for the new state before it counts as never seen. */
const GIVE_UP_MS = 5000;

const DEMO_ACTOR: Actor = { userId: DEMO_USER.id, caseTypeId: DEMO_CASE_TYPE.id, contactId: DEMO_CONTACT.id };

function summary(figures: number[]): { median: number; max: number; text: string } {
  const sorted = [...figures].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  const max = sorted.at(-1) ?? Number.NaN;
  return { median, max, text: `median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${sorted.length} trials (${sorted.map((ms) => ms.toFixed(0)).join(', ')})` };
}

/**
 * Calls `read` back to back until `isNew` holds for an answer, and returns how long after `since()` (the moment the
 * change's call returned, read once the change is made) that answer arrived; 0 when it arrived before. Once new, the
 * answer must stay new: a cache that flipped back would be stale again. Runs `change` meanwhile, once reads are flowing.
 */
async function delayUntilSeen<T>(read: () => Promise<T>, isNew: (answer: T) => boolean, change: () => Promise<void>): Promise<number> {
  let changedAt: number | undefined;
  let firstNewAt: number | undefined;
  let reads = 0;
  const started = performance.now();
  const reading = (async () => {
    for (;;) {
      const answer = await read();
      const at = performance.now();
      reads += 1;
      if (isNew(answer)) {
        firstNewAt ??= at;
      } else if (firstNewAt !== undefined) {
        throw new Error('an answer went back to the old state after showing the new one');
      }
      // A few reads past the change's return, to see that the new state holds.
      if (changedAt !== undefined && firstNewAt !== undefined && at - Math.max(changedAt, firstNewAt) > 20) return;
      if (changedAt !== undefined && at - changedAt > GIVE_UP_MS) return;
      if (at - started > 4 * GIVE_UP_MS) throw new Error('the change did not return in time');
    }
  })();
  // Reads are flowing (and the cache warm) before the change.
  while (reads < 3) await new Promise((resolve) => setTimeout(resolve, 1));
  await change();
  changedAt = performance.now();
  await reading;
  if (firstNewAt === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, firstNewAt - changedAt);
}

describe('two opencase serve processes on one PostgreSQL: subscribers, revocations and cached reads across them', { skip: NEEDS_POSTGRES }, () => {
  let servers: CliServer[] = [];
  let tokens: string[] = [];
  let calls: Call[] = [];
  let store: Store;
  let removeDb: () => Promise<void>;

  before(async () => {
    const database = await testDatabase();
    removeDb = database.remove;
    // The staleness bound named, whatever the environment says: the processes answer from what they keep.
    const env = { OPENCASE_LOG_LEVEL: 'warn', OPENCASE_RATE_LIMIT: '0', OPENCASE_CACHE_STALENESS_MS: String(STALENESS_MS) };
    servers = await Promise.all([startCliServer(['--demo', '--db', database.location], env), startCliServer(['--demo', '--db', database.location], env)]);
    tokens = await Promise.all(servers.map((server) => fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret)));
    calls = servers.map((server, i) => httpCall(() => server.url, () => tokens[i] ?? ''));
    // This process's own view of the database: the committed sequence, and revocations through the service.
    store = openDatabase(database.location, { log: () => {} });
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await store?.close();
    await removeDb?.();
  });

  const server = (i: number): CliServer => {
    const found = servers[i];
    if (!found) throw new Error(`no server ${i}`);
    return found;
  };
  const call = (i: number): Call => {
    const found = calls[i];
    if (!found) throw new Error(`no server ${i}`);
    return found;
  };

  async function committedSeq(): Promise<number> {
    const row = await store.db.selectFrom('tenant_counters').select('value')
      .where('tenant_id', '=', DEMO_TENANT.id).where('name', '=', 'trace_seq').executeTakeFirst();
    return row ? Number(row.value) : 0;
  }

  /** Token checks B answered from what it keeps, so far: proof that the reads measured below were served from the signal. */
  async function cachedTokenChecks(i: number): Promise<number> {
    const text = await (await fetch(`${server(i).url}/metrics`)).text();
    return Number(/^opencase_token_checks_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('a subscriber in each process, both from the same point, gets every change once, in order, the same sequence, equal to GET /traces after', { timeout: 300_000 }, async (t) => {
    const start = await committedSeq();
    const streams = await Promise.all(servers.map((s, i) => EventStream.open(`${s.url}/opencase/v1/changes?after=${start}`, { 'access-token': tokens[i] ?? '' })));
    try {
      assert.deepEqual(streams.map((stream) => stream.status), [200, 200]);
      // Creates and modifies of tasks and cases through both processes at once, with detail and list reads alongside.
      const made = { taskIds: [] as string[], caseIds: [] as string[] };
      let writing = true;
      let reads = 0;
      const reader = async (i: number) => {
        while (writing) {
          const task = made.taskIds[reads % Math.max(1, made.taskIds.length)];
          const kase = made.caseIds[reads % Math.max(1, made.caseIds.length)];
          if (task) await call(i)('GET', `${AICC}/task/${task}`);
          if (kase) await call(i)('GET', `${AICC}/case/${kase}`);
          await call(i)('POST', `${AICC}/task/list`, { start: 0, limit: 20, creatorId: DEMO_USER.id });
          reads += 1;
        }
      };
      const readers = [reader(0), reader(1), reader(0), reader(1)];
      try {
        await makeChanges((i) => call(i % 2), DEMO_ACTOR, 400, 8, made);
      } finally {
        writing = false;
        await Promise.all(readers);
      }

      const committed = await exportedAfter(call(0), start);
      assert.deepEqual(await exportedAfter(call(1), start), committed, 'both processes export the same feed');
      const last = committed.at(-1)?.seq ?? 0;
      const [fromA, fromB] = await Promise.all(streams.map((stream) => readEntries(stream, last, 60_000)));
      const seqs = (entries: ExportedTrace[] | undefined) => (entries ?? []).map((entry) => entry.seq);
      assert.deepEqual(seqs(fromA), seqs(committed), 'process A\'s subscriber: every committed change, once, in order');
      assert.deepEqual(seqs(fromB), seqs(committed), 'process B\'s subscriber: the same');
      assert.deepEqual(fromA, committed);
      assert.deepEqual(fromB, committed);
      t.diagnostic(`${committed.length} entries (seq ${start + 1} to ${last}) delivered to each process's subscriber; ${reads} read rounds alongside`);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it(`a token revoked (through the service, on the same database) gets 401 from the other process within ${STALENESS_MS} ms`, { timeout: 300_000 }, async (t) => {
    const hitsBefore = await cachedTokenChecks(1);
    const delays: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const token = await fetchTokenOverHttp(server(0).url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const read = async () => (await fetch(`${server(1).url}${AICC}/task/list`, {
        method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' }, body: JSON.stringify({ start: 0, limit: 1 }),
      })).status;
      delays.push(await delayUntilSeen(read, (status) => status === 401, () => revokeToken(store, token, Date.now())));
    }
    const hits = await cachedTokenChecks(1) - hitsBefore;
    const { median, max, text } = summary(delays);
    t.diagnostic(`revocation to 401 on the other process: ${text}; ${hits} token checks answered from its cache meanwhile`);
    assert.ok(hits > TRIALS, 'the other process served the token from what it keeps (else the bound is not what is measured)');
    assert.ok(median <= MEDIAN_BOUND_MS, `median ${median} ms > ${MEDIAN_BOUND_MS} ms: ${text}`);
    assert.ok(max <= WORST_BOUND_MS, `a trial took ${max} ms > ${WORST_BOUND_MS} ms: ${text}`);
  });

  it(`a task modified through one process shows modified in the other's detail reads within ${STALENESS_MS} ms`, { timeout: 300_000 }, async (t) => {
    const { taskId } = await call(0)('POST', `${AICC}/task`, { taskInfo: { title: 'watched', ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } }) as { taskId: string };
    const hitsBefore = await cachedTokenChecks(1);
    const delays: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const title = `watched, trial ${trial}`;
      const read = async () => (await call(1)('GET', `${AICC}/task/${taskId}`) as { taskInfo: { title: string } }).taskInfo.title;
      delays.push(await delayUntilSeen(read, (seen) => seen === title, async () => {
        await call(0)('POST', `${AICC}/task/modify`, { taskInfo: { id: taskId, title } });
      }));
    }
    const hits = await cachedTokenChecks(1) - hitsBefore;
    const { median, max, text } = summary(delays);
    t.diagnostic(`modify to the new title on the other process: ${text}; ${hits} token checks answered from its cache meanwhile`);
    assert.ok(hits > TRIALS, 'the other process answered from what it keeps');
    assert.ok(median <= MEDIAN_BOUND_MS, `median ${median} ms > ${MEDIAN_BOUND_MS} ms: ${text}`);
    assert.ok(max <= WORST_BOUND_MS, `a trial took ${max} ms > ${WORST_BOUND_MS} ms: ${text}`);
  });
});
