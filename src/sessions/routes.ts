import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ACCESS_TOKEN_HEADER } from '../auth/hook.js';
import { hashToken } from '../auth/secrets.js';
import { ApiError } from '../wire/errors.js';
import { acknowledged, Acknowledgement, success } from '../wire/envelope.js';
import { emptyBodyIsEmptyObject, errorResponses } from '../wire/fastify.js';
import { NoFields } from '../wire/schema.js';
import { SetPasswordBody } from '../users/schemas.js';
import { usePasswordLink } from '../users/service.js';
import { refreshCookie, refreshTokenOf } from './cookie.js';
import { findSessionIdOfToken, isSessionToken } from './repository.js';
import { SessionResponse, SignInBody } from './schemas.js';
import { endSession, refreshSession, sessionOfRefreshToken, startSession, type IssuedSession, type SessionLifetimes } from './service.js';
import { SignInAttempts } from './sign-in-attempts.js';

function retryIn(seconds: number): string {
  return `retry in ${seconds} second${seconds === 1 ? '' : 's'}`;
}

/**
 * Sign-in, refresh and sign-out under `/opencase/v1/session`, and setting a password with a set-password link: the
 * routes a person uses before holding an access token, so none of them takes one. The access token a sign-in returns
 * goes in the same `access-token` header the AICC API takes; the refresh token travels only in an httpOnly cookie.
 */
export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { config } = app;
  const lifetimes: SessionLifetimes = { tokenTtlSeconds: config.sessionTokenTtlSeconds, sessionTtlSeconds: config.sessionTtlSeconds };
  const attempts = new SignInAttempts(app.store, { failuresPerAddress: config.signInFailuresPerMinute, failuresPerLogin: config.signInLoginFailures });

  const reply = (request: FastifyRequest, response: FastifyReply, issued: IssuedSession) => {
    response.header('cache-control', 'no-store');
    if (issued.refreshToken !== undefined) {
      response.header('set-cookie', refreshCookie(issued.refreshToken, (issued.sessionExpiresAt - app.clock()) / 1000, request.protocol === 'https'));
    }
    return success({ accessToken: issued.accessToken, expiresIn: issued.expiresIn, userId: issued.userId, role: issued.role });
  };

  typed.post('/session', { schema: { body: SignInBody, response: { 200: SessionResponse, ...errorResponses } } }, async (request, response) => {
    const outcome = await attempts.attempt(request.body, request.ip, app.clock);
    if ('user' in outcome) {
      if (outcome.user.status !== 'active') throw new ApiError('forbidden', `user ${outcome.user.id} is disabled: an admin may enable it again`);
      return reply(request, response, await startSession(app.store, outcome.user, app.clock(), lifetimes));
    }
    const who = { login: request.body.login, address: request.ip };
    if (outcome.refused === 'credentials') {
      request.log.warn(who, 'sign-in refused: unknown login or wrong password');
      throw new ApiError('signInFailed', 'login or password is wrong');
    }
    const { retryAfterSeconds } = outcome;
    response.header('retry-after', String(retryAfterSeconds));
    request.log.warn({ ...who, reason: outcome.refused }, 'sign-in refused before the password was checked');
    if (outcome.refused === 'busy') throw new ApiError('unavailable', `too many sign-ins from other addresses are waiting for a password check; ${retryIn(retryAfterSeconds)}`);
    const why = {
      address: `too many failed sign-ins from this address: at most ${config.signInFailuresPerMinute} a minute`,
      login: `too many failed sign-ins of login ${request.body.login} from this address`,
      waiting: 'too many sign-ins from this address are waiting for a password check',
    }[outcome.refused];
    throw new ApiError('rateLimited', `${why}; ${retryIn(retryAfterSeconds)}`);
  });

  typed.post('/session/refresh', {
    schema: { body: NoFields, response: { 200: SessionResponse, ...errorResponses } }, preValidation: emptyBodyIsEmptyObject,
  }, async (request, response) => {
    const refreshToken = refreshTokenOf(request.headers.cookie);
    if (refreshToken === undefined) throw new ApiError('sessionEnded', 'the refresh cookie is missing: sign in again (POST /opencase/v1/session)');
    try {
      return reply(request, response, await refreshSession(app.store, refreshToken, app.clock(), lifetimes));
    } catch (error) {
      // A session that is over keeps no cookie in the browser.
      if (error instanceof ApiError && error.kind === 'sessionEnded') response.header('set-cookie', refreshCookie('', 0, request.protocol === 'https'));
      throw error;
    }
  });

  /** Sign-out: the session of the access token, or of the refresh cookie; its tokens stop at once, in every process. */
  typed.delete('/session', { schema: { response: { 200: Acknowledgement, ...errorResponses } } }, async (request, response) => {
    const header = request.headers[ACCESS_TOKEN_HEADER];
    const accessToken = Array.isArray(header) ? header[0] : header;
    const refreshToken = refreshTokenOf(request.headers.cookie);
    if (!accessToken && refreshToken === undefined) {
      throw new ApiError('sessionEnded', 'nothing to sign out: send the session\'s access-token header or its refresh cookie');
    }
    if (accessToken && !isSessionToken(accessToken)) {
      throw new ApiError('invalidRequest', 'access-token is an API app\'s token, not a sign-in\'s: revoke it with `opencase token revoke`');
    }
    const sessionId = accessToken
      ? await findSessionIdOfToken(app.store, hashToken(accessToken))
      : await sessionOfRefreshToken(app.store, refreshToken ?? '');
    if (sessionId !== undefined) await endSession(app.store, sessionId, app.clock());
    response.header('set-cookie', refreshCookie('', 0, request.protocol === 'https'));
    return acknowledged();
  });

  typed.post('/password', { schema: { body: SetPasswordBody, response: { 200: Acknowledgement, ...errorResponses } } }, async (request) => {
    await usePasswordLink(app.store, request.body.token, request.body.password, app.clock());
    return acknowledged();
  });
}
