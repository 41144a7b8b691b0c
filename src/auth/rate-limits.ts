import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { ApiError } from '../wire/errors.js';

export const MINUTE_MS = 60_000;

function tooMany(_request: FastifyRequest, context: { max: number; after: string }): ApiError {
  return new ApiError('rateLimited', `too many calls: at most ${context.max} a minute; retry in ${context.after}`);
}

/**
 * Every API route is limited per API app (the token's app, known once the access-token hook has run, so the limit
 * counts before the body is validated); the token route sets its own limit per address (routes.ts). Counts are kept
 * in each process: with N processes an app may make N times the limit. Replies past the limit are 429 envelopes
 * with Retry-After and the X-RateLimit-* headers.
 */
export function rateLimitOptions(config: Config): RateLimitPluginOptions {
  return {
    global: config.rateLimitPerMinute > 0,
    max: config.rateLimitPerMinute,
    timeWindow: MINUTE_MS,
    hook: 'preValidation',
    keyGenerator: (request) => (request.tenant ? `app ${request.tenant.appId}` : `address ${request.ip}`),
    errorResponseBuilder: tooMany,
  };
}

/** The token route's own limit: per address, against one machine trying secret after secret. */
export function tokenRouteLimit(app: FastifyInstance) {
  const max = app.config.tokenRateLimitPerMinute;
  return max > 0 ? { max, timeWindow: MINUTE_MS, keyGenerator: (request: FastifyRequest) => `token address ${request.ip}` } : false;
}
