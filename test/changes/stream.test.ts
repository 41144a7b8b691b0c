import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTenant } from '../../src/auth/service.js';
import { FeedSubscription } from '../../src/changes/feed-subscription.js';
import type { ChangeSignal } from '../../src/changes/change-signal.js';
import { TooManySubscribersError, type ChangeFeed } from '../../src/changes/index.js';
import { DEFAULT_KEEP_ALIVE_MS, DEFAULT_MAX_STREAMS_PER_TENANT, STREAM_RETRY_AFTER_SECONDS } from '../../src/changes/routes.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT, DEMO_USER } from '../../src/demo/records.js';
import { closeHttp } from '../../src/http/shutdown.js';
import type { ExportedTrace } from '../../src/traces/schemas.js';
import { assertErrorEnvelope, fetchToken, startTestApp, TEST_BACKEND, type TestApp } from '../helpers.js';
import { exportedAfter, httpCall, makeChanges, type Actor, type Call } from './api-changes.js';
import { sleep, waitFor } from './fixtures.js';
import { EventStream, readEntries } from './sse-client.js';

const CHANGES_PATH = '/opencase/v1/changes';
const DEMO_ACTOR: Actor = { userId: DEMO_USER.id, caseTypeId: DEMO_CASE_TYPE.id, contactId: DEMO_CONTACT.id };

/** A test app listening on a loopback port, as a client reaches a server. */
async function listeningApp(env: NodeJS.ProcessEnv = {}): Promise<{ t: TestApp; url: string; token: string; call: Call }> {
  // Streams and changes come faster than an integration's calls; the rate limit is tested on its own.
  const t = await startTestApp({ demo: true, env: { OPENCASE_RATE_LIMIT: '0', ...env } });
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const token = await fetchToken(t.app);
  return { t, url, token, call: httpCall(() => url, () => token) };
}

/** The tenant's change sequence as committed: where a stream "from now" must start. */
async function committedSeq(t: TestApp, tenantId: string): Promise<number> {
  const row = await t.database.db.selectFrom('tenant_counters').select('value')
    .where('tenant_id', '=', tenantId).where('name', '=', 'trace_seq').executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Every feed subscription the signal hands out from now on, to see when one ends; restore() stops recording. */
function recordSubscriptions(signal: ChangeSignal): { feeds: FeedSubscription[]; restore(): void } {
  const feeds: FeedSubscription[] = [];
  const subscribe = signal.subscribe;
  signal.subscribe = (tenantId, afterSeq, options): ChangeFeed => {
    const feed = subscribe.call(signal, tenantId, afterSeq, options);
    if (feed instanceof FeedSubscription) feeds.push(feed);
    return feed;
  };
  return { feeds, restore: () => { Reflect.deleteProperty(signal, 'subscribe'); } };
}

async function openStreams(url: string, headers: Record<string, string>, count: number): Promise<EventStream[]> {
  return Promise.all(Array.from({ length: count }, () => EventStream.open(`${url}${CHANGES_PATH}`, headers)));
}

async function streamsGauge(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^opencase_change_streams (\d+)$/m.exec(text)?.[1]);
}

function seqs(entries: ExportedTrace[]): number[] {
  return entries.map((entry) => entry.seq);
}

describe(`GET /opencase/v1/changes on ${TEST_BACKEND}: a live stream of the tenant's change feed`, () => {
  let server: Awaited<ReturnType<typeof listeningApp>>;
  const open = (headers: Record<string, string> = {}, query = '') => EventStream.open(`${server.url}${CHANGES_PATH}${query}`, { 'access-token': server.token, ...headers });

  before(async () => {
    server = await listeningApp();
  });
  after(() => server.t.close());

  it('opens from now (the committed sequence, sent alone as the first id), then gives every change made through the API, in order, each once, as GET /traces has them', { timeout: 120_000 }, async () => {
    const start = await committedSeq(server.t, DEMO_TENANT.id);
    const stream = await open();
    try {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.equal(stream.headers['cache-control'], 'no-store');
      assert.deepEqual(await stream.next(), { id: String(start), data: undefined, comments: [] }, 'the starting point, as an id with no data');

      await makeChanges(() => server.call, DEMO_ACTOR, 60, 6);
      const expected = await exportedAfter(server.call, start);
      assert.ok(expected.length >= 45, `${expected.length} traces (the contact creates write none)`);
      const streamed = await readEntries(stream, expected.at(-1)?.seq ?? 0);
      assert.deepEqual(streamed, expected, 'the same entries, field for field, as the polling export');
      assert.ok(seqs(expected).some((seq, i) => i > 0 && seq > (expected[i - 1]?.seq ?? 0) + 1), 'the feed skipped the numbers of contact changes');
    } finally {
      stream.close();
    }
  });

  it('after=N starts after N; Last-Event-ID wins over after, and a stream resumed with it misses nothing and repeats nothing', { timeout: 180_000 }, async () => {
    // More than a page of the feed (100) behind the stream's start, and more again while it is away.
    await makeChanges(() => server.call, DEMO_ACTOR, 150, 6);
    const first = await open({}, '?after=0');
    const before: ExportedTrace[] = [];
    let lastSeen: string | undefined;
    try {
      assert.deepEqual(await first.next(), { id: '0', data: undefined, comments: [] });
      await readEntries(first, 120, 30_000, before);
      lastSeen = first.lastEventId;
    } finally {
      first.close();
    }
    assert.equal(lastSeen, String(before.at(-1)?.seq));

    await makeChanges(() => server.call, DEMO_ACTOR, 40, 4);
    // `after=0` would repeat everything: the header, which an EventSource sends when it reconnects, wins.
    const resumed = await open({ 'last-event-id': lastSeen ?? '' }, '?after=0');
    try {
      assert.equal(resumed.status, 200);
      assert.deepEqual(await resumed.next(), { id: lastSeen, data: undefined, comments: [] });
      const expected = await exportedAfter(server.call, 0);
      const rest = await readEntries(resumed, expected.at(-1)?.seq ?? 0);
      assert.deepEqual(seqs([...before, ...rest]), seqs(expected), 'before and after the reconnection: every entry once');
      assert.deepEqual([...before, ...rest], expected);
    } finally {
      resumed.close();
    }

    const middle = middleSeq(await exportedAfter(server.call, 0));
    const fromMiddle = await open({}, `?after=${middle}`);
    try {
      assert.deepEqual(await fromMiddle.next(), { id: String(middle), data: undefined, comments: [] });
      const next = await fromMiddle.next();
      assert.ok(next?.data !== undefined);
      assert.ok((JSON.parse(next.data) as ExportedTrace).seq > middle);
    } finally {
      fromMiddle.close();
    }
  });

  it("another tenant's changes never appear in a tenant's stream", { timeout: 120_000 }, async () => {
    const other = await createTenant(server.t.database, { name: 'Other', timeZone: 'Europe/Berlin', userName: 'other agent' }, Date.now());
    const otherToken = await fetchToken(server.t.app, other.clientId, other.clientSecret);
    const otherCall = httpCall(() => server.url, () => otherToken);
    const mineFrom = await committedSeq(server.t, DEMO_TENANT.id);
    const theirsFrom = await committedSeq(server.t, other.tenantId);
    const mine = await open();
    const theirs = await EventStream.open(`${server.url}${CHANGES_PATH}`, { 'access-token': otherToken });
    try {
      assert.equal((await mine.next())?.id, String(mineFrom));
      assert.equal((await theirs.next())?.id, String(theirsFrom));
      // Both tenants at once, their numbers overlapping: each tenant has a sequence of its own.
      const [made] = await Promise.all([
        makeChanges(() => server.call, DEMO_ACTOR, 30, 3),
        makeChanges(() => otherCall, { userId: other.userId }, 30, 3),
      ]);
      const myExport = await exportedAfter(server.call, mineFrom);
      const theirExport = await exportedAfter(otherCall, theirsFrom);
      const myEntries = await readEntries(mine, myExport.at(-1)?.seq ?? 0);
      const theirEntries = await readEntries(theirs, theirExport.at(-1)?.seq ?? 0);
      assert.deepEqual(myEntries, myExport);
      assert.deepEqual(theirEntries, theirExport);
      const mineObjects = new Set([...made.taskIds, ...made.caseIds]);
      assert.ok(theirEntries.every((entry) => !mineObjects.has(entry.objectId)), 'none of the demo tenant\'s tasks or cases in the other stream');
      assert.ok(theirEntries.every((entry) => entry.creatorId === other.userId));
      // Nothing more is on its way to either: a late entry of the other tenant would show here.
      await makeChanges(() => otherCall, { userId: other.userId }, 3, 1);
      await assert.rejects(readEntries(mine, Number.MAX_SAFE_INTEGER, 1500), /stream stalled/);
      assert.equal(myEntries.length, myExport.length);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('refuses before streaming with the envelope: no token or a wrong one (401), a token in the URL even beside the header, an unknown field, a malformed after or Last-Event-ID (400)', async () => {
    const cases: Array<{ headers: Record<string, string>; query: string; status: number; message?: RegExp }> = [
      { headers: {}, query: '', status: 401 },
      { headers: { 'access-token': 'x'.repeat(43) }, query: '', status: 401 },
      { headers: { 'access-token': server.token }, query: `?access_token=${server.token}`, status: 400, message: /access-token header, never in the URL.*access_token/ },
      { headers: { 'access-token': server.token }, query: `?access-token=${server.token}`, status: 400, message: /never in the URL.*access-token query parameter/ },
      { headers: { 'access-token': server.token }, query: '?Access_Token=x&after=1', status: 400, message: /never in the URL/ },
      { headers: { 'access-token': server.token }, query: '?from=3', status: 400, message: /unknown field from/ },
      { headers: { 'access-token': server.token }, query: '?after=-1', status: 400, message: /after must be a whole number/ },
      { headers: { 'access-token': server.token }, query: '?after=1e3', status: 400, message: /after must be a whole number/ },
      { headers: { 'access-token': server.token, 'last-event-id': 'abc' }, query: '', status: 400, message: /last-event-id must be a whole number/ },
    ];
    for (const { headers, query, status, message } of cases) {
      const response = await fetch(`${server.url}${CHANGES_PATH}${query}`, { headers });
      const text = await response.text();
      assert.equal(response.status, status, `${query} ${JSON.stringify(headers)}: ${text}`);
      assert.equal(response.headers.get('content-type'), 'application/json;charset=UTF-8');
      const { resMsg } = assertErrorEnvelope(text);
      if (message) assert.match(resMsg, message);
    }
    // No HEAD: it would open a stream with no body to end it.
    assert.equal((await fetch(`${server.url}${CHANGES_PATH}`, { method: 'HEAD', headers: { 'access-token': server.token } })).status, 405);
  });

  it(`takes at most ${DEFAULT_MAX_STREAMS_PER_TENANT} streams per tenant: the next is a 429 with Retry-After, another tenant still gets one, and a place frees once a client leaves`, { timeout: 120_000 }, async () => {
    const headers = { 'access-token': server.token };
    // The earlier tests' streams have ended on the server too (their clients left).
    await waitFor('no stream open', async () => await streamsGauge(server.url) === 0);
    const streams = await openStreams(server.url, headers, DEFAULT_MAX_STREAMS_PER_TENANT);
    const other = await createTenant(server.t.database, { name: 'Bounded', timeZone: 'UTC', userName: 'agent' }, Date.now());
    const otherToken = await fetchToken(server.t.app, other.clientId, other.clientSecret);
    let otherStream: EventStream | undefined;
    try {
      assert.deepEqual(streams.map((stream) => stream.status), streams.map(() => 200));
      assert.equal(await streamsGauge(server.url), DEFAULT_MAX_STREAMS_PER_TENANT);
      const refused = await EventStream.open(`${server.url}${CHANGES_PATH}`, headers);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['retry-after'], String(STREAM_RETRY_AFTER_SECONDS));
      const { resCode, resMsg } = assertErrorEnvelope(await refused.text());
      assert.equal(resCode, '429001');
      assert.match(resMsg, /100 change streams of this tenant/);

      otherStream = await EventStream.open(`${server.url}${CHANGES_PATH}`, { 'access-token': otherToken });
      assert.equal(otherStream.status, 200, 'the bound is per tenant');

      streams.pop()?.close();
      await waitFor('a place to free', async () => {
        const again = await EventStream.open(`${server.url}${CHANGES_PATH}`, headers);
        if (again.status === 200) {
          streams.push(again);
          return true;
        }
        await again.text();
        return false;
      }, 10_000);
    } finally {
      for (const stream of streams) stream.close();
      otherStream?.close();
    }
    await waitFor('every stream to end', async () => await streamsGauge(server.url) === 0);
  });

  it("past the change signal's bound on subscribers (every tenant's together): a 503 with Retry-After, and the stream opens once there is room", { timeout: 60_000 }, async () => {
    const held: ChangeFeed[] = [];
    await waitFor('no stream open', async () => await streamsGauge(server.url) === 0);
    try {
      for (;;) {
        try {
          held.push(server.t.database.changes.subscribe(DEMO_TENANT.id, 0));
        } catch (error) {
          if (error instanceof TooManySubscribersError) break;
          throw error;
        }
      }
      const refused = await open();
      assert.equal(refused.status, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(assertErrorEnvelope(await refused.text()).resCode, '503001');

      await held.pop()?.return();
      const admitted = await open();
      try {
        assert.equal(admitted.status, 200);
        assert.ok(await admitted.next());
      } finally {
        admitted.close();
      }
    } finally {
      for (const feed of held) await feed.return();
    }
  });

  it('a client that goes away ends its subscription at once', { timeout: 60_000 }, async () => {
    const recorded = recordSubscriptions(server.t.database.changes);
    try {
      const stream = await open();
      assert.ok(await stream.next());
      const [feed] = recorded.feeds;
      assert.ok(feed && !feed.ended);
      const left = Date.now();
      stream.close();
      const waited = await waitFor('the subscription to end', () => feed.ended, 5000);
      assert.ok(Date.now() - left < 2000, `ended ${waited} ms after the client left`);
      await waitFor('the gauge to say so', async () => await streamsGauge(server.url) === 0);
    } finally {
      recorded.restore();
    }
  });
});

describe(`GET /opencase/v1/changes on ${TEST_BACKEND}: a stream's life`, () => {
  it(`a quiet stream gets ": keep-alive" every ${DEFAULT_KEEP_ALIVE_MS / 1000} s and outlives the request timeout`, { timeout: 90_000 }, async () => {
    const server = await listeningApp({ OPENCASE_REQUEST_TIMEOUT: '2' });
    const stream = await EventStream.open(`${server.url}${CHANGES_PATH}`, { 'access-token': server.token });
    try {
      const opened = Date.now();
      assert.equal((await stream.next())?.data, undefined);
      const comment = await stream.next(DEFAULT_KEEP_ALIVE_MS + 15_000);
      const after = Date.now() - opened;
      assert.deepEqual(comment, { id: undefined, data: undefined, comments: ['keep-alive'] });
      assert.ok(after >= DEFAULT_KEEP_ALIVE_MS - 1000, `the first keep-alive came after ${after} ms`);
      // Past the 2 s request timeout many times over, the stream still delivers.
      const { taskIds } = await makeChanges(() => server.call, DEMO_ACTOR, 1, 1);
      const [entry] = await readEntries(stream, 0);
      assert.equal(entry?.objectId, taskIds[0]);
    } finally {
      stream.close();
      await server.t.close();
    }
  });

  it('closing the app (graceful shutdown) ends every stream cleanly and at once, read or not, well within the shutdown deadline', { timeout: 90_000 }, async () => {
    const server = await listeningApp();
    const headers = { 'access-token': server.token };
    const [reading, alsoReading, unread] = await openStreams(server.url, headers, 3);
    assert.ok(reading && alsoReading && unread);
    try {
      assert.ok(await reading.next());
      assert.ok(await alsoReading.next());
      await makeChanges(() => server.call, DEMO_ACTOR, 5, 1);
      await readEntries(reading, 1);
      await sleep(100);

      const deadlineMs = 30_000;
      const started = Date.now();
      const { forced } = await closeHttp(server.t.app, deadlineMs);
      const took = Date.now() - started;
      assert.equal(forced, false, 'no connection was left for the deadline to cut');
      assert.ok(took < 10_000, `closed in ${took} ms (deadline ${deadlineMs} ms)`);
      // Each ends as a stream ends, not as a connection torn down: the reader sees the end, not an error.
      for (const stream of [reading, alsoReading, unread]) {
        for (let event = await stream.next(5000); event; event = await stream.next(5000));
        assert.equal(stream.ended, true);
      }
    } finally {
      for (const stream of [reading, alsoReading, unread]) stream.close();
      await server.t.close();
    }
  });
});

/** A seq from the middle of an export. */
function middleSeq(entries: ExportedTrace[]): number {
  return entries[Math.floor(entries.length / 2)]?.seq ?? 0;
}
