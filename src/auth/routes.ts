import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { WIRE_CONTENT_TYPE } from '../wire/envelope.js';
import { errorCodes } from '../wire/errors.js';
import { classifyError } from '../wire/fastify.js';
import { OAuthError, TokenRequest, TokenResponse, type OAuthErrorCode } from './schemas.js';
import { issueToken } from './service.js';
import { tokenRouteLimit } from './rate-limits.js';
import { LruMap } from 'toad-cache';
import { TOKEN_PATH } from '../wire/paths.js';

export { TOKEN_PATH };

class OAuthFailure extends Error {
  constructor(readonly httpStatus: number, readonly code: OAuthErrorCode, description: string, readonly challenge = false) {
    super(description);
  }
}

function sendOAuthError(reply: FastifyReply, failure: OAuthFailure): void {
  if (failure.challenge) reply.header('www-authenticate', 'Basic realm="opencase"');
  reply.code(failure.httpStatus).type(WIRE_CONTENT_TYPE).headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
    .send({ error: failure.code, error_description: failure.message });
}

/** RFC 6749 §2.3.1: client_id and client_secret may come as HTTP Basic credentials, each form-urlencoded. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) throw new OAuthFailure(401, 'invalid_client', 'Authorization header must be HTTP Basic client credentials', true);
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthFailure(401, 'invalid_client', 'Basic credentials must be client_id:client_secret', true);
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthFailure(401, 'invalid_client', 'Basic credentials are not form-urlencoded', true);
  }
}

/**
 * POST /baas/auth/v1.0/oauth2/token: AICC's client-credentials token call. Form-encoded (as AICC documents)
 * or JSON bodies; errors in OAuth2 form (RFC 6749 §5.2), never the AICC envelope.
 */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  await app.register(formbody);

  app.setErrorHandler((error: FastifyError | OAuthFailure, request, reply) => {
    if (error instanceof OAuthFailure) return sendOAuthError(reply, error);
    const { kind, message } = classifyError(error);
    const status = errorCodes[kind].httpStatus;
    if (status >= 500) request.log.error({ err: error }, 'token request failed');
    const description = kind === 'unsupportedMediaType' ? 'Content-Type must be application/x-www-form-urlencoded or application/json' : message;
    return sendOAuthError(reply, new OAuthFailure(status, status >= 500 ? 'server_error' : 'invalid_request', description));
  });

  // Failed calls per client_id, for a minute after the last: past the limit the client_id is refused (429) before
  // any secret is checked, so guessing from many addresses gains nothing. The rightful client waits out the minute.
  const failures = new LruMap<number>(10_000, 60_000);
  const maxFailures = app.config.tokenFailuresPerMinute;

  app.withTypeProvider<TypeBoxTypeProvider>().post(TOKEN_PATH, {
    config: { rateLimit: tokenRouteLimit(app) },
    schema: {
      body: TokenRequest,
      response: { 200: TokenResponse, '4xx': OAuthError, '5xx': OAuthError },
    },
  }, async (request, reply) => {
    const body = request.body;
    if (body.grant_type === undefined || body.grant_type === '') throw new OAuthFailure(400, 'invalid_request', 'grant_type is required');
    if (body.grant_type !== 'client_credentials') {
      throw new OAuthFailure(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const fromHeader = basicCredentials(request.headers.authorization);
    if (fromHeader && (body.client_id !== undefined || body.client_secret !== undefined)) {
      throw new OAuthFailure(400, 'invalid_request', 'send client credentials either in the Authorization header or in the body, not both');
    }
    const clientId = fromHeader?.clientId ?? body.client_id;
    const clientSecret = fromHeader?.clientSecret ?? body.client_secret;
    if (!clientId) throw new OAuthFailure(400, 'invalid_request', 'client_id is required');
    if (!clientSecret) throw new OAuthFailure(400, 'invalid_request', 'client_secret is required');

    if ((failures.get(clientId) ?? 0) >= maxFailures) {
      request.log.warn({ clientId, address: request.ip }, 'token request refused: too many failures for this client_id');
      reply.header('retry-after', '60');
      throw new OAuthFailure(429, 'invalid_request', `too many failed token requests for this client_id: at most ${maxFailures} a minute; retry in 60 seconds`);
    }
    const token = await issueToken(app.db, { clientId, clientSecret }, { now: app.clock(), ttlSeconds: app.config.tokenTtlSeconds });
    if (!token) {
      // Who tried, from where: never what they sent as the secret.
      request.log.warn({ clientId, address: request.ip }, 'token request refused: unknown client_id or wrong client_secret');
      failures.set(clientId, (failures.get(clientId) ?? 0) + 1);
      throw new OAuthFailure(401, 'invalid_client', 'client authentication failed: unknown client_id or wrong client_secret', fromHeader !== null);
    }

    reply.type(WIRE_CONTENT_TYPE).headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    return { access_token: token.accessToken, expires_in: token.expiresInSeconds, token_type: 'Bearer' as const };
  });
}
