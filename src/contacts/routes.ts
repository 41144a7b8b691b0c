import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { pageOf } from '../lists/paging.js';
import { PARTIAL_HEADER } from '../lists/reply-bound.js';
import { Acknowledgement, acknowledged, success } from '../wire/envelope.js';
import { emptyBodyIsEmptyObject, errorResponses } from '../wire/fastify.js';
import { NoFields } from '../wire/schema.js';
import { eraseContact } from './erase.js';
import {
  ContactIdParams, ContactResponse, ContactsQuery, CreateContactBody, CreateContactResponse, EraseContactResponse, ListContactsResponse, UpdateContactBody,
} from './schemas.js';
import { createContact, getContact, listContacts, updateContact } from './service.js';

/** opencase extension routes for contacts (the records behind `customerInfo`), under `/opencase/v1`. */
export async function contactRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post('/contacts', { schema: { body: CreateContactBody, response: { 200: CreateContactResponse, ...errorResponses } } }, async (request) => {
    return success(await createContact(app.store, tenantOf(request), request.body, app.clock()));
  });

  typed.get('/contacts', { schema: { querystring: ContactsQuery, response: { 200: ListContactsResponse, ...errorResponses } } }, async (request, reply) => {
    const { start, limit } = pageOf(request.query);
    const { page, partial } = await listContacts(app.store, tenantOf(request), start, limit, request.query.customerName, app.config.replyLimitBytes);
    if (partial !== undefined) reply.header(PARTIAL_HEADER, partial);
    return success(page);
  });

  typed.get('/contacts/:id', { schema: { params: ContactIdParams, response: { 200: ContactResponse, ...errorResponses } } }, async (request) => {
    return success(await getContact(app.store, tenantOf(request), request.params.id));
  });

  typed.patch('/contacts/:id', {
    schema: { params: ContactIdParams, body: UpdateContactBody, response: { 200: Acknowledgement, ...errorResponses } },
  }, async (request) => {
    await updateContact(app.store, tenantOf(request), request.params.id, request.body, app.clock());
    return acknowledged();
  });

  // An admin erases a contact's personal data on request (contacts/erase.ts); the body is empty.
  typed.post('/contacts/:id/erase', {
    schema: { params: ContactIdParams, body: NoFields, response: { 200: EraseContactResponse, ...errorResponses } },
    preValidation: emptyBodyIsEmptyObject,
  }, async (request) => success(await eraseContact(app.store, tenantOf(request), request.params.id, app.clock())));
}
