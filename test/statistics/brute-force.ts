import { parseWireDate } from '../../src/wire/dates.js';

/**
 * The statistics of docs/semantics.md ("Statistics"), counted case by case straight from their definitions, over
 * what a test knows of its cases: no counters, no SQL, none of src/statistics/. Day boundaries are the tenant's
 * wall-clock midnights (parseWireDate), days are stepped on the calendar.
 */
export interface KnownCase {
  id: string;
  typeId: string;
  createdAt: number;
  /** state Completed */
  completed: boolean;
  closedAt: number | null;
  cancelled: boolean;
  cancelledAt: number | null;
  dueAt: number | null;
}

const DAY = 86_400_000;

/** The calendar day `days` after `day` (YYYY-MM-DD). */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)) + days)).toISOString().slice(0, 10);
}

export const nextDay = (day: string) => shiftDay(day, 1);

export function midnight(day: string, timeZone: string): number {
  const instant = parseWireDate(`${day} 00:00:00`, timeZone);
  if (instant === null) throw new Error(`no midnight on ${day} in ${timeZone}`);
  return instant;
}

/** Every day from `first` to `last`, both included, oldest first. */
export function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = nextDay(day)) days.push(day);
  return days;
}

function average(finished: KnownCase[]): number {
  if (finished.length === 0) return 0;
  const total = finished.reduce((sum, c) => sum + ((c.closedAt ?? 0) - c.createdAt), 0);
  return Math.round((total / finished.length / DAY) * 100) / 100;
}

const isOpen = (c: KnownCase) => !c.completed && !c.cancelled;

/** The cases each resumenType (and the overview) counts at `now`, by id. */
export function expectedToday(cases: KnownCase[], now: number, today: string, timeZone: string) {
  const from = midnight(today, timeZone);
  const before = midnight(nextDay(today), timeZone);
  const ids = (selected: KnownCase[]) => selected.map((c) => c.id).sort();
  const newCases = cases.filter((c) => c.createdAt >= from && c.createdAt < before);
  const finishedCases = cases.filter((c) => c.completed && c.closedAt !== null && c.closedAt >= from && c.closedAt < before);
  const unfinishedCases = cases.filter(isOpen);
  const overCases = unfinishedCases.filter((c) => c.dueAt !== null && c.dueAt < now);
  return {
    overview: {
      averageDuration: average(finishedCases),
      finishedCases: finishedCases.length,
      newCases: newCases.length,
      overCases: overCases.length,
      unfinishedCases: unfinishedCases.length,
    },
    ids: { newCases: ids(newCases), finishedCases: ids(finishedCases), unfinishedCases: ids(unfinishedCases), overCases: ids(overCases) },
  };
}

/** One report row: created and completed in [D0, D1); open, and open past due, at D1. */
export function expectedDay(cases: KnownCase[], day: string, timeZone: string, caseType: { id: string; name: string } | null) {
  const from = midnight(day, timeZone);
  const end = midnight(nextDay(day), timeZone);
  const ofType = caseType ? cases.filter((c) => c.typeId === caseType.id) : cases;
  const finished = ofType.filter((c) => c.completed && c.closedAt !== null && c.closedAt >= from && c.closedAt < end);
  const openAtEnd = ofType.filter((c) => c.createdAt < end
    && !(c.completed && (c.closedAt ?? c.createdAt) < end)
    && !(c.cancelled && (c.cancelledAt ?? c.createdAt) < end));
  return {
    averageDuration: average(finished),
    caseType: caseType?.id ?? null,
    caseTypeName: caseType?.name ?? null,
    date: day,
    finishedCases: finished.length,
    newCases: ofType.filter((c) => c.createdAt >= from && c.createdAt < end).length,
    overCases: openAtEnd.filter((c) => c.dueAt !== null && c.dueAt < end).length,
    unfinishedCases: openAtEnd.length,
  };
}
