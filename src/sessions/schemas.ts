import { Type, type Static } from 'typebox';
import { ROLES } from '../permissions/table.js';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { StringEnum } from '../wire/schema.js';
import { Login } from '../users/schemas.js';

/** Sign-in: `tenantId` only when the login exists in more than one tenant (the reply says so). */
export const SignInBody = Type.Object({
  login: Login,
  // Any length up to the bound: a password set before a rule changed still signs in.
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  tenantId: Type.Optional(WireId),
});
export type SignInInput = Static<typeof SignInBody>;

/**
 * An access token for the `access-token` header, as the AICC API takes it, acting as this user; the refresh token
 * travels only in the httpOnly cookie.
 */
export const SessionResult = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds the access token lives' }),
  userId: Type.String(),
  role: StringEnum(ROLES),
});
export type SessionResult = Static<typeof SessionResult>;
export const SessionResponse = Envelope(SessionResult);

