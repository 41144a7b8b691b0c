import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import type { Config } from '../config.js';
import { ApiError } from '../wire/errors.js';
import { callerLabel } from '../permissions/caller.js';

export const MINUTE_MS = 60_000;

function tooMany(max: number, after: string): ApiError {
  return new ApiError('rateLimited', `too many calls: at most ${max} a minute; retry in ${after}`);
}

/** A wait in words, as @fastify/rate-limit says it on the token route ("1 second", "42 seconds", "1 minute"). */
function inWords(seconds: number): string {
  const [count, unit] = seconds >= 60 ? [Math.round(seconds / 60), 'minute'] : [seconds, 'second'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** One key's window: when it opened and how many calls it has counted. */
interface Window {
  start: number;
  count: number;
}

/**
 * Calls counted per key in fixed windows, as @fastify/rate-limit's own store counts them: a key's first call opens a
 * window of `windowMs`, and the first call after it has passed opens the next. Bounded: past `capacity` keys the
 * oldest window goes (and its key starts afresh). The map is kept in the order the windows opened, so expired ones
 * are dropped from its front, a few at a time, as new keys come.
 */
export class FixedWindows {
  readonly #windows = new Map<string, Window>();

  constructor(private readonly windowMs: number, private readonly capacity = 10_000) {}

  /** Counts a call of `key` at `now`; the window it was counted in. */
  count(key: string, now: number): Readonly<Window> {
    const window = this.#windows.get(key);
    if (window !== undefined && now < window.start + this.windowMs) {
      window.count += 1;
      return window;
    }
    if (window !== undefined) this.#windows.delete(key);
    else this.#makeRoom(now);
    const opened = { start: now, count: 1 };
    this.#windows.set(key, opened);
    return opened;
  }

  #makeRoom(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now < window.start + this.windowMs && this.#windows.size < this.capacity) return;
      this.#windows.delete(key);
    }
  }
}

/**
 * Every API route is limited per API app or signed-in user (the token's caller, whose sessions share one allowance;
 * known once the access-token hook has run, so the limit counts before the body is validated), any other route without a limit of its own per address; the token route
 * sets its own limit per address (routes.ts), which @fastify/rate-limit keeps, and routes with `rateLimit: false`
 * (probes, metrics, the document) have none. Counts are kept in each process: with N processes an app may make N
 * times the limit. Replies carry X-RateLimit-Limit, -Remaining and -Reset; past the limit they are 429 envelopes
 * with Retry-After too.
 *
 * Counted here rather than by @fastify/rate-limit's global limit, whose hook (async, its key generator awaited, its
 * store called through a promise) took 0.7 µs a call against under 0.2 µs for this one (measured in a loop), besides the
 * promise Fastify waits on for an async hook, on every API call.
 */
export async function installRateLimits(app: FastifyInstance, config: Config): Promise<void> {
  const max = config.rateLimitPerMinute;
  if (max > 0) {
    const limit = String(max);
    const apps = new FixedWindows(MINUTE_MS);
    const addresses = new FixedWindows(MINUTE_MS);
    const countCall = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const now = Date.now();
      // `tenant` is decorated only where the access-token hook runs: elsewhere it is undefined.
      const tenant = request.tenant;
      const window = tenant ? apps.count(callerLabel(tenant.caller), now) : addresses.count(request.ip, now);
      const reset = String(Math.ceil((window.start + MINUTE_MS - now) / 1000));
      const allowed = window.count <= max;
      reply.header('x-ratelimit-limit', limit);
      reply.header('x-ratelimit-remaining', allowed ? String(max - window.count) : '0');
      reply.header('x-ratelimit-reset', reset);
      if (allowed) {
        done();
        return;
      }
      reply.header('retry-after', reset);
      done(tooMany(max, inWords(Number(reset))));
    };
    // On every route as it is registered, after its own preValidation hooks, as @fastify/rate-limit's global limit
    // was; a new array, not a push, so that the HEAD route Fastify copies from a GET's options gets it only once.
    app.addHook('onRoute', (route: RouteOptions) => {
      if (route.config?.rateLimit !== undefined) return;
      route.preValidation = [...[route.preValidation ?? []].flat(), countCall];
    });
  }
  await app.register(rateLimit, tokenRouteOptions);
}

/** @fastify/rate-limit for the routes that set a limit of their own (the token route); no other route is touched. */
const tokenRouteOptions: RateLimitPluginOptions = {
  global: false,
  hook: 'preValidation',
  errorResponseBuilder: (_request, context) => tooMany(context.max, context.after),
};

/** The token route's own limit: per address, against one machine trying secret after secret. */
export function tokenRouteLimit(app: FastifyInstance) {
  const max = app.config.tokenRateLimitPerMinute;
  return max > 0 ? { max, timeWindow: MINUTE_MS, keyGenerator: (request: FastifyRequest) => `token address ${request.ip}` } : false;
}
