import { authorize } from '../permissions/checks.js';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Gauge } from 'prom-client';
import { tenantOf } from '../auth/hook.js';
import { ApiError } from '../wire/errors.js';
import { errorResponses } from '../wire/fastify.js';
import { EXTENSIONS_PREFIX } from '../wire/paths.js';
import { committedChangeSeq } from './current-seq.js';
import type { ChangeFeed } from './feed-subscription.js';
import { OpenStreams } from './open-streams.js';
import { ChangesHeaders, ChangesQuery, ChangeStreamResponse } from './schemas.js';
import { EVENT_STREAM_CONTENT_TYPE } from './sse-frames.js';
import { streamChanges } from './stream.js';
import { TooManySubscribersError } from './subscribers.js';

export interface ChangeRoutesOptions {
  /** Streams one tenant may have open on this process at once (100 by default). */
  maxStreamsPerTenant?: number;
  /** How often a quiet stream gets a comment (15 s by default). */
  keepAliveMs?: number;
}

/** Where the stream is served, under the extensions prefix. */
export const CHANGES_PATH = `${EXTENSIONS_PREFIX}/changes`;
export const DEFAULT_MAX_STREAMS_PER_TENANT = 100;
export const DEFAULT_KEEP_ALIVE_MS = 15_000;
/** What a refused client is told to wait: a tenant's place frees only when one of its streams ends. */
export const STREAM_RETRY_AFTER_SECONDS = 5;
/** Once a stream has ended, how long its last bytes may take to leave before the connection is cut (a client that stopped reading). */
const END_GRACE_MS = 1000;

/** A token in the query string, under either spelling clients use: refused, never read (see tokenParameter). */
const TOKEN_PARAMETER = /^access[-_]token$/i;

/**
 * The query parameter that carries a token, if any. EventSource cannot set headers, which tempts clients to put the
 * token in the URL; URLs end up in access logs, proxies and browser history, so one that carries a token is refused
 * even when the header holds it too.
 */
function tokenParameter(query: unknown): string | undefined {
  return typeof query === 'object' && query !== null ? Object.keys(query).find((name) => TOKEN_PARAMETER.test(name)) : undefined;
}

/**
 * opencase extension: `GET /opencase/v1/changes?after=N`, the tenant's change feed as server-sent events, live: what
 * polling GET /opencase/v1/traces would return, pushed as it commits, in any process on the database.
 */
export async function changeRoutes(app: FastifyInstance, options: ChangeRoutesOptions): Promise<void> {
  const streams = new OpenStreams(options.maxStreamsPerTenant ?? DEFAULT_MAX_STREAMS_PER_TENANT);
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;

  // Before the server closes: an open stream never ends by itself, and Node's close waits for every connection.
  app.addHook('preClose', (done) => {
    streams.endAll();
    done();
  });
  new Gauge({
    name: 'opencase_change_streams', help: 'Change streams open (GET /opencase/v1/changes)', registers: [app.metrics.registry],
    collect() {
      this.set(streams.size);
    },
  });

  app.withTypeProvider<TypeBoxTypeProvider>().get('/changes', {
    // A HEAD would open a stream with no body to end it.
    exposeHeadRoute: false,
    schema: {
      summary: 'The tenant\'s change feed, live: server-sent events of every trace as it commits (resume with Last-Event-ID)',
      description: 'Starts after `after`, or after the Last-Event-ID header when sent (it wins), or by default from now. The token '
        + 'goes in the access-token header only: a query parameter access_token (or access-token) is refused with a 400. '
        + `At most ${streams.maxPerTenant} streams per tenant on one server (past them a 429 with Retry-After: `
        + `${STREAM_RETRY_AFTER_SECONDS}), and as many subscribers of every tenant together as the server takes (past them a 503 `
        + 'with Retry-After). A stream ends when the server shuts down or cannot read the feed: reconnect with Last-Event-ID '
        + 'and nothing is missed or repeated.',
      querystring: ChangesQuery,
      headers: ChangesHeaders,
      response: { 200: ChangeStreamResponse, ...errorResponses },
    },
    // A route hook runs after the plugin's token check and before validation (where a lenient tenant's unknown
    // fields would be dropped unseen).
    onRequest: (request, _reply, done) => {
      const parameter = tokenParameter(request.query);
      done(parameter === undefined ? undefined : new ApiError('invalidRequest',
        `the token goes in the access-token header, never in the URL (URLs are kept in logs and proxies): remove the ${parameter} query parameter`));
    },
  }, async (request, reply) => {
    const tenant = tenantOf(request);
    // The stream has no service of its own: its permission is checked here, from the same table.
    await authorize(app.store, tenant, 'changes.read');
    const lastEventId = request.headers['last-event-id'];
    const resumeAfter = lastEventId !== undefined ? Number(lastEventId) : request.query.after !== undefined ? Number(request.query.after) : undefined;

    const stream = streams.open(tenant.tenantId);
    if (stream === 'tenantFull') {
      reply.header('retry-after', String(STREAM_RETRY_AFTER_SECONDS));
      throw new ApiError('rateLimited', `${streams.maxPerTenant} change streams of this tenant are open on this server already; close one, or retry later`);
    }
    if (stream === 'closing') throw new ApiError('unavailable', 'the server is shutting down; reconnect with Last-Event-ID');

    const response = reply.raw;
    // Taken now: a client may leave while the start is read.
    const clientGone = () => stream.end();
    response.once('close', clientGone);
    let feed: ChangeFeed;
    let startSeq: number;
    try {
      startSeq = resumeAfter ?? await committedChangeSeq(app.store, tenant.tenantId);
      feed = app.store.changes.subscribe(tenant.tenantId, startSeq, { signal: stream.signal });
    } catch (error) {
      response.off('close', clientGone);
      stream.release();
      if (error instanceof TooManySubscribersError) {
        throw new ApiError('unavailable', 'this server has as many change subscribers as it takes; retry in a moment, or on another server');
      }
      throw error;
    }

    startEventStream(reply);
    void streamChanges(feed, response, { startSeq, keepAliveMs, signal: stream.signal }).then((end) => {
      if (end.reason === 'failed') request.log.warn({ err: end.error, delivered: end.delivered }, 'change stream ended: the feed could not be read');
    }).finally(() => {
      response.off('close', clientGone);
      stream.release();
      cutIfStuck(response);
    });
  });
}

/** From here the reply is the stream's: its headers (those the hooks set, security and CORS among them), no envelope. */
function startEventStream(reply: FastifyReply): void {
  reply.hijack();
  const response = reply.raw;
  if (response.destroyed) return;
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) response.setHeader(name, value);
  response.setHeader('content-type', EVENT_STREAM_CONTENT_TYPE);
  // nginx buffers replies by default, which would hold events back until a buffer fills.
  response.setHeader('x-accel-buffering', 'no');
  // A stream's connection is its own: closed once the stream ends (at shutdown too, where a connection kept alive
  // would wait for the next sweep of idle ones).
  response.setHeader('connection', 'close');
  response.writeHead(200);
}

/** A stream ended on a client that no longer reads (its socket full) would hold its connection, and the shutdown, for good. */
function cutIfStuck(response: ServerResponse): void {
  if (response.writableFinished || response.destroyed) return;
  const timer = setTimeout(() => response.destroy(), END_GRACE_MS);
  timer.unref();
  response.once('close', () => clearTimeout(timer));
  response.once('finish', () => clearTimeout(timer));
}
