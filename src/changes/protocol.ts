/**
 * What travels on PostgreSQL's NOTIFY channel between the processes of one database: which tenant's change sequence
 * reached which number, that a token or an API app was revoked, and each listener's own heartbeats. Senders build
 * payloads only with the functions here, so that every listener can read them.
 */

/** The one channel every change of the database is signalled on (a PostgreSQL identifier: lower case, no quoting). */
export const CHANGES_CHANNEL = 'opencase_changes';

/** A token or an API app was revoked: every process drops what it cached of checked tokens. */
export const REVOCATION_PAYLOAD = 'r';

/** A payload is its kind and two values, split by SEPARATOR; a change's kind is CHANGE_KIND. */
export const SEPARATOR = ':';
export const CHANGE_KIND = 'c';

/** Tenant ids are AICC ids (wire/ids.ts): 20 letters and digits, so they can never hold the separator. */
const TENANT_ID = /^[0-9A-Za-z]{20}$/;

/** A heartbeat's sender: letters and digits, so that a payload splits unambiguously on ':'. */
const PROCESS_ID = /^[0-9A-Za-z]{1,40}$/;

function isSequenceNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * `c:<tenantId>:<seq>`: the tenant's change sequence reached `seq` in a transaction that committed. Refuses anything
 * that would not read back as exactly this tenant and number.
 */
export function changePayload(tenantId: string, seq: number): string {
  if (!TENANT_ID.test(tenantId)) throw new Error(`change payload: tenant id must be 20 letters and digits, not ${JSON.stringify(tenantId)}`);
  if (!isSequenceNumber(seq)) throw new Error(`change payload: sequence number must be a non-negative safe integer, not ${seq}`);
  return [CHANGE_KIND, tenantId, seq].join(SEPARATOR);
}

/** `h:<processId>:<n>`: a listener's n-th heartbeat, which only that listener reads. */
export function heartbeatPayload(processId: string, n: number): string {
  if (!PROCESS_ID.test(processId)) throw new Error(`heartbeat payload: process id must be letters and digits, not ${JSON.stringify(processId)}`);
  if (!isSequenceNumber(n)) throw new Error(`heartbeat payload: heartbeat number must be a non-negative safe integer, not ${n}`);
  return `h:${processId}:${n}`;
}

/** Every payload a change transaction sends: one per tenant changed, with its highest number, and one if it revoked. */
export function changeNotifications(changes: ReadonlyMap<string, number>, revoked: boolean): string[] {
  const payloads = [...changes].map(([tenantId, seq]) => changePayload(tenantId, seq));
  if (revoked) payloads.push(REVOCATION_PAYLOAD);
  return payloads;
}

export type ChangeMessage =
  | { kind: 'change'; tenantId: string; seq: number }
  | { kind: 'revocation' }
  | { kind: 'heartbeat'; processId: string; n: number };

/** A payload read back; undefined for anything no sender of this version builds (ignored, never trusted). */
export function parsePayload(payload: string): ChangeMessage | undefined {
  if (payload === REVOCATION_PAYLOAD) return { kind: 'revocation' };
  const [kind, id, number, ...rest] = payload.split(':');
  if (rest.length > 0 || id === undefined || number === undefined || !/^\d{1,16}$/.test(number)) return undefined;
  const value = Number(number);
  if (!isSequenceNumber(value)) return undefined;
  if (kind === 'c' && TENANT_ID.test(id)) return { kind: 'change', tenantId: id, seq: value };
  if (kind === 'h' && PROCESS_ID.test(id)) return { kind: 'heartbeat', processId: id, n: value };
  return undefined;
}
