import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { Acknowledgement, acknowledged, success } from '../wire/envelope.js';
import { ApiError } from '../wire/errors.js';
import { emptyBodyIsEmptyObject, errorResponses } from '../wire/fastify.js';
import { fitPage, nextStart, PARTIAL_HEADER } from '../lists/reply-bound.js';
import { refuseCaseTypeName } from '../case-types/service.js';
import {
  BulkCaseBody, BulkCaseResponse, CancelCaseBody, CaseActionBody, CloseCaseBody, ReopenCaseBody, CaseDetailResponse, CaseIdParams, CreateCaseBody, FollowBody, CreateCaseResponse, ListCasesBody, ListCasesResponse, ModifyCaseBody,
  ProcessCaseBody, SearchCasesBody, SearchCasesResponse, TransferCaseBody, UpdateCaseStatusBody,
} from './schemas.js';
import {
  cancelCase, closeCase, createCase, reopenCase, getCaseDetail, listCases, modifyCase, processCase, resumeCase, setFollowing, suspendCase, transferCase, updateCaseStatus,
} from './service.js';
import { bulkChangeCases } from './bulk.js';
import { searchCases } from './search.js';

/** `caseInfo.type` of a body not validated yet, whatever its shape. */
function caseInfoTypeOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('caseInfo' in body)) return undefined;
  const { caseInfo } = body;
  return typeof caseInfo === 'object' && caseInfo !== null && 'type' in caseInfo ? caseInfo.type : undefined;
}

/**
 * A bulk body's ids sent twice, refused before the schema (whose uniqueItems would only say that two items are
 * identical) with the id and both places: a case changed twice in one request is a slip of the caller's selection.
 */
function refuseRepeatedIds(body: unknown): void {
  if (typeof body !== 'object' || body === null || !('ids' in body) || !Array.isArray(body.ids)) return;
  const first = new Map<unknown, number>();
  body.ids.forEach((id: unknown, index: number) => {
    const seen = first.get(id);
    if (seen !== undefined && typeof id === 'string') {
      throw new ApiError('invalidRequest', `ids[${index}] repeats ids[${seen}] (${id.slice(0, 40)}): send each case once`);
    }
    if (seen === undefined) first.set(id, index);
  });
}

/** Case routes (工单, V2.0), registered under `/service/AICC__Case/1.0.0/openapi`. */
export async function caseRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const acknowledgement = { 200: Acknowledgement, ...errorResponses };

  typed.post('/case', {
    schema: { body: CreateCaseBody, response: { 200: CreateCaseResponse, ...errorResponses } },
    // Before the schema, which could only say that a type's name is no id: the refusal names the id to send.
    preValidation: async (request) => refuseCaseTypeName(app.store, tenantOf(request), 'caseInfo.type', caseInfoTypeOf(request.body)),
  }, async (request) => {
    return success(await createCase(app.store, tenantOf(request), request.body.caseInfo, app.clock()));
  });

  // AICC wraps the page in a one-element array.
  typed.post('/case/list', { schema: { body: ListCasesBody, response: { 200: ListCasesResponse, ...errorResponses } } }, async (request, reply) => {
    const page = await listCases(app.store, tenantOf(request), request.body, app.clock());
    return success([fitPage(reply, page, 'caseList', app.config.replyLimitBytes, nextStart(request.body.start))]);
  });

  typed.get('/case/:id', { schema: { params: CaseIdParams, response: { 200: CaseDetailResponse, ...errorResponses } } }, async (request, reply) => {
    const tenant = tenantOf(request);
    const { detail, partial } = await getCaseDetail(app.store, tenant, request.params.id, app.config.replyLimitBytes);
    if (partial !== undefined) reply.header(PARTIAL_HEADER, partial);
    return success(tenant.wire.caseDetailResult === 'array' ? [detail] : detail);
  });

  typed.post('/case/modify', { schema: { body: ModifyCaseBody, response: acknowledgement } }, async (request) => {
    await modifyCase(app.store, tenantOf(request), request.body.caseInfo, app.clock());
    return acknowledged();
  });

  typed.post('/case/transfer', { schema: { body: TransferCaseBody, response: acknowledgement } }, async (request) => {
    await transferCase(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });

  typed.post('/case/process', { schema: { body: ProcessCaseBody, response: acknowledgement } }, async (request) => {
    await processCase(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });

  typed.post('/case/cancel', { schema: { body: CancelCaseBody, response: acknowledgement } }, async (request) => {
    await cancelCase(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });

  // 关闭工单: the path is close, without case/, as AICC documents it.
  typed.post('/close', { schema: { body: CloseCaseBody, response: acknowledgement } }, async (request) => {
    await closeCase(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });

  // The path is status/update, without case/, as AICC documents it.
  typed.post('/status/update', { schema: { body: UpdateCaseStatusBody, response: acknowledgement } }, async (request) => {
    await updateCaseStatus(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });
}

/** opencase extension routes for cases: suspend and resume (AICC console actions), reopen, search, bulk changes, follow and unfollow. */
export async function caseExtensionRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const schema = { params: CaseIdParams, body: CaseActionBody, response: { 200: Acknowledgement, ...errorResponses } };

  typed.post('/cases/:id/suspend', { schema, preValidation: emptyBodyIsEmptyObject }, async (request) => {
    await suspendCase(app.store, tenantOf(request), request.params.id, request.body, app.clock());
    return acknowledged();
  });

  typed.post('/cases/:id/resume', { schema, preValidation: emptyBodyIsEmptyObject }, async (request) => {
    await resumeCase(app.store, tenantOf(request), request.params.id, request.body, app.clock());
    return acknowledged();
  });

  typed.post('/cases/:id/reopen', {
    schema: { params: CaseIdParams, body: ReopenCaseBody, response: { 200: Acknowledgement, ...errorResponses } },
    preValidation: emptyBodyIsEmptyObject,
  }, async (request) => {
    await reopenCase(app.store, tenantOf(request), request.params.id, request.body, app.clock());
    return acknowledged();
  });

  // The console's queue: views, a state filter and sorts that case/list has not (cases/search.ts).
  typed.post('/cases/search', { schema: { body: SearchCasesBody, response: { 200: SearchCasesResponse, ...errorResponses } } }, async (request, reply) => {
    const page = await searchCases(app.store, tenantOf(request), request.body);
    return success(fitPage(reply, page, 'caseList', app.config.replyLimitBytes, nextStart(request.body.start)));
  });

  // One action on up to 100 cases, one result each (cases/bulk.ts).
  typed.post('/cases/bulk', {
    schema: { body: BulkCaseBody, response: { 200: BulkCaseResponse, ...errorResponses } },
    preValidation: async (request) => refuseRepeatedIds(request.body),
  }, async (request) => success(await bulkChangeCases(app.store, tenantOf(request), request.body, app.clock())));

  const followSchema = { params: CaseIdParams, body: FollowBody, response: { 200: Acknowledgement, ...errorResponses } };
  typed.post('/cases/:id/follow', { schema: followSchema, preValidation: emptyBodyIsEmptyObject }, async (request) => {
    await setFollowing(app.store, tenantOf(request), request.params.id, request.body.userId, true, app.clock());
    return acknowledged();
  });

  typed.post('/cases/:id/unfollow', { schema: followSchema, preValidation: emptyBodyIsEmptyObject }, async (request) => {
    await setFollowing(app.store, tenantOf(request), request.params.id, request.body.userId, false, app.clock());
    return acknowledged();
  });
}
