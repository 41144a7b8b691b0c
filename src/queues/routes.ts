import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { success } from '../wire/envelope.js';
import { errorResponses } from '../wire/fastify.js';
import { CreateQueueBody, CreateQueueResponse, ListQueuesResponse } from './schemas.js';
import { createQueue, listQueues } from './service.js';

/** opencase extension routes for queues, under `/opencase/v1`. */
export async function queueRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post('/queues', { schema: { body: CreateQueueBody, response: { 200: CreateQueueResponse, ...errorResponses } } }, async (request) => {
    return success(await createQueue(app.db, tenantOf(request), request.body.name, app.clock()));
  });

  typed.get('/queues', { schema: { response: { 200: ListQueuesResponse, ...errorResponses } } }, async (request) => {
    return success(await listQueues(app.db, tenantOf(request)));
  });
}
