import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ChangeFeed } from '../../src/changes/feed-subscription.js';
import { streamChanges } from '../../src/changes/stream.js';
import type { ExportedTrace } from '../../src/traces/schemas.js';
import { sleep, waitFor } from './fixtures.js';

function entry(seq: number): ExportedTrace {
  return {
    attachment: null, changes: [{ field: 'status', from: 'Pending', to: 'Processing' }], createdAt: '2024-01-02T03:04:05.000Z',
    createdDate: '2024-01-02 11:04:05', creatorId: 'user00000000000000001', creatorName: 'Agent', description: 'd'.repeat(200),
    id: `ctrc${String(seq).padStart(16, '0')}`, objectId: 'ccqG0000000000000001', objectType: 'Task', relatedId: null, seq, title: null, type: 'StatusUpdate', via: null,
  };
}

/** A feed of `count` entries ready at once (then waiting for ever, like a live feed), counting what was pulled. */
class FakeFeed implements ChangeFeed {
  pulls = 0;
  returned = false;
  #next = 1;
  #wake: (() => void) | undefined;

  constructor(readonly count: number, readonly failAt?: number) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ExportedTrace, undefined>> {
    this.pulls += 1;
    if (this.#next === this.failAt) throw new Error('the feed cannot be read');
    if (this.#next > this.count && !this.returned) await new Promise<void>((resolve) => { this.#wake = resolve; });
    if (this.returned) return { done: true, value: undefined };
    return { done: false, value: entry(this.#next++) };
  }

  async return(): Promise<IteratorReturnResult<undefined>> {
    this.returned = true;
    this.#wake?.();
    return { done: true, value: undefined };
  }
}

/** A socket that takes a write only when told to (release), as a client that reads slowly or not at all. */
class StalledSocket extends Writable {
  readonly received: string[] = [];
  /** Writes taken so far (their callbacks called). */
  completed: string[] = [];
  readonly #held: Array<{ chunk: string; done: () => void }> = [];

  constructor(highWaterMark = 64) {
    super({ highWaterMark, decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: () => void): void {
    const text = chunk.toString();
    this.received.push(text);
    this.#held.push({ chunk: text, done });
  }

  /** Takes the oldest write held. */
  release(): boolean {
    const held = this.#held.shift();
    if (!held) return false;
    this.completed.push(held.chunk);
    held.done();
    return true;
  }
}

const entryFrames = (chunks: string[]) => chunks.filter((chunk) => chunk.includes('data: '));

describe('streamChanges: the change stream written to a socket', () => {
  it('pulls the next entry only once the socket took the last: a client that stops reading costs no more than what its socket holds', async () => {
    const feed = new FakeFeed(50);
    const socket = new StalledSocket();
    const controller = new AbortController();
    const streaming = streamChanges(feed, socket, { startSeq: 0, keepAliveMs: 60_000, signal: controller.signal });

    // The socket takes nothing for a while: one entry went to it (past its high-water mark), no other was pulled.
    await sleep(200);
    assert.equal(feed.pulls, 1);
    assert.equal(socket.writableNeedDrain, true);
    const oneEntry = Buffer.byteLength(`id: 1\ndata: ${JSON.stringify(entry(1))}\n\n`);
    assert.ok(socket.writableLength <= oneEntry + 16, `${socket.writableLength} bytes wait in the socket`);

    // As the socket takes its writes one by one, the stream never runs more than one entry ahead of it.
    while (entryFrames(socket.completed).length < 50) {
      if (!socket.release()) await sleep(1);
      assert.ok(feed.pulls <= entryFrames(socket.completed).length + 1, `${feed.pulls} pulled, ${entryFrames(socket.completed).length} taken`);
      assert.ok(socket.writableLength <= oneEntry + 16, `${socket.writableLength} bytes wait in the socket`);
    }
    assert.equal(socket.received[0], 'id: 0\n\n', 'the starting point first');
    const seqs = entryFrames(socket.received).map((frame) => Number(/^id: (\d+)\n/.exec(frame)?.[1]));
    assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i + 1));
    assert.deepEqual(JSON.parse(entryFrames(socket.received)[0]?.split('data: ')[1] ?? ''), entry(1));

    controller.abort();
    assert.deepEqual(await streaming, { reason: 'ended', delivered: 50 });
    assert.equal(feed.returned, true);
    assert.equal(socket.writableEnded, true);
  });

  it('ends at once when aborted while waiting for the socket to drain, or when the socket goes away', async () => {
    for (const leave of ['abort', 'destroy'] as const) {
      const feed = new FakeFeed(10);
      const socket = new StalledSocket();
      socket.on('error', () => {});
      const controller = new AbortController();
      const streaming = streamChanges(feed, socket, { startSeq: 7, keepAliveMs: 60_000, signal: controller.signal });
      await waitFor('the first entry to wait for the socket', () => feed.pulls === 1 && socket.writableNeedDrain);
      const started = Date.now();
      if (leave === 'abort') controller.abort();
      else socket.destroy();
      const end = await streaming;
      assert.ok(Date.now() - started < 500, leave);
      assert.equal(end.reason, 'ended', leave);
      assert.equal(feed.pulls, 1, leave);
      assert.equal(feed.returned, true, `${leave}: the subscription ended`);
    }
  });

  it('sends a keep-alive comment every keepAliveMs while the feed is quiet, none while the socket is full', async () => {
    const quiet = new FakeFeed(0);
    const reading = new StalledSocket(1024);
    const controller = new AbortController();
    const streaming = streamChanges(quiet, reading, { startSeq: 3, keepAliveMs: 20, signal: controller.signal });
    const releasing = setInterval(() => { while (reading.release()); }, 5);
    await waitFor('three keep-alives', () => reading.completed.filter((chunk) => chunk === ': keep-alive\n\n').length >= 3, 5000);
    clearInterval(releasing);
    controller.abort();
    await streaming;
    assert.equal(reading.received[0], 'id: 3\n\n');

    const full = new StalledSocket(1);
    const stuck = new AbortController();
    const blocked = streamChanges(new FakeFeed(0), full, { startSeq: 3, keepAliveMs: 10, signal: stuck.signal });
    await sleep(150);
    assert.deepEqual(full.received, ['id: 3\n\n'], 'nothing queued behind a write the socket has not taken');
    stuck.abort();
    await blocked;
  });

  it('ends the stream, saying why, when the feed cannot be read (the client resumes with Last-Event-ID)', async () => {
    const feed = new FakeFeed(10, 4);
    const socket = new StalledSocket(1 << 20);
    const releasing = setInterval(() => { while (socket.release()); }, 1);
    const end = await streamChanges(feed, socket, { startSeq: 0, keepAliveMs: 60_000, signal: new AbortController().signal });
    clearInterval(releasing);
    assert.equal(end.reason, 'failed');
    assert.equal(end.delivered, 3);
    assert.equal(socket.writableEnded, true);
    assert.equal(feed.returned, true);
  });
});
