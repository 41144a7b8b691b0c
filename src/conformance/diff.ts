/** Where two recorded profiles differ, in sentences: a real tenant's against opencase's, or one server before and after. */
import type { Answer, Profile, ShapeRecord } from './profile.js';

function describe(shape: ShapeRecord | undefined): string {
  if (shape === undefined || shape === 'absent') return 'absent';
  if (typeof shape === 'string') return shape.split('|').join(' or ');
  if ('object' in shape) return 'an object';
  if ('array' in shape) return 'an array';
  return shape.either.map(describe).join(' or ');
}

function diffShape(a: ShapeRecord, b: ShapeRecord, path: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (typeof a === 'object' && typeof b === 'object' && 'object' in a && 'object' in b) {
    const keysA = Object.keys(a.object);
    const keysB = Object.keys(b.object);
    for (const key of keysA) if (!(key in b.object)) out.push(`${path}.${key}: ${describe(a.object[key])} in A, absent in B`);
    for (const key of keysB) if (!(key in a.object)) out.push(`${path}.${key}: absent in A, ${describe(b.object[key])} in B`);
    const common = keysA.filter((key) => key in b.object);
    for (const key of common) diffShape(a.object[key]!, b.object[key]!, `${path}.${key}`, out);
    if (common.join() !== keysB.filter((key) => key in a.object).join()) out.push(`${path}: the same keys in another order`);
    return;
  }
  if (typeof a === 'object' && typeof b === 'object' && 'array' in a && 'array' in b) {
    diffShape(a.array, b.array, `${path}[]`, out);
    return;
  }
  out.push(`${path}: ${describe(a)} in A, ${describe(b)} in B`);
}

const LANGUAGES = { zh: 'Chinese', en: 'English', other: 'another language', none: 'none' } as const;

function answered(answer: Answer, withLanguage: boolean): string {
  const code = answer.resCode.startsWith('(') || answer.resCode === 'no envelope' ? answer.resCode : JSON.stringify(answer.resCode);
  return `HTTP ${answer.status} with resCode ${code}${withLanguage && answer.resMsg !== 'none' ? ` (resMsg in ${LANGUAGES[answer.resMsg]})` : ''}`;
}

/**
 * Two answers to one request. The language of a success's resMsg is said once for all calls (diffProfiles), not per
 * call: a tenant answers every success in one language.
 */
function diffAnswers(label: string, a: Answer | undefined, b: Answer | undefined, out: string[], withShape: boolean): void {
  if (!a || !b) {
    out.push(`${label}: ${a ? 'recorded in A only' : 'recorded in B only'} (not called, or it failed, in the other run)`);
    return;
  }
  const success = a.resCode === '0' && b.resCode === '0';
  if (a.status !== b.status || a.resCode !== b.resCode || (!success && a.resMsg !== b.resMsg)) out.push(`${label}: A answers ${answered(a, !success)}, B ${answered(b, !success)}`);
  if (withShape) diffShape(a.result, b.result, `${label}: result`, out);
  else if ((a.result === 'absent') !== (b.result === 'absent')) out.push(`${label}: a result in ${a.result === 'absent' ? 'B' : 'A'} only`);
}

export function diffProfiles(a: Profile, b: Profile): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a.wire), ...Object.keys(b.wire)]) as Set<keyof Profile['wire']>) {
    if (a.wire[key] !== b.wire[key]) out.push(`wire ${key}: ${a.wire[key] ?? 'not seen'} in A, ${b.wire[key] ?? 'not seen'} in B`);
  }
  for (const key of new Set([...Object.keys(a.token), ...Object.keys(b.token)])) {
    const [x, y] = [a.token[key], b.token[key]];
    if (!x || !y) out.push(`token (${key}): recorded in ${x ? 'A' : 'B'} only`);
    else {
      if (x.status !== y.status || x.error !== y.error) out.push(`token (${key}): A answers HTTP ${x.status}${x.error ? ` ${x.error}` : ''}, B HTTP ${y.status}${y.error ? ` ${y.error}` : ''}`);
      diffShape(x.reply, y.reply, `token (${key}): reply`, out);
    }
  }
  const calls = [...new Set([...Object.keys(a.calls), ...Object.keys(b.calls)])];
  const languages = calls.filter((key) => a.calls[key] && b.calls[key] && a.calls[key].resMsg !== b.calls[key].resMsg);
  if (languages.length > 0) {
    const [first] = languages as [string];
    out.push(`resMsg of a success: in ${LANGUAGES[a.calls[first]!.resMsg]} in A, in ${LANGUAGES[b.calls[first]!.resMsg]} in B (${languages.length} of ${calls.length} calls)`);
  }
  for (const key of calls) diffAnswers(key, a.calls[key], b.calls[key], out, true);
  for (const key of new Set([...Object.keys(a.refusals), ...Object.keys(b.refusals)])) diffAnswers(key, a.refusals[key], b.refusals[key], out, false);
  return out;
}
