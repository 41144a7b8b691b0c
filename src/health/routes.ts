import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Envelope, success } from '../wire/envelope.js';
import { errorCodes } from '../wire/errors.js';
import { errorBody, errorResponses } from '../wire/fastify.js';
import { probeWrites } from './write-probe.js';
import { Type } from 'typebox';

/** Where the process is in its start: routes answer only once the database is migrated (and the demo seeded). */
export interface Readiness {
  ready: boolean;
  /** Why not, while not ready. */
  reason: string;
  /**
   * Set while the database reads but does not take writes (a full disk, a read-only file): the process still answers
   * reads, and /readyz reports the cause until a write probe succeeds.
   */
  writeFault?: string | undefined;
}

/** How long /readyz waits for the database before calling it unreachable. */
const DATABASE_CHECK_MS = 2000;

const HealthResponse = Envelope(Type.Object({ status: Type.String() }));

/**
 * `/healthz`: the process serves HTTP (liveness). `/readyz`: it should get traffic: migrated, and its database
 * answers now (a 503 envelope, with the reason, while migrating or while the database is unreachable).
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const response = { 200: HealthResponse, ...errorResponses };
  // Probes come often and carry no token: never limited.
  const config = { rateLimit: false } as const;
  app.get('/healthz', { schema: { response }, config }, async () => success({ status: 'alive' }));

  // The last reason /readyz gave, so that a database that stays down is logged once, not at every poll (each poll used
  // to log the error with its stack).
  let lastRefusal = '';
  const refuse = (request: FastifyRequest, reply: FastifyReply, reason: string) => {
    if (reason !== lastRefusal) request.log.warn({ reason }, 'not ready');
    lastRefusal = reason;
    request.resCode = errorCodes.unavailable.resCode;
    return reply.code(503).header('retry-after', '1').send(errorBody('unavailable', `not ready: ${reason}`));
  };

  app.get('/readyz', { schema: { response }, config }, async (request, reply) => {
    if (!app.readiness.ready) return refuse(request, reply, app.readiness.reason);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_CHECK_MS} ms`)), DATABASE_CHECK_MS);
    });
    try {
      // While a write fault is known, only a write can tell that it is over; otherwise a read is enough (and cheap).
      const check = app.readiness.writeFault === undefined ? sql`select 1`.execute(app.store.db) : probeWrites(app.store);
      const writeFault = await Promise.race([check, timeout]);
      app.readiness.writeFault = typeof writeFault === 'string' ? writeFault : undefined;
    } catch (error) {
      return refuse(request, reply, `the database is unreachable (${error instanceof Error ? error.message : String(error)})`);
    } finally {
      clearTimeout(timer);
    }
    if (app.readiness.writeFault !== undefined) return refuse(request, reply, `the database cannot be written: ${app.readiness.writeFault}`);
    if (lastRefusal) request.log.info('ready again');
    lastRefusal = '';
    return success({ status: 'ready' });
  });
}
