import { Type, type Static } from 'typebox';

/**
 * The OAuth2 client-credentials request (RFC 6749 §4.4), as AICC's `/baas/auth/v1.0/oauth2/token` takes it.
 * Every field is optional here so that a missing one gets the OAuth2 error RFC 6749 names for it, not a
 * generic validation error.
 */
export const TokenRequest = Type.Object({
  grant_type: Type.Optional(Type.String({ maxLength: 64 })),
  client_id: Type.Optional(Type.String({ maxLength: 256 })),
  client_secret: Type.Optional(Type.String({ maxLength: 256 })),
});
export type TokenRequest = Static<typeof TokenRequest>;

/**
 * The same parameters in the query string of a POST without a body, as AppCube clients send them (spec §8.6).
 * Accepted for them; a body keeps the secret out of URLs that proxies and browsers record.
 */
export const TokenQuery = Type.Object(TokenRequest.properties, {
  description: 'grant_type, client_id and client_secret may come here instead of the body (AppCube clients send them so); not in both',
});

/** Not wrapped in the AICC envelope: AICC's example shows the bare OAuth2 object. */
export const TokenResponse = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer(),
  token_type: Type.Literal('Bearer'),
});
export type TokenResponse = Static<typeof TokenResponse>;

export const OAuthErrorCode = Type.Union([
  Type.Literal('invalid_request'),
  Type.Literal('invalid_client'),
  Type.Literal('unsupported_grant_type'),
  Type.Literal('server_error'),
  // RFC 6749 §4.1.2.1's word for an overloaded server: the secret checks' queue is full (503 with Retry-After).
  Type.Literal('temporarily_unavailable'),
]);
export type OAuthErrorCode = Static<typeof OAuthErrorCode>;

export const OAuthError = Type.Object({
  error: OAuthErrorCode,
  error_description: Type.String(),
});
