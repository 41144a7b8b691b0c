import { addDays, dayOf, startOfDay } from '../wire/dates.js';
import type { CASE_RESUMEN_TYPES } from '../wire/enums.js';
import type { CaseFilters } from './repository.js';

export type CaseResumenType = (typeof CASE_RESUMEN_TYPES)[number];

/** Today in the tenant's zone, as instants: [midnight today, midnight tomorrow). */
export function todayBounds(now: number, timeZone: string): { from: number; before: number } {
  const today = dayOf(now, timeZone);
  return { from: startOfDay(today, timeZone), before: startOfDay(addDays(today, 1), timeZone) };
}

/**
 * The cases each of case/list's `resumenType` (sic) values selects, which are also the cases 查询工单概览
 * (statistics/case/current) counts: the two calls read these very filters, so their numbers cannot drift apart.
 * A case is open while it is neither Completed nor cancelled; "today" is the tenant's calendar day.
 * - newCases: created today;
 * - finishedCases: Completed, with its completion (closedDate) today;
 * - unfinishedCases: open now;
 * - overCases: open now and past its dueDate.
 */
export function resumenFilters(type: CaseResumenType, now: number, timeZone: string): CaseFilters {
  switch (type) {
    case 'newCases': {
      const today = todayBounds(now, timeZone);
      // createdTo includes its instant; instants are whole milliseconds.
      return { createdFrom: today.from, createdTo: today.before - 1 };
    }
    case 'finishedCases': {
      const today = todayBounds(now, timeZone);
      return { completed: true, closedFrom: today.from, closedBefore: today.before };
    }
    case 'unfinishedCases':
      return { completed: false, cancelled: false };
    case 'overCases':
      return { completed: false, cancelled: false, overdueAt: now };
  }
}
