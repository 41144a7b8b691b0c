import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { pageOf } from '../lists/paging.js';
import { fitPage, nextStart } from '../lists/reply-bound.js';
import { success } from '../wire/envelope.js';
import { errorResponses } from '../wire/fastify.js';
import { CreateUserBody, CreateUserResponse, ListUsersResponse, PageQuery } from './schemas.js';
import { createUser, listUsers } from './service.js';

/** opencase extension routes for users, under `/opencase/v1`. */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post('/users', { schema: { body: CreateUserBody, response: { 200: CreateUserResponse, ...errorResponses } } }, async (request) => {
    const created = await createUser(app.store, tenantOf(request).tenantId, request.body.name, app.clock());
    return success({ userId: created.userId });
  });

  typed.get('/users', { schema: { querystring: PageQuery, response: { 200: ListUsersResponse, ...errorResponses } } }, async (request, reply) => {
    const { start, limit } = pageOf(request.query);
    return success(fitPage(reply, await listUsers(app.store, tenantOf(request), start, limit), 'users', app.config.replyLimitBytes, nextStart(start)));
  });
}
