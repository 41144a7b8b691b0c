import { Type, type Static } from 'typebox';
import { WireDay } from '../wire/dates.js';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { alphabetical, ListStart, Nullable } from '../wire/schema.js';

/** AICC's five numbers, named as case/list's resumenType values; averageDuration is in days (2 decimals). */
const Figures = {
  averageDuration: Type.Number({ description: 'the mean of (completion − creation) of the finished cases, in days, 2 decimals; 0 when none' }),
  finishedCases: Type.Integer(),
  newCases: Type.Integer(),
  overCases: Type.Integer(),
  unfinishedCases: Type.Integer(),
};

/** 查询工单概览 (statistics/case/current): today's figures, keys in the order of AICC's example. */
export const CaseOverview = Type.Object(alphabetical(Figures));
export type CaseOverview = Static<typeof CaseOverview>;
export const CaseOverviewResponse = Envelope(CaseOverview);

/** 查询工单总览统计 (statistics/case/report). Dates are days only (`YYYY-MM-DD`), in the tenant's zone. */
export const CaseReportBody = Type.Object({
  caseTypeId: Type.Optional(WireId),
  startTime: Type.Optional(WireDay),
  endTime: Type.Optional(WireDay),
  start: ListStart,
  limit: Type.Integer({ minimum: 1, maximum: 100 }),
});
export type CaseReportInput = Static<typeof CaseReportBody>;

/** One day of the report; caseType and caseTypeName are null when the report is over every type. */
export const CaseStatisticsItem = Type.Object(alphabetical({
  ...Figures,
  caseType: Nullable(Type.String()),
  caseTypeName: Nullable(Type.String()),
  date: Type.String({ description: 'YYYY-MM-DD' }),
}));
export type CaseStatisticsItem = Static<typeof CaseStatisticsItem>;

export const CaseReport = Type.Object(alphabetical({
  caseStatisticsList: Type.Array(CaseStatisticsItem),
  count: Type.Integer({ description: 'the number of days in the range' }),
}));
export type CaseReport = Static<typeof CaseReport>;
export const CaseReportResponse = Envelope(CaseReport);
