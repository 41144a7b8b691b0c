import type { Writable } from 'node:stream';
import type { ChangeFeed } from './feed-subscription.js';
import { cursorFrame, entryFrame, KEEP_ALIVE_FRAME } from './sse-frames.js';

export interface ChangeStreamOptions {
  /** Where the stream starts: sent first as the event id (see cursorFrame). */
  startSeq: number;
  /** How often a comment goes out, whether or not entries do. */
  keepAliveMs: number;
  /** Aborted when the stream must end: its client went away, or the app is closing. */
  signal: AbortSignal;
}

/** How a stream ended: as asked (the feed ended, the signal aborted, the client's socket went away), or on a feed that could not be read. */
export type StreamEnd = { reason: 'ended'; delivered: number } | { reason: 'failed'; delivered: number; error: unknown };

/**
 * Writes a tenant's feed to `out` as server-sent events until the feed ends or `signal` aborts, then ends `out`.
 * Pulls the next entry only once `out` took the last one (a write that returns false is waited on until 'drain'), so
 * what a stream holds in memory is the subscription's one page and what the socket buffers, however slow the client.
 */
export async function streamChanges(feed: ChangeFeed, out: Writable, options: ChangeStreamOptions): Promise<StreamEnd> {
  const { signal } = options;
  let delivered = 0;
  // Ends a pull waiting for the next commit (a subscription's return() is not queued behind it) as soon as the stream
  // must end or its client went away, whether or not the feed was given the same signal.
  const endFeed = () => void feed.return();
  signal.addEventListener('abort', endFeed, { once: true });
  out.once('close', endFeed);
  // A comment queued behind a full socket would only add to what it holds: the bytes waiting show the proxy traffic anyway.
  const keepAlive = setInterval(() => {
    if (writable(out) && !out.writableNeedDrain) out.write(KEEP_ALIVE_FRAME);
  }, options.keepAliveMs);
  try {
    if (signal.aborted || !writable(out)) return { reason: 'ended', delivered };
    if (!out.write(cursorFrame(options.startSeq))) await drained(out, signal);
    while (!signal.aborted && writable(out)) {
      const next = await feed.next();
      if (next.done || signal.aborted || !writable(out)) break;
      delivered += 1;
      if (!out.write(entryFrame(next.value))) await drained(out, signal);
    }
    return { reason: 'ended', delivered };
  } catch (error) {
    // The feed could not be read: the client reconnects with Last-Event-ID and misses nothing.
    return { reason: 'failed', delivered, error };
  } finally {
    clearInterval(keepAlive);
    signal.removeEventListener('abort', endFeed);
    out.off('close', endFeed);
    await feed.return();
    if (writable(out)) out.end();
  }
}

function writable(out: Writable): boolean {
  return !out.destroyed && !out.writableEnded;
}

/** Resolves once `out` drains, closes or fails, or `signal` aborts: whichever comes first. */
function drained(out: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || !writable(out)) {
      resolve();
      return;
    }
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
