import type { TenantContext } from '../auth/service.js';
import { authorize } from '../permissions/checks.js';
import { createCaseTypesRepository } from '../case-types/repository.js';
import { createCasesRepository, type CaseFilters } from '../cases/repository.js';
import { resumenFilters, type CaseResumenType } from '../cases/resumen.js';
import type { Store } from '../db/store.js';
import { addDays, dayOf, daysBetween, isRealDay } from '../wire/dates.js';
import { CASE_RESUMEN_TYPES } from '../wire/enums.js';
import { ApiError } from '../wire/errors.js';
import type { CaseOverview, CaseReport, CaseReportInput, CaseStatisticsItem } from './schemas.js';
import { createStatisticsRepository, type DaySums } from './repository.js';

const DAY_MS = 86_400_000;

/** What the statistics need of the caller's tenant. */
type Tenant = Pick<TenantContext, 'tenantId' | 'timeZone' | 'caller'>;

/** Without startTime the report covers endTime and the 30 days before it: a month, as case/list's longest range (31 days). */
export const DEFAULT_REPORT_DAYS = 31;
/** A report covers at most a year, leap day included: 366 rows, whatever the page asks for. */
export const MAX_REPORT_DAYS = 366;

/** The mean of the completion times, in days, to 2 decimals; 0 when nothing was completed. */
function averageDays(totalMs: number, cases: number): number {
  return cases === 0 ? 0 : Math.round((totalMs / cases / DAY_MS) * 100) / 100;
}

/**
 * 查询工单概览: today's figures at this instant, counted with case/list's own resumenType filters (cases/resumen.ts),
 * in one statement, so that each number is the count of the list that resumenType gives.
 */
export async function currentOverview(store: Store, tenant: Tenant, now: number): Promise<CaseOverview> {
  await authorize(store, tenant, 'statistics.read');
  const filters = Object.fromEntries(CASE_RESUMEN_TYPES.map((type) => [type, resumenFilters(type, now, tenant.timeZone)])) as Record<CaseResumenType, CaseFilters>;
  const { counts, completionMs } = await createCasesRepository(store).countEach(tenant.tenantId, filters, 'finishedCases');
  return {
    averageDuration: averageDays(completionMs, counts.finishedCases),
    finishedCases: counts.finishedCases,
    newCases: counts.newCases,
    overCases: counts.overCases,
    unfinishedCases: counts.unfinishedCases,
  };
}

/** The report's days: as sent, or the defaults (endTime today, startTime 30 days before endTime), within the bounds. */
function reportRange(input: CaseReportInput, now: number, timeZone: string): { firstDay: string; lastDay: string } {
  for (const field of ['startTime', 'endTime'] as const) {
    const day = input[field];
    if (day !== undefined && !isRealDay(day)) throw new ApiError('invalidRequest', `${field} is not a real date`);
  }
  const lastDay = input.endTime ?? dayOf(now, timeZone);
  const firstDay = input.startTime ?? addDays(lastDay, -(DEFAULT_REPORT_DAYS - 1));
  if (firstDay > lastDay) {
    throw new ApiError('invalidRequest', input.endTime === undefined
      ? `startTime must not be after endTime (today, ${lastDay}, when endTime is not sent)`
      : 'startTime must not be after endTime');
  }
  if (daysBetween(firstDay, lastDay) + 1 > MAX_REPORT_DAYS) {
    throw new ApiError('invalidRequest', `startTime to endTime must span at most ${MAX_REPORT_DAYS} days, both included`);
  }
  return { firstDay, lastDay };
}

/**
 * 查询工单总览统计: one row per day of the range, newest first, every day present; `count` is the number of days.
 * Each row counts, from every case's current record, for the day D = [D0, D1): the cases created in D, those
 * completed in D and their mean duration, and at D1 the open cases and, of those, the ones past due. Read from the
 * statistics the case writes keep (statistics/changes.ts): the sums of the days before the range, then each day's.
 */
export async function caseReport(store: Store, tenant: Tenant, input: CaseReportInput, now: number): Promise<CaseReport> {
  await authorize(store, tenant, 'statistics.read');
  const { tenantId, timeZone } = tenant;
  const { firstDay, lastDay } = reportRange(input, now, timeZone);
  let caseType: { id: string; name: string } | null = null;
  if (input.caseTypeId !== undefined) {
    const found = await createCaseTypesRepository(store).findCaseType(tenantId, input.caseTypeId);
    if (!found) throw new ApiError('recordNotFound', `case type ${input.caseTypeId} does not exist`);
    caseType = { id: found.id, name: found.type_name };
  }

  const sums = await createStatisticsRepository(store).sumsUpTo(tenantId, caseType?.id, firstDay, lastDay);
  const byDay = new Map<string, DaySums>(sums.map((row) => [row.day, row]));
  const before = byDay.get('');
  let open = before?.openDelta ?? 0;
  let over = before?.overDelta ?? 0;
  const days = daysBetween(firstDay, lastDay) + 1;
  const rows: CaseStatisticsItem[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(firstDay, i);
    const day = byDay.get(date);
    open += day?.openDelta ?? 0;
    over += day?.overDelta ?? 0;
    rows.push({
      averageDuration: averageDays(day?.finishedDurationMs ?? 0, day?.finishedCases ?? 0),
      caseType: caseType?.id ?? null,
      caseTypeName: caseType?.name ?? null,
      date,
      finishedCases: day?.finishedCases ?? 0,
      newCases: day?.newCases ?? 0,
      overCases: over,
      unfinishedCases: open,
    });
  }
  rows.reverse();
  return { caseStatisticsList: rows.slice(input.start, input.start + input.limit), count: days };
}
