/**
 * What AICC's documentation leaves open, settled per tenant: a tenant that integrates with a real AICC tenant sets
 * each switch to what that tenant answers. The first value of each is the default, chosen from the captured examples
 * (docs/semantics.md says why for each).
 */
export const WIRE_PROFILE_SWITCHES = {
  /** 查询工单详情's `result`: the captured example's one-element array, or the table's object. */
  caseDetailResult: ['array', 'object'],
  /** 查询任务列表's `result`: an object (no example exists), or wrapped in an array as case/list's is. */
  taskListResult: ['object', 'array'],
  /** `resMsg` of a success: the Chinese pages' 成功 or the English pages' Success. */
  successMessage: ['成功', 'Success'],
  /** A body field opencase does not know: refused with a 400 naming it, or dropped as a lenient server would. */
  unknownFields: ['reject', 'ignore'],
} as const;

export type WireSwitch = keyof typeof WIRE_PROFILE_SWITCHES;
export type WireProfile = { -readonly [K in WireSwitch]: (typeof WIRE_PROFILE_SWITCHES)[K][number] };

export const DEFAULT_WIRE_PROFILE: Readonly<WireProfile> = {
  caseDetailResult: 'array',
  taskListResult: 'object',
  successMessage: '成功',
  unknownFields: 'reject',
};

function isSwitch(key: string): key is WireSwitch {
  return Object.hasOwn(WIRE_PROFILE_SWITCHES, key);
}

/** `key=value` (the CLI's `--wire`) as one switch's setting; an Error that names the keys or values allowed. */
export function parseWireSetting(text: string): Partial<WireProfile> {
  const equals = text.indexOf('=');
  const key = equals < 0 ? text : text.slice(0, equals);
  if (!isSwitch(key)) throw new Error(`--wire ${text}: the keys are ${Object.keys(WIRE_PROFILE_SWITCHES).join(', ')} (as key=value)`);
  const allowed: readonly string[] = WIRE_PROFILE_SWITCHES[key];
  const value = equals < 0 ? '' : text.slice(equals + 1);
  if (!allowed.includes(value)) throw new Error(`--wire ${key}=${value}: ${key} is one of ${allowed.join(', ')}`);
  return { [key]: value };
}

/** A short text that differs whenever a cached reply would: part of the response caches' keys. */
export function replyShapeKey(profile: WireProfile): string {
  return `${profile.successMessage}/${profile.taskListResult}/${profile.caseDetailResult}`;
}
