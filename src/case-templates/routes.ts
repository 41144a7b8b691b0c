import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { pageOf } from '../lists/paging.js';
import { fitPage, nextStart } from '../lists/reply-bound.js';
import { Acknowledgement, acknowledged, success } from '../wire/envelope.js';
import { errorResponses } from '../wire/fastify.js';
import {
  CreateTemplateBody, ListTemplatesResponse, TemplateCreatedResponse, TemplateIdParams, TemplateResponse, TemplatesQuery, UpdateTemplateBody,
} from './schemas.js';
import { createTemplate, getTemplate, listTemplates, updateTemplate } from './service.js';

/** opencase extension routes for case templates (AICC configures them in its console), under `/opencase/v1`. */
export async function caseTemplateRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post('/case-templates', { schema: { body: CreateTemplateBody, response: { 200: TemplateCreatedResponse, ...errorResponses } } }, async (request) => {
    return success(await createTemplate(app.store, tenantOf(request), request.body, app.clock()));
  });

  typed.get('/case-templates', { schema: { querystring: TemplatesQuery, response: { 200: ListTemplatesResponse, ...errorResponses } } }, async (request, reply) => {
    const { start, limit } = pageOf(request.query);
    const page = await listTemplates(app.store, tenantOf(request), start, limit);
    return success(fitPage(reply, page, 'templates', app.config.replyLimitBytes, nextStart(start)));
  });

  typed.get('/case-templates/:id', { schema: { params: TemplateIdParams, response: { 200: TemplateResponse, ...errorResponses } } }, async (request) => {
    return success(await getTemplate(app.store, tenantOf(request), request.params.id));
  });

  typed.patch('/case-templates/:id', {
    schema: { params: TemplateIdParams, body: UpdateTemplateBody, response: { 200: Acknowledgement, ...errorResponses } },
  }, async (request) => {
    await updateTemplate(app.store, tenantOf(request), request.params.id, request.body, app.clock());
    return acknowledged();
  });
}
