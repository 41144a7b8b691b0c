import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { success } from '../wire/envelope.js';
import { ApiError } from '../wire/errors.js';
import { errorResponses } from '../wire/fastify.js';
import { CaseTypeDetailBody, CaseTypeDetailResponse, CaseTypeIdParams, ListCaseTypesBody, ListCaseTypesResponse } from './schemas.js';
import { getCaseType, listCaseTypes } from './service.js';

/** Case type routes (工单配置), registered under `/service/AICC__Case/1.0.0/openapi`. */
export async function caseTypeRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const detailResponse = { 200: CaseTypeDetailResponse, ...errorResponses };

  typed.post('/caseType/list', { schema: { body: ListCaseTypesBody, response: { 200: ListCaseTypesResponse, ...errorResponses } } }, async (request) => {
    return success(await listCaseTypes(app.db, tenantOf(request), request.body));
  });

  typed.get('/caseType/:id', { schema: { params: CaseTypeIdParams, response: detailResponse } }, async (request) => {
    return success(await getCaseType(app.db, tenantOf(request), request.params.id));
  });

  // AICC's detail page shows a body {"id"} beside the path id, as task detail does: POST is served too.
  typed.post('/caseType/:id', {
    schema: { params: CaseTypeIdParams, body: CaseTypeDetailBody, response: detailResponse },
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, async (request) => {
    if (request.body.id !== undefined && request.body.id !== request.params.id) {
      throw new ApiError('invalidRequest', `id in the body (${request.body.id}) differs from the id in the path (${request.params.id})`);
    }
    return success(await getCaseType(app.db, tenantOf(request), request.params.id));
  });
}
