import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { Acknowledgement, acknowledged, success } from '../wire/envelope.js';
import { ApiError } from '../wire/errors.js';
import { emptyBodyIsEmptyObject, errorResponses } from '../wire/fastify.js';
import { fitPage, nextStart } from '../lists/reply-bound.js';
import {
  CaseTypeCreatedResponse, CaseTypeDetailBody, CaseTypeDetailResponse, CaseTypeIdParams, CreateCaseTypeBody, ListCaseTypesBody,
  ListCaseTypesResponse, UpdateCaseTypeBody,
} from './schemas.js';
import { createCaseType, getCaseType, listCaseTypes, updateCaseType } from './service.js';

/** Case type routes (工单配置), registered under `/service/AICC__Case/1.0.0/openapi`. */
export async function caseTypeRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const detailResponse = { 200: CaseTypeDetailResponse, ...errorResponses };

  typed.post('/caseType/list', { schema: { body: ListCaseTypesBody, response: { 200: ListCaseTypesResponse, ...errorResponses } } }, async (request, reply) => {
    const page = await listCaseTypes(app.store, tenantOf(request), request.body);
    return success(fitPage(reply, page, 'caseTypes', app.config.replyLimitBytes, nextStart(request.body.start)));
  });

  typed.get('/caseType/:id', { schema: { params: CaseTypeIdParams, response: detailResponse } }, async (request) => {
    return success(await getCaseType(app.store, tenantOf(request), request.params.id));
  });

  // AICC's detail page shows a body {"id"} beside the path id, as task detail does: POST is served too.
  typed.post('/caseType/:id', {
    schema: { params: CaseTypeIdParams, body: CaseTypeDetailBody, response: detailResponse },
    preValidation: emptyBodyIsEmptyObject,
  }, async (request) => {
    if (request.body.id !== undefined && request.body.id !== request.params.id) {
      throw new ApiError('invalidRequest', `id in the body (${request.body.id}) differs from the id in the path (${request.params.id})`);
    }
    return success(await getCaseType(app.store, tenantOf(request), request.params.id));
  });
}

/** opencase extension routes: case types and their flows, under `/opencase/v1`. */
export async function caseTypeExtensionRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post('/case-types', { schema: { body: CreateCaseTypeBody, response: { 200: CaseTypeCreatedResponse, ...errorResponses } } }, async (request) => {
    return success(await createCaseType(app.store, tenantOf(request), request.body, app.clock()));
  });

  typed.patch('/case-types/:id', {
    schema: { params: CaseTypeIdParams, body: UpdateCaseTypeBody, response: { 200: Acknowledgement, ...errorResponses } },
  }, async (request) => {
    await updateCaseType(app.store, tenantOf(request), request.params.id, request.body, app.clock());
    return acknowledged();
  });
}
