import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';

/**
 * AICC ids are 20 characters: a 4-character prefix naming the object type (the AppCube convention seen in
 * every example) and 16 more. opencase fills the 16 with random base62, about 95 bits, so ids never collide
 * across processes or databases and reveal nothing about volume.
 */
export const ID_LENGTH = 20;
export const ID_PATTERN = '^[0-9A-Za-z]{20}$';
export const ID_RULE = 'must be a 20-character id of letters and digits';

export const idPrefixes = {
  task: 'ccqG',
  case: 'c6m8',
  caseType: 'cvmC',
  contact: 'ciIy',
  address: 'cw8O',
  organization: 'cBbs',
  user: '10gg',
  tenant: 'tnnt',
  apiApp: 'oapp',
  trace: 'ctrc',
  queue: 'queu',
  template: 'ctpl',
  session: 'sess',
  webhook: 'wbhk',
} as const;

export type IdKind = keyof typeof idPrefixes;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    // 248 = 62 * 4: bytes at or above it are dropped so that every character is equally likely.
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function newId(kind: IdKind): string {
  return idPrefixes[kind] + randomBase62(ID_LENGTH - 4);
}

/** The wire schema of every id field AICC documents as "string, 20". */
export const WireId = Type.String({ pattern: ID_PATTERN, description: `${ID_RULE}` });

/**
 * The operator (`creatorId`) of a call where AICC marks it required: an API app must send it (its service says so, as
 * AICC would), a signed-in user may leave it out and acts as itself.
 */
export const OperatorId = Type.Optional(Type.String({
  pattern: ID_PATTERN,
  description: `${ID_RULE}; required of API apps (the user the change is made as), taken from the token for a signed-in user`,
}));
