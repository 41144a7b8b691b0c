import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { success } from '../wire/envelope.js';
import { errorResponses } from '../wire/fastify.js';
import { fitPage, nextStart } from '../lists/reply-bound.js';
import { CaseOverviewResponse, CaseReportBody, CaseReportResponse } from './schemas.js';
import { caseReport, currentOverview } from './service.js';

/** Case statistics (查询工单概览, 查询工单总览统计), registered under `/service/AICC__Case/1.0.0/openapi`. */
export async function statisticsRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.get('/statistics/case/current', { schema: { response: { 200: CaseOverviewResponse, ...errorResponses } } }, async (request) => {
    return success(await currentOverview(app.store, tenantOf(request), app.clock()));
  });

  typed.post('/statistics/case/report', { schema: { body: CaseReportBody, response: { 200: CaseReportResponse, ...errorResponses } } }, async (request, reply) => {
    const report = await caseReport(app.store, tenantOf(request), request.body, app.clock());
    return success(fitPage(reply, report, 'caseStatisticsList', app.config.replyLimitBytes, nextStart(request.body.start)));
  });
}
