import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import secureJson from 'secure-json-parse';
import { ErrorEnvelope, WIRE_CONTENT_TYPE } from './envelope.js';
import { ApiError, errorCodes, type ErrorKind } from './errors.js';
import { storageFault } from '../db/faults.js';
import { constraintViolation } from '../db/constraints.js';
import { isClientAbort } from '../http/client-gone.js';
import type { SchemaErrorDataVar } from 'fastify/types/schema.js';
import { AICC_PREFIX } from './paths.js';
import { nearOwnPath, replyToMissingRoute, type RouteHints } from './route-hints.js';
import { describeValidationError, type ValidationSubject } from './validation.js';
import { errorCode } from '../db/error-code.js';

/** The body opencase sends for every failure: `{resCode, resMsg}` and nothing else, never a stack. */
export function errorBody(kind: ErrorKind, message: string) {
  return { resCode: errorCodes[kind].resCode, resMsg: message };
}

/**
 * Connection-level failures of PostgreSQL (and SQLite's busy timeout): the request may succeed if retried. So may one
 * that lost a race (40001 serialization failure, 40P01 deadlock): inTransaction retries those and then answers its own
 * 503; these codes catch one raised outside it.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'SQLITE_BUSY',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300', '40001', '40P01',
]);

function isDatabaseUnavailable(error: Error): boolean {
  const code = errorCode(error);
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}

/** Maps anything thrown in a request to an error kind and a message safe to show the client. */
export function classifyError(
  error: FastifyError | ApiError | Error, subject?: (context: SchemaErrorDataVar) => ValidationSubject | undefined,
): { kind: ErrorKind; message: string; retryAfterSeconds?: number } {
  if (error instanceof ApiError) return { kind: error.kind, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? 'body';
    return { kind: 'invalidRequest', message: describeValidationError(fastifyError.validation, context, subject?.(context)) };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { kind: 'payloadTooLarge', message: 'body is larger than the server accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { kind: 'unsupportedMediaType', message: 'Content-Type must be application/json' };
  }
  // Before the database's codes: a client that hung up mid-body is no 503 and no error line (http/client-gone.ts).
  if (isClientAbort(error)) return { kind: 'invalidRequest', message: 'the client closed the connection before the whole request arrived' };
  const fault = storageFault(error);
  if (fault) return { kind: 'unavailable', message: `${fault.cause}; nothing was done, retry once it is fixed`, retryAfterSeconds: fault.retryAfterSeconds };
  if (isDatabaseUnavailable(error)) return { kind: 'unavailable', message: 'the database is unavailable; retry in a moment' };
  // A unique, foreign-key, not-null or check constraint refusing the write: a 409 or 400 naming the field (db/constraints.ts).
  const violation = constraintViolation(error);
  if (violation) return violation;
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's own 4xx messages describe the request (bad Content-Length, aborted body…), never the server.
    return { kind: 'invalidRequest', message: fastifyError.message };
  }
  return { kind: 'internal', message: 'internal error' };
}

/** No AICC body nests deeper than four levels; a generous bound keeps a hostile one from costing the parser and validator. */
export const MAX_JSON_DEPTH = 32;

/** How deep a JSON text nests, counted on the text before it is parsed (brackets inside strings do not count). */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return false;
}

/** JSON bodies parsed safely (no __proto__ or constructor poisoning, bounded nesting); an empty body counts as `{}`. */
function parseJsonBody(_request: unknown, body: string, done: (error: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') {
    done(null, {});
    return;
  }
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    done(new ApiError('invalidRequest', `body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`));
    return;
  }
  let parsed: unknown;
  try {
    parsed = secureJson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    done(new ApiError('malformedBody', 'body is not valid JSON'));
    return;
  }
  // JSON can only carry U+0000 as the escape "\u0000": the walk runs only on bodies that hold one.
  const withNul = body.includes('\\u0000') ? whereNulIs(parsed, '') : undefined;
  if (withNul !== undefined) {
    done(new ApiError('invalidRequest', `${withNul || 'body'} must not contain the NUL character (\\u0000)`));
    return;
  }
  done(null, parsed);
}

/**
 * The first string (or key) holding U+0000, by its path (`taskInfo.title`, `bindAccount[2]`). PostgreSQL's text cannot
 * store that character (a 500 there, found by the fuzzing), SQLite's would cut it short in places, and no AICC field
 * has a use for it: it is refused on both backends alike.
 */
function whereNulIs(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : `${path}${path ? '.' : ''}${key.replaceAll('\u0000', '\\u0000')}`;
    if (key.includes('\u0000')) return childPath;
    const found = whereNulIs(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The resCode of a failed reply, for the metrics; empty on success. */
    resCode: string;
  }
}

/**
 * What a JSON API's replies should say to browsers and proxies: no content sniffing, no framing, no referrer, no
 * script or anything else to load, and no copy kept on the way (replies hold customer data). Set here rather than by
 * @fastify/helmet, whose hooks halved task-detail throughput (measured: 28k -> 15.7k req/s) for headers like these.
 */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

const REPLY_HEADERS = { 'content-type': WIRE_CONTENT_TYPE, ...SECURITY_HEADERS };

/**
 * Puts a Fastify instance on the AICC wire: JSON bodies, the envelope's Content-Type, every error in
 * `{resCode, resMsg}` with its status, and an envelope 404 (or 405) for unknown routes that says what to call instead.
 */
export function installWireFormat(
  app: FastifyInstance,
  refuse: (request: FastifyRequest) => Error | undefined = () => undefined,
  hints: RouteHints = { routes: [], reference: '/docs', document: '/openapi.json' },
): void {
  // Only JSON: Fastify's built-in text/plain parser would let a text body reach validation instead of a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  // The envelope's Content-Type on every reply, set before any handler so that errors carry it too, with the headers
  // that suit a JSON API (see SECURITY_HEADERS); and, in the same hook (it runs on every request), the caller's
  // reason to refuse a request before anything else (the app's: still starting).
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(REPLY_HEADERS);
    done(refuse(request));
  });

  app.decorateRequest('resCode', '');
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const classified = classifyError(error, (context) => validationSubject(request, context));
    const { kind } = classified;
    // A malformed id may be a misspelled call that an id route took (`POST task/proces` is task detail's task/:id).
    const near = error.validationContext === 'params' ? nearOwnPath(hints, request.method, request.url.split('?')[0] ?? '') : undefined;
    const message = near ? `${classified.message} (did you mean ${near}?)` : classified.message;
    const { httpStatus } = errorCodes[kind];
    request.resCode = errorCodes[kind].resCode;
    if (httpStatus >= 500) request.log.error({ err: error }, 'request failed');
    if (kind === 'unavailable') reply.header('retry-after', String(classified.retryAfterSeconds ?? 1));
    reply.code(httpStatus).type(WIRE_CONTENT_TYPE).send(errorBody(kind, message));
  });

  // A 405 when the path takes another method, else a 404 naming the path most likely meant (see route-hints.ts).
  app.setNotFoundHandler((request, reply) => {
    replyToMissingRoute(hints, request.method, request.url.split('?')[0] ?? '', reply);
  });
}

/** The part of a request that failed validation, with its route's schema, for a message that can name known fields. */
export function validationSubject(request: FastifyRequest, context: SchemaErrorDataVar): ValidationSubject | undefined {
  const schemas = request.routeOptions.schema;
  if (!schemas) return undefined;
  const url = request.routeOptions.url ?? '';
  const call = url.startsWith(`${AICC_PREFIX}/`) ? url.slice(AICC_PREFIX.length + 1) : `${request.method} ${url}`;
  switch (context) {
    case 'body': return { schema: schemas.body, data: request.body, call };
    case 'querystring': return { schema: schemas.querystring, data: request.query, call };
    case 'params': return { schema: schemas.params, data: request.params, call };
    default: return undefined;
  }
}

/**
 * For Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses before Fastify sees it (headers over
 * 16 KiB, a malformed request line) still gets the envelope, then the connection is closed as Node would.
 */
export function clientErrorReply(this: { log: { trace(object: object, message: string): void } }, error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, kind, message] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'headersTooLarge', 'request headers are larger than the server accepts (16 KiB)'] as const
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'requestTimeout', 'the request was not received in time'] as const
      : [400, 'invalidRequest', 'the request is not valid HTTP'] as const;
  // The code and the reason, never the error itself: Node attaches the raw bytes received (rawPacket), which hold the
  // request line and headers, secrets in a token call's query string and access-token headers among them.
  this.log.trace({ code: error.code, reason: error.message }, 'client error');
  const body = JSON.stringify(errorBody(kind, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${WIRE_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/** For Fastify's `frameworkErrors`: a URL that is not valid percent-encoding, answered before routing. */
export function badUrlReply(_error: FastifyError, _request: unknown, reply: FastifyReply): void {
  reply.code(400).type(WIRE_CONTENT_TYPE).send(errorBody('invalidRequest', 'the URL is not valid percent-encoding'));
}

export const errorResponses = {
  400: ErrorEnvelope,
  401: ErrorEnvelope,
  404: ErrorEnvelope,
  409: ErrorEnvelope,
  413: ErrorEnvelope,
  415: ErrorEnvelope,
  429: ErrorEnvelope,
  500: ErrorEnvelope,
  503: ErrorEnvelope,
} as const;

/**
 * Sends a body already serialized from the route's own response schema (a cached response): the bytes go out
 * as they are, with the envelope's Content-Type.
 */
export function sendSerialized(reply: { type(contentType: string): { send(payload: never): unknown } }, body: Buffer): void {
  reply.type(WIRE_CONTENT_TYPE).send(body as never);
}

/**
 * A route whose body is optional: sent without one (or with an empty one), it is taken as `{}`, so that its schema
 * still refuses unknown fields when a body is sent. A preValidation hook.
 */
export async function emptyBodyIsEmptyObject(request: { body: unknown }): Promise<void> {
  request.body ??= {};
}
