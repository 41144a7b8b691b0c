import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { tenantOf } from '../auth/hook.js';
import { requestCommitWork } from '../db/request-commit.js';
import { PARTIAL_HEADER } from '../lists/reply-bound.js';
import { WIRE_CONTENT_TYPE } from '../wire/envelope.js';
import { IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER } from '../wire/paths.js';
import { ApiError } from '../wire/errors.js';
import { createIdempotencyRepository, type KeptReply } from './repository.js';
import { claimKey, finishKey, KEY_LIFETIME_MS, type KeyedRequest } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request claimed: its reply is kept when it is sent. */
    idempotency?: KeyedRequest;
  }
  interface FastifyContextConfig {
    /**
     * The route's success reply holds a secret shown once (a set-password link's token): with a key, the work is still
     * done once, but what is kept for a repeat is a 409003 saying so, never the secret.
     */
    secretReply?: boolean;
  }
}

/** What KEEPS_KEYS_HEADER says on every reply: how long a key is kept, in seconds. */
export const KEPT_SECONDS = String(KEY_LIFETIME_MS / 1000);
/** Visible ASCII, as a UUID or any client's own scheme writes it; bounded like every stored field. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How long a call waits for another call with its key to finish before it answers 409003, and how often it looks. */
const WAIT_FOR_OTHER_MS = 5_000;
const POLL_MS = 50;

function keyedRequest(request: FastifyRequest, key: string): KeyedRequest {
  const tenant = tenantOf(request);
  const requestHash = createHash('sha256').update(`${request.method}\n${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
  return { tenantId: tenant.tenantId, key, route: `${request.method} ${request.routeOptions.url ?? request.url}`, requestHash };
}

/** Claims the request's key, or sends the reply kept for it: whether it did (the handler then does not run). */
async function claimOrReplay(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<'replayed' | 'claimed'> {
  const sent = request.headers[IDEMPOTENCY_KEY_HEADER] ?? '';
  const key = Array.isArray(sent) ? sent.join(',') : sent;
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError('invalidRequest', 'Idempotency-Key must be 1 to 255 visible ASCII characters, one per request (a UUID, say), and sent once');
  }
  const keyed = keyedRequest(request, key);
  const started = performance.now();
  for (;;) {
    const claim = await claimKey(app.store, keyed, app.clock());
    if (claim.outcome === 'owned') {
      request.idempotency = keyed;
      return 'claimed';
    }
    if (claim.outcome === 'replay') {
      const { status, type, partial, body } = claim.reply;
      reply.code(status).header(REPLAYED_HEADER, 'true');
      if (type !== null) reply.type(type);
      if (partial !== null) reply.header(PARTIAL_HEADER, partial);
      reply.send(body);
      return 'replayed';
    }
    if (claim.outcome === 'reused') {
      throw new ApiError('idempotencyKeyReused',
        `Idempotency-Key ${key.slice(0, 64)} was sent within 24 hours with another request to ${keyed.route}; nothing was done: send a new key for a new request`);
    }
    if (performance.now() - started >= WAIT_FOR_OTHER_MS) {
      throw new ApiError('idempotencyKeyBusy',
        `a call with Idempotency-Key ${key.slice(0, 64)} is still running (or stopped after its change and before its reply was kept); nothing was done now: retry in a moment, or read the record`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Idempotency-Key on every write of a scope (its POST, PUT, PATCH and DELETE routes; register it after the hooks that
 * shape replies, so that the reply kept is the one sent): the first reply is kept 24 hours per tenant, key and route
 * (idempotency/service.ts), and a repeat with the same key and request gets it again, byte for byte, without the work
 * being done again — in any process, after a restart. The key is marked committed inside the work's own transaction
 * (db/request-commit.ts), so a process that dies after its change and before keeping the reply leaves a key that says
 * so instead of one that lets the change be made twice.
 */
export function keepIdempotentReplies(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = [route.method].flat();
    if (!methods.some((method) => WRITE_METHODS.has(method))) return;
    const handler = route.handler;
    route.handler = function keyedHandler(this: FastifyInstance, request, reply) {
      const keyed = request.idempotency;
      if (!keyed) return handler.call(this, request, reply);
      return requestCommitWork.run((tx) => createIdempotencyRepository(tx).markCommitted(keyed), () => handler.call(this, request, reply));
    };
  });

  // Callback hooks with a synchronous way out: they run on every request of the scope (task detail's too), most without
  // a key, and an async hook would cost each of them a promise.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.headers[IDEMPOTENCY_KEY_HEADER] === undefined || !WRITE_METHODS.has(request.method)) {
      done();
      return;
    }
    // A reply sent here ends the request: done is not called then (Fastify's rule for a hook that replies).
    claimOrReplay(app, request, reply).then((outcome) => { if (outcome === 'claimed') done(); }, done);
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.idempotency) {
      done(null, payload);
      return;
    }
    keepReply(request, reply, payload).then(() => done(null, payload), done);
  });
}

/** What a repeat of a call whose reply held a secret gets: that it was done, not the secret, which is kept nowhere. */
function secretWithheld(key: string): KeptReply {
  const error = new ApiError('idempotencyKeyBusy',
    `the call with Idempotency-Key ${key.slice(0, 64)} was done; its reply held a secret shown once, which is not kept: ask for a new one`);
  return { status: error.httpStatus, type: WIRE_CONTENT_TYPE, partial: null, body: JSON.stringify({ resCode: error.resCode, resMsg: error.message }) };
}

/** Keeps the reply of a request that claimed its key (or gives the key up: finishKey). */
async function keepReply(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
  const keyed = request.idempotency;
  if (!keyed) return;
  request.idempotency = undefined;
  const type = reply.getHeader('content-type');
  const partial = reply.getHeader(PARTIAL_HEADER);
  const secret = request.routeOptions.config.secretReply === true && reply.statusCode < 300;
  try {
    await finishKey(request.server.store, keyed, secret ? secretWithheld(keyed.key) : {
      status: reply.statusCode,
      type: typeof type === 'string' ? type : null,
      partial: typeof partial === 'string' ? partial : null,
      // Every write route replies with serialized JSON: a string here.
      body: typeof payload === 'string' ? payload : String(payload),
    });
  } catch (error) {
    // The reply still goes out: the key stays claimed (a retry hears 409003, or takes it over if no change committed).
    request.log.error({ err: error }, 'the reply of an Idempotency-Key could not be kept');
  }
}
