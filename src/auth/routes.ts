import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { WIRE_CONTENT_TYPE } from '../wire/envelope.js';
import { errorCodes } from '../wire/errors.js';
import { classifyError } from '../wire/fastify.js';
import { OAuthError, TokenQuery, TokenRequest, TokenResponse, type OAuthErrorCode } from './schemas.js';
import type { IssuedToken } from './service.js';
import { TokenAttempts } from './token-attempts.js';
import { MINUTE_MS, tokenRouteLimit } from './rate-limits.js';
import { TOKEN_PATH } from '../wire/paths.js';

export { TOKEN_PATH };

class OAuthFailure extends Error {
  constructor(
    readonly httpStatus: number, readonly code: OAuthErrorCode, description: string,
    readonly options: { challenge?: boolean; retryAfterSeconds?: number } = {},
  ) {
    super(description);
  }
}

function sendOAuthError(reply: FastifyReply, failure: OAuthFailure): void {
  if (failure.options.challenge) reply.header('www-authenticate', 'Basic realm="opencase"');
  if (failure.options.retryAfterSeconds !== undefined) reply.header('retry-after', String(failure.options.retryAfterSeconds));
  reply.code(failure.httpStatus).type(WIRE_CONTENT_TYPE).headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
    .send({ error: failure.code, error_description: failure.message });
}

/** Why an address is refused, in the words of its 429, given the allowance. */
const ADDRESS_REFUSALS = {
  failures: (max: number) => `too many failed token requests from this address: at most ${max} a minute`,
  inFlight: (max: number) => `too many token requests from this address at once: at most ${max} may be checked at a time or have failed in a minute`,
  waiting: () => 'too many token requests from this address are waiting for a secret check',
} as const;

function tokenReply(reply: FastifyReply, token: IssuedToken): TokenResponse {
  reply.type(WIRE_CONTENT_TYPE).headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
  return { access_token: token.accessToken, expires_in: token.expiresInSeconds, token_type: 'Bearer' };
}

/** RFC 6749 §2.3.1: client_id and client_secret may come as HTTP Basic credentials, each form-urlencoded. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) throw new OAuthFailure(401, 'invalid_client', 'Authorization header must be HTTP Basic client credentials', { challenge: true });
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthFailure(401, 'invalid_client', 'Basic credentials must be client_id:client_secret', { challenge: true });
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthFailure(401, 'invalid_client', 'Basic credentials are not form-urlencoded', { challenge: true });
  }
}

const PARAMETERS = ['grant_type', 'client_id', 'client_secret'] as const;

/**
 * The token call's parameters from the body (form or JSON, as AICC documents) or the query string (AppCube clients
 * send them there, spec §8.6). One sent in both is refused: which of the two the client meant is a guess.
 */
function sentParameters(query: TokenRequest, body: TokenRequest): TokenRequest {
  const twice = PARAMETERS.find((name) => query[name] !== undefined && body[name] !== undefined);
  if (twice) throw new OAuthFailure(400, 'invalid_request', `${twice} is sent both in the query string and in the body: send it once`);
  return { ...body, ...query };
}

/** Where client credentials were sent, by the words of the refusal. */
const PLACE_NAMES = { header: 'the Authorization header', query: 'the query string', body: 'the body' } as const;

/** The client credentials, from HTTP Basic (RFC 6749 §2.3.1), the query string or the body: from one place only. */
function clientCredentials(query: TokenRequest, body: TokenRequest, authorization: string | undefined) {
  const fromHeader = basicCredentials(authorization);
  const holdsCredentials = (part: TokenRequest) => part.client_id !== undefined || part.client_secret !== undefined;
  const places = ([['header', fromHeader !== null], ['query', holdsCredentials(query)], ['body', holdsCredentials(body)]] as const)
    .filter(([, used]) => used).map(([place]) => PLACE_NAMES[place]);
  if (places.length > 1) {
    throw new OAuthFailure(400, 'invalid_request', `send client credentials in one place, not both in ${places[0]} and in ${places[1]}`);
  }
  return {
    clientId: fromHeader?.clientId ?? query.client_id ?? body.client_id,
    clientSecret: fromHeader?.clientSecret ?? query.client_secret ?? body.client_secret,
    fromHeader: fromHeader !== null,
  };
}

/**
 * POST /baas/auth/v1.0/oauth2/token: AICC's client-credentials token call. Form-encoded (as AICC documents)
 * or JSON bodies, HTTP Basic, or the query string; errors in OAuth2 form (RFC 6749 §5.2), never the AICC envelope.
 */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  await app.register(formbody);

  app.setErrorHandler((error: FastifyError | OAuthFailure, request, reply) => {
    if (error instanceof OAuthFailure) return sendOAuthError(reply, error);
    const { kind, message, retryAfterSeconds } = classifyError(error);
    const status = errorCodes[kind].httpStatus;
    // A full disk or a busy database: the client may retry the very call, later (as the API's own 503 says).
    if (kind === 'unavailable') reply.header('retry-after', String(retryAfterSeconds ?? 1));
    // Which call failed, for the operator: the URL's secret is redacted by the app's request serializer.
    if (status >= 500) request.log.error({ req: request, err: error }, 'token request failed');
    const description = kind === 'unsupportedMediaType' ? 'Content-Type must be application/x-www-form-urlencoded or application/json' : message;
    return sendOAuthError(reply, new OAuthFailure(status, status >= 500 ? 'server_error' : 'invalid_request', description));
  });

  // Failed calls per address, those in flight counted with them (token-attempts.ts). 10,000 addresses, as many as
  // the token cache holds tokens: measured 2.5 MB of heap with a million addresses passing through.
  const maxFailures = app.config.tokenFailuresPerMinute;
  const attempts = new TokenAttempts(app.store, { maxFailures, windowMs: MINUTE_MS, maxAddresses: 10_000 });

  app.withTypeProvider<TypeBoxTypeProvider>().post(TOKEN_PATH, {
    config: { rateLimit: tokenRouteLimit(app) },
    schema: {
      querystring: TokenQuery,
      body: TokenRequest,
      response: { 200: TokenResponse, '4xx': OAuthError, '5xx': OAuthError },
    },
    // AppCube clients POST with every parameter in the query string and no body at all (spec §8.6).
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, async (request, reply) => {
    const { grant_type: grantType } = sentParameters(request.query, request.body);
    if (grantType === undefined || grantType === '') throw new OAuthFailure(400, 'invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') {
      throw new OAuthFailure(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const { clientId, clientSecret, fromHeader } = clientCredentials(request.query, request.body, request.headers.authorization);
    if (!clientId) throw new OAuthFailure(400, 'invalid_request', 'client_id is required');
    if (!clientSecret) throw new OAuthFailure(400, 'invalid_request', 'client_secret is required');

    const outcome = await attempts.attempt({ clientId, clientSecret }, request.ip, { clock: app.clock, ttlSeconds: app.config.tokenTtlSeconds });
    if ('issued' in outcome) return tokenReply(reply, outcome.issued);
    // Who tried, from where: never what they sent as the secret.
    const who = { clientId, address: request.ip };
    if (outcome.refused === 'credentials') {
      request.log.warn(who, 'token request refused: unknown client_id or wrong client_secret');
      throw new OAuthFailure(401, 'invalid_client', 'client authentication failed: unknown client_id or wrong client_secret', { challenge: fromHeader });
    }
    const { retryAfterSeconds } = outcome;
    const retry = `retry in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`;
    if (outcome.refused === 'busy') {
      request.log.warn(who, 'token request refused: too many token requests from other addresses wait for a secret check');
      throw new OAuthFailure(503, 'temporarily_unavailable', `too many token requests from other addresses are waiting for a secret check; ${retry}`, { retryAfterSeconds });
    }
    request.log.warn({ ...who, reason: outcome.reason }, 'token request refused: too many token requests from this address');
    throw new OAuthFailure(429, 'invalid_request', `${ADDRESS_REFUSALS[outcome.reason](maxFailures)}; ${retry}`, { retryAfterSeconds });
  });
}
