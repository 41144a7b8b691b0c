import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { pageOf } from '../lists/paging.js';
import { fitPage, nextStart } from '../lists/reply-bound.js';
import { success } from '../wire/envelope.js';
import { emptyBodyIsEmptyObject, errorResponses } from '../wire/fastify.js';
import { NoFields } from '../wire/schema.js';
import {
  CreateUserBody, CreateUserResponse, ListUsersResponse, PageQuery, PasswordLinkResponse, UpdateUserBody, UserIdParams, UserResponse,
} from './schemas.js';
import { createPasswordLink, createUserAs, getUser, listUsersAs, updateUserAs } from './service.js';

/** opencase extension routes for users, under `/opencase/v1` (an admin's, but reading the list). */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post('/users', { schema: { body: CreateUserBody, response: { 200: CreateUserResponse, ...errorResponses } } }, async (request) => {
    const created = await createUserAs(app.store, tenantOf(request), request.body, app.clock());
    return success({ userId: created.userId });
  });

  typed.get('/users', { schema: { querystring: PageQuery, response: { 200: ListUsersResponse, ...errorResponses } } }, async (request, reply) => {
    const { start, limit } = pageOf(request.query);
    return success(fitPage(reply, await listUsersAs(app.store, tenantOf(request), start, limit), 'users', app.config.replyLimitBytes, nextStart(start)));
  });

  typed.get('/users/:id', { schema: { params: UserIdParams, response: { 200: UserResponse, ...errorResponses } } }, async (request) => {
    return success(await getUser(app.store, tenantOf(request), request.params.id));
  });

  typed.patch('/users/:id', {
    schema: { params: UserIdParams, body: UpdateUserBody, response: { 200: UserResponse, ...errorResponses } },
  }, async (request) => success(await updateUserAs(app.store, tenantOf(request), request.params.id, request.body, app.clock())));

  typed.post('/users/:id/password-link', {
    schema: { params: UserIdParams, body: NoFields, response: { 200: PasswordLinkResponse, ...errorResponses } },
    preValidation: emptyBodyIsEmptyObject,
    // The link's token is shown once: an Idempotency-Key never keeps it (idempotency/hooks.ts).
    config: { secretReply: true },
  }, async (request) => success(await createPasswordLink(app.store, tenantOf(request), request.params.id, app.clock())));
}
