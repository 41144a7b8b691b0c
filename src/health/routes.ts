import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Envelope, success } from '../wire/envelope.js';
import { ApiError } from '../wire/errors.js';
import { errorResponses } from '../wire/fastify.js';
import { Type } from 'typebox';

/** Where the process is in its start: routes answer only once the database is migrated (and the demo seeded). */
export interface Readiness {
  ready: boolean;
  /** Why not, while not ready. */
  reason: string;
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

  app.get('/readyz', { schema: { response }, config }, async () => {
    if (!app.readiness.ready) throw new ApiError('unavailable', `not ready: ${app.readiness.reason}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_CHECK_MS} ms`)), DATABASE_CHECK_MS);
    });
    try {
      await Promise.race([sql`select 1`.execute(app.db), timeout]);
    } catch (error) {
      throw new ApiError('unavailable', `not ready: the database is unreachable (${error instanceof Error ? error.message : String(error)})`);
    } finally {
      clearTimeout(timer);
    }
    return success({ status: 'ready' });
  });
}
