import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { pageOf } from '../lists/paging.js';
import { fitPage, nextStart } from '../lists/reply-bound.js';
import { success } from '../wire/envelope.js';
import { emptyBodyIsEmptyObject, errorResponses } from '../wire/fastify.js';
import { NoFields } from '../wire/schema.js';
import { acknowledged, Acknowledgement } from '../wire/envelope.js';
import {
  CreateQueueBody, CreateQueueResponse, ListQueuesResponse, QueueIdParams, QueueMemberParams, QueueMembersResponse, QueuesQuery,
} from './schemas.js';
import { createQueue, listQueueMembers, listQueues, setQueueMember } from './service.js';

/** opencase extension routes for queues, under `/opencase/v1`. */
export async function queueRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post('/queues', { schema: { body: CreateQueueBody, response: { 200: CreateQueueResponse, ...errorResponses } } }, async (request) => {
    return success(await createQueue(app.store, tenantOf(request), request.body.name, app.clock()));
  });

  // 100 by default (the most a page holds), so that a tenant's first hundred queues still come in one call.
  typed.get('/queues', { schema: { querystring: QueuesQuery, response: { 200: ListQueuesResponse, ...errorResponses } } }, async (request, reply) => {
    const { start, limit } = pageOf(request.query, 100);
    return success(fitPage(reply, await listQueues(app.store, tenantOf(request), start, limit), 'queues', app.config.replyLimitBytes, nextStart(start)));
  });

  typed.get('/queues/:id/members', { schema: { params: QueueIdParams, response: { 200: QueueMembersResponse, ...errorResponses } } }, async (request) => {
    return success(await listQueueMembers(app.store, tenantOf(request), request.params.id));
  });

  const memberSchema = { params: QueueMemberParams, body: NoFields, response: { 200: Acknowledgement, ...errorResponses } };
  typed.put('/queues/:id/members/:userId', { schema: memberSchema, preValidation: emptyBodyIsEmptyObject }, async (request) => {
    await setQueueMember(app.store, tenantOf(request), request.params.id, request.params.userId, true, app.clock());
    return acknowledged();
  });
  typed.delete('/queues/:id/members/:userId', { schema: memberSchema, preValidation: emptyBodyIsEmptyObject }, async (request) => {
    await setQueueMember(app.store, tenantOf(request), request.params.id, request.params.userId, false, app.clock());
    return acknowledged();
  });
}
