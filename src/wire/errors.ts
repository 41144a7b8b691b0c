/**
 * The one table of error codes that every route answers with. AICC documents no error codes for
 * Case 2.0 (only the `{resCode, resMsg}` convention), so these are opencase's own: a string, never "0",
 * whose first three digits are the HTTP status that carries it.
 */
export const errorCodes = {
  invalidRequest: { resCode: '400001', httpStatus: 400, meaning: 'A field is missing, malformed or breaks a rule; resMsg names the field and the rule.' },
  malformedBody: { resCode: '400002', httpStatus: 400, meaning: 'The body is not valid JSON.' },
  missingToken: { resCode: '401001', httpStatus: 401, meaning: 'The access-token header is missing or empty.' },
  invalidToken: { resCode: '401002', httpStatus: 401, meaning: 'The access-token is unknown, revoked or expired: fetch a new one.' },
  signInFailed: { resCode: '401003', httpStatus: 401, meaning: 'Sign-in refused: the login or the password is wrong (which of the two is not said).' },
  sessionEnded: { resCode: '401004', httpStatus: 401, meaning: 'The refresh cookie is missing, or its session is over (signed out, expired, its user disabled, or the cookie used twice): sign in again.' },
  notYou: { resCode: '403001', httpStatus: 403, meaning: 'A signed-in user acts only as itself: creatorId (or userId) names another user. Leave it out, or send your own id.' },
  forbidden: { resCode: '403002', httpStatus: 403, meaning: 'Your role may not make this call, or not on this record (an agent changes only what it or its queues own); resMsg names the rule and who may.' },
  recordNotFound: { resCode: '404001', httpStatus: 404, meaning: 'No record with that id in your tenant (another tenant\'s id gets the same answer).' },
  routeNotFound: { resCode: '404002', httpStatus: 404, meaning: 'No API at that path; resMsg names the path you most likely meant (did you mean …?), or where every API is listed.' },
  methodNotAllowed: { resCode: '405001', httpStatus: 405, meaning: 'The path takes other methods (task/list is POST, not GET); the Allow header and resMsg name them.' },
  requestTimeout: { resCode: '408001', httpStatus: 408, meaning: 'The request did not arrive in time; the connection is closed.' },
  conflict: { resCode: '409001', httpStatus: 409, meaning: 'The record is not in a state that allows this call (a cancelled case cannot change status, a status still in use cannot leave a flow…).' },
  idempotencyKeyReused: { resCode: '409002', httpStatus: 409, meaning: 'This Idempotency-Key was sent within 24 hours with another request (another body or another record) to this route; nothing was done. A new request takes a new key.' },
  idempotencyKeyBusy: { resCode: '409003', httpStatus: 409, meaning: 'A call with this Idempotency-Key is still running, or stopped after its change committed and before its reply was kept; nothing was done now. Retry in a moment, or read the record.' },
  payloadTooLarge: { resCode: '413001', httpStatus: 413, meaning: 'The body is larger than the server accepts (1 MiB by default).' },
  unsupportedMediaType: { resCode: '415001', httpStatus: 415, meaning: 'The Content-Type is not application/json.' },
  headersTooLarge: { resCode: '431001', httpStatus: 431, meaning: 'The request headers are larger than the server accepts (16 KiB); the connection is closed.' },
  rateLimited: { resCode: '429001', httpStatus: 429, meaning: 'Too many calls from this API app (or, on the token route, from this address or for this client_id); nothing was done. Retry after the seconds in Retry-After.' },
  unavailable: { resCode: '503001', httpStatus: 503, meaning: 'The database is unreachable or busy for now; nothing was done. Retry after a moment.' },
  internal: { resCode: '500001', httpStatus: 500, meaning: 'An unexpected server error; the details are in the server log, never in the reply.' },
} as const;

export type ErrorKind = keyof typeof errorCodes;

/** An error that reaches the client as `{resCode, resMsg}` with the kind's HTTP status. */
export class ApiError extends Error {
  readonly resCode: string;
  readonly httpStatus: number;

  constructor(readonly kind: ErrorKind, message: string) {
    super(message);
    this.name = 'ApiError';
    this.resCode = errorCodes[kind].resCode;
    this.httpStatus = errorCodes[kind].httpStatus;
  }
}
