import { Type, type TSchema } from 'typebox';

/** AICC replies carry this exact Content-Type (the docs' `application/json%3Bcharset=UTF-8` is a URL-encoded `;`). */
export const WIRE_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** The message AICC's Chinese documentation shows on every success. */
export const SUCCESS_MESSAGE = '成功';

export const ErrorEnvelope = Type.Object({
  resCode: Type.String(),
  resMsg: Type.String(),
});

/** `{resCode, resMsg, result}`; keys in this order, as in every AICC example. */
export function Envelope<T extends TSchema>(result: T) {
  return Type.Object({
    resCode: Type.String(),
    resMsg: Type.String(),
    result,
  });
}

/** A success; `message` is the tenant's (its wire profile's successMessage) where a reply is serialized ahead, for a cache. */
export function success<T>(result: T, message: string = SUCCESS_MESSAGE): { resCode: '0'; resMsg: string; result: T } {
  return { resCode: '0', resMsg: message, result };
}

/** The reply of write-only calls: AICC shows just `{"resCode":"0","resMsg":…}`, no `result`. */
export const Acknowledgement = ErrorEnvelope;

export function acknowledged(): { resCode: '0'; resMsg: string } {
  return { resCode: '0', resMsg: SUCCESS_MESSAGE };
}
