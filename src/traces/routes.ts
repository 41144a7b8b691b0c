import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { pageOf } from '../lists/paging.js';
import { PARTIAL_HEADER } from '../lists/reply-bound.js';
import { success } from '../wire/envelope.js';
import { errorResponses } from '../wire/fastify.js';
import { TracesQuery, TracesResponse } from './schemas.js';
import { exportTraces } from './service.js';

/** opencase extension: `GET /opencase/v1/traces?after=CURSOR&limit=N[&objectId=ID]`, the tenant's change feed, or one record's part of it. */
export async function traceRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/traces', {
    schema: { querystring: TracesQuery, response: { 200: TracesResponse, ...errorResponses } },
  }, async (request, reply) => {
    const { limit } = pageOf({ limit: request.query.limit }, 100);
    const { page, partial } = await exportTraces(app.store, tenantOf(request), Number(request.query.after ?? 0), limit, app.config.replyLimitBytes, request.query.objectId);
    if (partial !== undefined) reply.header(PARTIAL_HEADER, partial);
    return success(page);
  });
}
