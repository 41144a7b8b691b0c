import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { requireAccessToken } from './auth/hook.js';
import { tokenRoutes } from './auth/routes.js';
import { redactQuerySecrets } from './auth/secrets.js';
import type { Config } from './config.js';
import type { Store } from './db/store.js';
import { caseTypeExtensionRoutes, caseTypeRoutes } from './case-types/routes.js';
import { caseExtensionRoutes, caseRoutes } from './cases/routes.js';
import { caseTemplateRoutes } from './case-templates/routes.js';
import { contactRoutes } from './contacts/routes.js';
import { queueRoutes } from './queues/routes.js';
import { statisticsRoutes } from './statistics/routes.js';
import { traceRoutes } from './traces/routes.js';
import { webhookRoutes } from './webhooks/routes.js';
import { changeRoutes } from './changes/routes.js';
import { userRoutes } from './users/routes.js';
import { sessionRoutes } from './sessions/routes.js';
import { consoleRoutes } from './console/routes.js';
import { taskRoutes } from './tasks/routes.js';
import { badUrlReply, clientErrorReply, installWireFormat } from './wire/fastify.js';
import { ApiError } from './wire/errors.js';
import { jsonBounds } from './wire/bytes.js';
import { refuseUnknownFields } from './wire/unknown-fields.js';
import { applyWireProfile } from './wire/profile-hooks.js';
import { AICC_PREFIX, EXTENSIONS_PREFIX, IDEMPOTENCY_KEY_HEADER, KEEPS_KEYS_HEADER, REPLAYED_HEADER } from './wire/paths.js';
import { registerRouteHints } from './wire/route-hints.js';
import { keepIdempotentReplies, KEPT_SECONDS } from './idempotency/hooks.js';
import { healthRoutes, type Readiness } from './health/routes.js';
import { noteStorageFault } from './health/write-probe.js';
import cors from '@fastify/cors';
import { installRateLimits } from './auth/rate-limits.js';
import { DOCUMENT_PATH, registerOpenApi } from './openapi/document.js';
import { REFERENCE_PATH, registerApiReference } from './openapi/reference.js';
import { createMetrics, type Metrics } from './metrics/registry.js';
import { metricsRoute } from './metrics/route.js';
import { maxConnections } from './http/connection-limit.js';
import { limitConnections } from './http/connections.js';
import { drainBeforeErrorReply } from './http/drain.js';
import { missingHost } from './http/host-header.js';
import { httpServerOptions } from './http/server-options.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The database and everything kept per database: statements, caches, the change signal (db/store.ts). */
    store: Store;
    config: Config;
    /** The current time in epoch milliseconds; replaced in tests that need to move time. */
    clock: () => number;
    readiness: Readiness;
    /** Every route as registered (method and full URL): what the fuzz tests and the API reference walk through. */
    registeredRoutes: Array<{ method: string; url: string }>;
    metrics: Metrics;
  }
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

export { AICC_PREFIX, EXTENSIONS_PREFIX };

export interface AppOptions {
  config: Config;
  store: Store;
  clock?: () => number;
  /** A pino destination for the logs; the default is stdout. */
  logStream?: NodeJS.WritableStream;
  /**
   * Given while the database is still being prepared: until `ready` turns true, every route but the health checks
   * answers 503. Absent, the app is ready from the start.
   */
  readiness?: Readiness;
}

/** What a request logged as `req` looks like (Fastify's own, or Node's before Fastify wraps it). */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/**
 * Fastify's request serializer with the URL's secrets redacted: AppCube clients send the token call's client_secret in
 * the query string, and every line that logs a request (errors, Fastify's request log) goes through here.
 */
function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactQuerySecrets(request.url),
    host: request.host,
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
    remotePort: request.socket?.remotePort,
  };
}

/** The Fastify instance with every route; `server.ts` listens on it, tests use `app.inject` or listen too. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logger = { level: options.config.logLevel, serializers: { req: serializeRequest } };
  const app = Fastify({
    logger: options.logStream ? { ...logger, stream: options.logStream } : logger,
    // Per-request access logs cost a write on the hot path; errors are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.config.bodyLimitBytes,
    // Long ids must reach validation (a 400 that names the rule) rather than miss the route.
    routerOptions: { maxParamLength: 16 * 1024 },
    // A URL that is not valid percent-encoding gets the envelope too.
    frameworkErrors: badUrlReply,
    // Requests refused by Node's HTTP parser (oversized headers…) get the envelope too.
    clientErrorHandler: clientErrorReply,
    // The request deadline, Node's Host check handed to the app, no Fastify 503 at close (http/server-options.ts).
    ...httpServerOptions(options.config),
    // No type coercion: `{"id": 123}` is a type error, not the string "123".
    // An unknown field is refused (see wire/unknown-fields.ts), never removed: Fastify's default removeAdditional would
    // drop it silently from every closed object.
    // Type lists (["string", "number", "boolean", "null"], a template field's value) are meant, not a slip.
    // jsonBounds: the size and depth keywords of values of any JSON, and AICC text in bytes of UTF-8 (wire/bytes.ts).
    ajv: { customOptions: { coerceTypes: false, allErrors: false, removeAdditional: false, allowUnionTypes: true }, plugins: [jsonBounds] },
  });

  limitConnections(app.server, maxConnections(options.config.maxConnections), (counts) => {
    app.log.warn(counts, 'connection limit reached (OPENCASE_MAX_CONNECTIONS): closing stalled or idle connections, refusing new ones');
  });
  // Before the routes, so that every route inherits it: the rest of a refused body is read before the error reply.
  drainBeforeErrorReply(app, options.config.bodyLimitBytes, options.config.requestTimeoutSeconds * 1000);

  app.decorate('store', options.store);
  app.decorate('config', options.config);
  app.decorate('clock', options.clock ?? Date.now);

  app.decorate('readiness', options.readiness ?? { ready: true, reason: '' });
  const registeredRoutes: Array<{ method: string; url: string }> = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (route) => {
    // Hidden routes are the API reference's own files, not the API.
    if (route.schema?.hide === true) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') registeredRoutes.push({ method, url: route.url });
  });

  // Until the database is ready only the probes answer; the check rides on the wire format's own per-request hook.
  const routeHints = { routes: registeredRoutes, reference: REFERENCE_PATH, document: DOCUMENT_PATH };
  installWireFormat(app, (request) => missingHost(request) ?? (app.readiness.ready || HEALTH_PATHS.has(request.url)
    ? undefined
    : new ApiError('unavailable', `starting: ${app.readiness.reason}`)), routeHints);
  const metrics = createMetrics(options.store);
  app.decorate('metrics', metrics);
  // One hook after the reply, reading Fastify's own timing: nothing added before the reply goes out.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.countRequest(request.method, request.routeOptions.url ?? 'unknown', reply.statusCode, request.resCode, reply.elapsedTime);
    done();
  });
  // A change that failed on the database's storage (a full disk, a read-only file) turns /readyz to 503 until a write
  // probe succeeds again.
  app.addHook('onError', (_request, _reply, error, done) => {
    noteStorageFault(app.readiness, error);
    done();
  });
  // Every reply says that this server keeps Idempotency-Keys, and how long: the typed client then sends a write again
  // after a 503 or a timeout, which it would not do to a server that might do it twice (idempotency/hooks.ts).
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header(KEEPS_KEYS_HEADER, KEPT_SECONDS);
    done();
  });
  if (options.config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: options.config.corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: ['access-token', 'content-type', 'authorization', 'last-event-id', IDEMPOTENCY_KEY_HEADER],
      exposedHeaders: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', REPLAYED_HEADER, KEEPS_KEYS_HEADER],
      maxAge: 600,
      // The refresh cookie of a sign-in: the origins are an exact list, never a wildcard, so credentials may go with them.
      credentials: true,
    });
  }
  await installRateLimits(app, options.config);
  await registerOpenApi(app);
  await registerApiReference(app);
  await app.register(metricsRoute);
  await app.register(healthRoutes);
  await app.register(tokenRoutes);
  await app.register(consoleRoutes);
  await app.register(async (aicc) => {
    requireAccessToken(aicc);
    refuseUnknownFields(aicc);
    applyWireProfile(aicc, (request) => request.tenant?.wire);
    keepIdempotentReplies(aicc);
    await aicc.register(taskRoutes);
    await aicc.register(caseRoutes);
    await aicc.register(statisticsRoutes);
    await aicc.register(caseTypeRoutes);
  }, { prefix: AICC_PREFIX });
  // opencase's own routes, with the same token, never under the AICC prefix.
  await app.register(async (extensions) => {
    requireAccessToken(extensions);
    refuseUnknownFields(extensions);
    applyWireProfile(extensions, (request) => request.tenant?.wire);
    keepIdempotentReplies(extensions);
    await extensions.register(userRoutes);
    await extensions.register(queueRoutes);
    await extensions.register(contactRoutes);
    await extensions.register(caseTypeExtensionRoutes);
    await extensions.register(caseTemplateRoutes);
    await extensions.register(caseExtensionRoutes);
    await extensions.register(traceRoutes);
    await extensions.register(changeRoutes);
    await extensions.register(webhookRoutes);
  }, { prefix: EXTENSIONS_PREFIX });
  // Sign-in, refresh, sign-out and set-password: a person holds no access token yet (or only the refresh cookie).
  await app.register(async (people) => {
    refuseUnknownFields(people);
    await people.register(sessionRoutes);
  }, { prefix: EXTENSIONS_PREFIX });
  // Last, once every route is known: `GET /`, and a 405 for `GET task/list` rather than task detail's "id must be…".
  registerRouteHints(app, routeHints);

  return app;
}
