/**
 * A profile of what a server does, drawn from one run's replies: per call the result's shape (keys in the order they
 * came, each value's type and format), the HTTP status and resCode of each refusal, the language of resMsg. No value
 * is written: not a name, not an id, not a message (except a success message that is 成功 or Success).
 */
import type { Context, Observation } from './context.js';

export const PROFILE_KIT = 'opencase-conformance/1';

/** A value's shape: "string:id", "null|string:datetime", {object: {…}}, {array: …}, or {either: […]} when they vary. */
export type ShapeRecord = string | { object: Record<string, ShapeRecord> } | { array: ShapeRecord } | { either: ShapeRecord[] };

export type Language = 'zh' | 'en' | 'other' | 'none';

export interface Answer {
  status: number;
  /** resCode as sent when a string (codes are not secret), else its type. */
  resCode: string;
  resMsg: Language;
  result: ShapeRecord;
}

/** The wire-profile switches opencase has (`opencase tenant set --wire-from`), as far as the replies settle them. */
export interface WireReading {
  caseDetailResult?: 'array' | 'object';
  taskListResult?: 'object' | 'array';
  successMessage?: string;
  unknownFields?: 'reject' | 'ignore';
}

export interface Profile {
  kit: typeof PROFILE_KIT;
  /** The day it was recorded (no time, no server address: a profile may be shared). */
  recorded: string;
  /** Calls that succeeded, by "METHOD path-template". */
  calls: Record<string, Answer>;
  /** Requests made to be refused, and probes whose answer AICC leaves open, by "METHOD path-template: what". */
  refusals: Record<string, Answer>;
  token: Record<string, { status: number; reply: ShapeRecord; error?: string }>;
  wire: WireReading;
}

const FORMATS: [string, RegExp][] = [
  ['id', /^[A-Za-z0-9]{20}$/], ['number30', /^[0-9]{30}$/], ['datetime', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/], ['day', /^\d{4}-\d{2}-\d{2}$/], ['empty', /^$/],
];

export function shapeOf(value: unknown): ShapeRecord {
  if (value === null) return 'null';
  if (value === undefined) return 'absent';
  if (Array.isArray(value)) return { array: value.map(shapeOf).reduce(merge, 'empty') };
  if (typeof value === 'object') return { object: Object.fromEntries(Object.entries(value).map(([key, child]) => [key, shapeOf(child)])) };
  if (typeof value === 'string') {
    const format = FORMATS.find(([, test]) => test.test(value))?.[0];
    return format ? `string:${format}` : 'string';
  }
  return typeof value;
}

/** One shape that covers both. */
export function merge(a: ShapeRecord, b: ShapeRecord): ShapeRecord {
  if (a === 'empty') return b;
  if (b === 'empty') return a;
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (typeof a === 'string' && typeof b === 'string') return [...new Set([...a.split('|'), ...b.split('|')])].sort().join('|');
  if (typeof a === 'object' && typeof b === 'object' && 'object' in a && 'object' in b) {
    const keys = [...new Set([...Object.keys(a.object), ...Object.keys(b.object)])];
    return { object: Object.fromEntries(keys.map((key) => [key, merge(a.object[key] ?? 'absent', b.object[key] ?? 'absent')])) };
  }
  if (typeof a === 'object' && typeof b === 'object' && 'array' in a && 'array' in b) return { array: merge(a.array, b.array) };
  const options = [...eitherOf(a), ...eitherOf(b)];
  return { either: options.filter((option, index) => options.findIndex((other) => JSON.stringify(other) === JSON.stringify(option)) === index) };
}

function eitherOf(shape: ShapeRecord): ShapeRecord[] {
  return typeof shape === 'object' && 'either' in shape ? shape.either : [shape];
}

export function languageOf(message: unknown): Language {
  if (typeof message !== 'string' || message === '') return 'none';
  if (/[\u3400-\u9fff]/.test(message)) return 'zh';
  if (/[A-Za-z]/.test(message)) return 'en';
  return 'other';
}

function answerOf(observation: Observation): Answer {
  const body = observation.body as { resCode?: unknown; resMsg?: unknown; result?: unknown } | undefined;
  const envelope = typeof body === 'object' && body !== null && !Array.isArray(body);
  return {
    status: observation.status,
    resCode: !envelope ? 'no envelope' : typeof body.resCode === 'string' ? body.resCode.slice(0, 40) : `(${body.resCode === undefined ? 'absent' : typeof body.resCode})`,
    resMsg: envelope ? languageOf(body.resMsg) : 'none',
    result: envelope ? shapeOf(body.result) : shapeOf(observation.body),
  };
}

export function recordProfile(ctx: Context, today = new Date()): Profile {
  const profile: Profile = { kit: PROFILE_KIT, recorded: today.toISOString().slice(0, 10), calls: {}, refusals: {}, token: {}, wire: {} };
  for (const observation of ctx.observations) {
    const answer = answerOf(observation);
    const what = observation.refusal ?? observation.probe;
    if (what !== undefined) {
      const key = `${observation.method} ${observation.call}: ${what}`;
      profile.refusals[key] ??= answer;
      continue;
    }
    if (observation.status !== 200 || answer.resCode !== '0') continue;
    const key = `${observation.method} ${observation.call}`;
    const earlier = profile.calls[key];
    profile.calls[key] = earlier ? { ...earlier, result: merge(earlier.result, answer.result) } : answer;
  }
  for (const { label, status, body } of ctx.tokenReplies) {
    const error = (body as { error?: unknown } | undefined)?.error;
    profile.token[label] = { status, reply: shapeOf(body), ...(typeof error === 'string' && { error: error.slice(0, 40) }) };
  }
  profile.wire = readWire(ctx.observations);
  return profile;
}

/** The switches as the replies show them; a switch the run could not see is left out. */
function readWire(observations: Observation[]): WireReading {
  const wire: WireReading = {};
  const success = (o: Observation) => o.status === 200 && (o.body as { resCode?: unknown } | undefined)?.resCode === '0' && !o.refusal && !o.probe;
  const resultOf = (o: Observation) => (o.body as { result?: unknown }).result;
  const caseDetail = observations.find((o) => o.call === 'case/{id}' && success(o));
  if (caseDetail) wire.caseDetailResult = Array.isArray(resultOf(caseDetail)) ? 'array' : 'object';
  const taskList = observations.find((o) => o.call === 'task/list' && success(o));
  if (taskList) wire.taskListResult = Array.isArray(resultOf(taskList)) ? 'array' : 'object';
  const message = observations.map((o) => success(o) ? (o.body as { resMsg?: unknown }).resMsg : undefined).find((m) => typeof m === 'string');
  if (message === '成功' || message === 'Success') wire.successMessage = message;
  const probe = observations.find((o) => o.probe === 'an undocumented field');
  if (probe && probe.status >= 400 && probe.status < 500) wire.unknownFields = 'reject';
  else if (probe && success({ ...probe, probe: undefined } as Observation)) wire.unknownFields = 'ignore';
  return wire;
}

export function isProfile(value: unknown): value is Profile {
  const candidate = value as Partial<Profile> | undefined;
  return typeof candidate === 'object' && candidate !== null && candidate.kit === PROFILE_KIT
    && typeof candidate.calls === 'object' && typeof candidate.refusals === 'object' && typeof candidate.wire === 'object';
}
