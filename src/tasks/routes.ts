import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { success } from '../wire/envelope.js';
import { ApiError } from '../wire/errors.js';
import { errorResponses } from '../wire/fastify.js';
import { TaskDetailBody, TaskDetailResponse, TaskIdParams } from './schemas.js';
import { getTaskDetail } from './service.js';

/** Task routes, registered under `/service/AICC__Case/1.0.0/openapi`. */
export async function taskRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const response = { 200: TaskDetailResponse, ...errorResponses };

  // AICC's newest Chinese page documents GET, every other revision POST: both are served.
  typed.get('/task/:id', { schema: { params: TaskIdParams, response } }, async (request) => {
    return success(await getTaskDetail(app.db, tenantOf(request), request.params.id));
  });

  typed.post('/task/:id', {
    schema: { params: TaskIdParams, body: TaskDetailBody, response },
    // The id is in the path, so a POST with no body at all is a complete request.
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, async (request) => {
    const bodyId = request.body.id;
    if (bodyId !== undefined && bodyId !== request.params.id) {
      throw new ApiError('invalidRequest', `id in the body (${bodyId}) differs from the id in the path (${request.params.id})`);
    }
    return success(await getTaskDetail(app.db, tenantOf(request), request.params.id));
  });
}
