import type { FastifyInstance, FastifyReply } from 'fastify';
import leven from 'leven';
import { success, WIRE_CONTENT_TYPE } from './envelope.js';
import { errorCodes } from './errors.js';
import { AICC_PREFIX, EXTENSIONS_PREFIX, TOKEN_PATH } from './paths.js';

/**
 * What a request that reaches no API is told, so that a new user can fix it from the reply alone: the method the path
 * takes (a 405 with Allow, as HTTP has it), the path it most likely meant, or where every API is listed.
 */

export interface KnownRoute {
  method: string;
  url: string;
}

export interface RouteHints {
  /** Every route as registered (app.registeredRoutes); read when a request misses, so it may still grow at start-up. */
  routes: readonly KnownRoute[];
  /** The interactive API reference and the OpenAPI document, named in every 404. */
  reference: string;
  document: string;
}

/** A path as segments; `:id` in a route matches any one segment. */
interface Pattern {
  url: string;
  methods: string[];
  segments: string[];
  parametric: boolean;
}

const isParameter = (segment: string) => segment.startsWith(':');

function patternsOf(routes: readonly KnownRoute[]): Pattern[] {
  const byUrl = new Map<string, Pattern>();
  for (const { method, url } of routes) {
    // CORS' preflight (`OPTIONS *`) and wildcard routes answer every path: they say nothing about what a path is.
    if (method === 'OPTIONS' || url.includes('*')) continue;
    const pattern = byUrl.get(url) ?? { url, methods: [], segments: url.split('/'), parametric: url.includes('/:') };
    if (!pattern.methods.includes(method)) pattern.methods.push(method);
    byUrl.set(url, pattern);
  }
  return [...byUrl.values()];
}

/** Routes are compiled again only when some were added since: at start-up, never once the app serves. */
const compiled = new WeakMap<readonly KnownRoute[], { count: number; patterns: Pattern[] }>();

function patterns(routes: readonly KnownRoute[]): Pattern[] {
  const cached = compiled.get(routes);
  if (cached?.count === routes.length) return cached.patterns;
  const fresh = { count: routes.length, patterns: patternsOf(routes) };
  compiled.set(routes, fresh);
  return fresh.patterns;
}

function matches(pattern: Pattern, segments: readonly string[]): boolean {
  return pattern.segments.length === segments.length
    && pattern.segments.every((segment, i) => (isParameter(segment) ? segments[i] !== '' : segment === segments[i]));
}

/** The routes that serve this path with some method; a route of its own path first, as the router prefers it. */
function routesAt(all: Pattern[], path: string): Pattern[] {
  const exact = all.filter((pattern) => !pattern.parametric && pattern.url === path);
  if (exact.length > 0) return exact;
  const segments = path.split('/');
  return all.filter((pattern) => pattern.parametric && matches(pattern, segments));
}

/** The `Allow` header: the methods served, and HEAD wherever GET is (Fastify answers it). */
function allowHeader(methods: readonly string[]): string {
  const allowed = new Set(methods);
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort().join(', ');
}

/** How a path is named in a message: AICC's calls as its pages name them (`task/list`), any other path whole. */
function callName(path: string): string {
  return path.startsWith(`${AICC_PREFIX}/`) ? path.slice(AICC_PREFIX.length + 1) : path;
}

function methodNotAllowedMessage(method: string, path: string, methods: readonly string[]): string {
  return `${method} is not served at ${callName(path)}: call it with ${[...methods].sort().join(' or ')}`;
}

/** A route's path for this request: its parameters filled from the request's segments where they line up. */
function concretePath(pattern: Pattern, segments: readonly string[]): string {
  const fill = pattern.segments.length === segments.length;
  return pattern.segments.map((segment, i) => (isParameter(segment) ? (fill ? segments[i] : `{${segment.slice(1)}}`) : segment)).join('/');
}

interface Suggestion {
  method: string;
  path: string;
  note?: string;
}

/** The route's method to name: the request's own when the route takes it, else the route's first. */
function methodFor(pattern: Pattern, method: string): string {
  return pattern.methods.includes(method) ? method : pattern.methods[0] ?? method;
}

/** Longer paths are no typo of a route (the longest is about 60 characters), and comparing them would only cost. */
const MAX_COMPARED_LENGTH = 256;
/** Never more than three edits in all. */
const MAX_EDITS = 3;

/**
 * How far a request's path is from a route's, if close enough to suggest it. Segment by segment where they line up,
 * each differing segment allowed half its length in edits (`tsk` → `task`, `lsit` → `list`; not `case` → `users`);
 * otherwise the two strings after what they share (`task/list/`, `task/statusupdate`). Case is not counted.
 */
function closeness(request: readonly string[], route: readonly string[]): number | undefined {
  const allowed = (length: number) => Math.max(1, Math.floor(length / 2));
  let distance = 0;
  let bound = 0;
  if (request.length === route.length) {
    for (let i = 0; i < route.length; i++) {
      const [wanted, known] = [request[i]?.toLowerCase() ?? '', route[i]?.toLowerCase() ?? ''];
      if (wanted === known) continue;
      bound = Math.min(MAX_EDITS, bound + allowed(known.length));
      distance += leven(wanted, known, { maxDistance: bound + 1 });
      if (distance > bound) return undefined;
    }
    return distance;
  }
  const [wanted, known] = [request.join('/').toLowerCase(), route.join('/').toLowerCase()];
  let common = 0;
  while (common < wanted.length && wanted[common] === known[common]) common++;
  bound = Math.min(MAX_EDITS, allowed(known.length - common));
  distance = leven(wanted.slice(common), known.slice(common), { maxDistance: bound + 1 });
  return distance <= bound ? distance : undefined;
}

function closestPath(candidates: Pattern[], method: string, path: string): Suggestion | undefined {
  if (path.length > MAX_COMPARED_LENGTH) return undefined;
  const segments = path.split('/');
  // Nearest first; at equal distance a path of its own before one with an id (`tsk/list` is task/list, not task/{id}),
  // then a route that takes the request's method.
  const rank = (pattern: Pattern, distance: number) => distance * 4 + (pattern.parametric ? 2 : 0) + (pattern.methods.includes(method) ? 0 : 1);
  let best: { pattern: Pattern; path: string; rank: number } | undefined;
  for (const pattern of candidates) {
    const candidate = concretePath(pattern, segments);
    const distance = closeness(segments, candidate.split('/'));
    if (distance === undefined) continue;
    const ranked = rank(pattern, distance);
    if (!best || ranked < best.rank) best = { pattern, path: candidate, rank: ranked };
  }
  return best && { method: methodFor(best.pattern, method), path: best.path };
}

/** The path with its prefix misplaced or missing (`/task/list`, `/opencase/v1/task/list`): the route whose own tail it ends with. */
function misplacedPrefix(all: Pattern[], method: string, path: string): Suggestion | undefined {
  const segments = path.split('/');
  for (const prefix of [AICC_PREFIX, EXTENSIONS_PREFIX]) {
    if (path.startsWith(`${prefix}/`)) continue;
    const prefixLength = prefix.split('/').length;
    for (const pattern of all) {
      if (!pattern.url.startsWith(`${prefix}/`)) continue;
      const tail = pattern.segments.slice(prefixLength);
      const ending = segments.slice(-tail.length);
      if (segments.length > tail.length && matches({ ...pattern, segments: tail }, ending)) {
        return { method: methodFor(pattern, method), path: [...pattern.segments.slice(0, prefixLength), ...ending].join('/') };
      }
    }
  }
  return undefined;
}

/** AICC's case calls mostly start with `case/`, but not its status call: `case/status/update` is `status/update` (and `case/close`, `close`). */
function withoutCasePrefix(all: Pattern[], method: string, path: string): Suggestion | undefined {
  const casePrefix = `${AICC_PREFIX}/case/`;
  if (!path.startsWith(casePrefix)) return undefined;
  const fixed = `${AICC_PREFIX}/${path.slice(casePrefix.length)}`;
  const [pattern] = routesAt(all, fixed);
  return pattern && { method: methodFor(pattern, method), path: fixed, note: `AICC's path has no case/ before ${path.slice(casePrefix.length)}` };
}

/**
 * For a request an id route took whose id is malformed: the path of its own it most likely meant, if one is close
 * (`POST task/proces` reached task detail's `POST task/:id`, but meant `task/process`).
 */
export function nearOwnPath(hints: RouteHints, method: string, path: string): string | undefined {
  const own = patterns(hints.routes).filter((pattern) => !pattern.parametric);
  const near = closestPath(own, method, path);
  return near && `${near.method} ${near.path}`;
}

export type MissingRoute =
  | { kind: 'methodNotAllowed'; allow: string; message: string }
  | { kind: 'routeNotFound'; message: string };

/** What to answer a request that no route took. */
export function describeMissingRoute(hints: RouteHints, method: string, path: string): MissingRoute {
  const all = patterns(hints.routes);
  // The API reference is hidden from the route list (its files are not the API), yet `/doc` means it.
  const reference: Pattern = { url: hints.reference, methods: ['GET'], segments: hints.reference.split('/'), parametric: false };
  // The path is the caller's own text: echoed, but never more than a line of it.
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  const didYouMean = (suggestion: Suggestion): MissingRoute => ({
    kind: 'routeNotFound',
    message: `no API at ${method} ${shown}: did you mean ${suggestion.method} ${suggestion.path}?${suggestion.note ? ` (${suggestion.note})` : ''}`,
  });

  const withoutCase = withoutCasePrefix(all, method, path);
  if (withoutCase) return didYouMean(withoutCase);
  const at = routesAt(all, path);
  if (at.length > 0) {
    // `POST case/lsit` fits `GET case/{id}`, but was meant for POST case/list: a near path of its own that takes the
    // method says more than "case/lsit is called with GET".
    const near = at.every((pattern) => pattern.parametric)
      ? closestPath(all.filter((pattern) => !pattern.parametric && pattern.methods.includes(method)), method, path)
      : undefined;
    if (near) return didYouMean(near);
    const served = [...new Set(at.flatMap((pattern) => pattern.methods))];
    return { kind: 'methodNotAllowed', allow: allowHeader(served), message: methodNotAllowedMessage(method, path, served) };
  }
  const suggestion = misplacedPrefix(all, method, path) ?? closestPath([...all, reference], method, path);
  if (suggestion) return didYouMean(suggestion);
  return { kind: 'routeNotFound', message: `no API at ${method} ${shown}; every API is listed at ${hints.reference} and in ${hints.document}` };
}

function sendMethodNotAllowed(reply: FastifyReply, allow: string, message: string): void {
  reply.request.resCode = errorCodes.methodNotAllowed.resCode;
  reply.code(405).header('allow', allow).type(WIRE_CONTENT_TYPE).send({ resCode: errorCodes.methodNotAllowed.resCode, resMsg: message });
}

/** The not-found handler's reply: a 405 with Allow when the path takes other methods, else a 404 with a pointer. */
export function replyToMissingRoute(hints: RouteHints, method: string, path: string, reply: FastifyReply): void {
  const missing = describeMissingRoute(hints, method, path);
  if (missing.kind === 'methodNotAllowed') {
    sendMethodNotAllowed(reply, missing.allow, missing.message);
    return;
  }
  reply.request.resCode = errorCodes.routeNotFound.resCode;
  reply.code(404).type(WIRE_CONTENT_TYPE).send({ resCode: errorCodes.routeNotFound.resCode, resMsg: missing.message });
}

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Routes that answer what the not-found handler cannot: `GET /`, and a method that a path of its own does not take
 * but that a route with an id does (`GET task/list` would otherwise reach `GET task/:id` and be told its id is
 * malformed). Registered last, hidden from the API's own list and document; they need no token, as a 404 does not.
 */
export function registerRouteHints(app: FastifyInstance, hints: RouteHints): void {
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, async (_request, reply) => {
    reply.type(WIRE_CONTENT_TYPE);
    return success({ name: 'opencase', docs: hints.reference, openapi: hints.document, token: TOKEN_PATH, aicc: AICC_PREFIX, extensions: EXTENSIONS_PREFIX });
  });

  const all = patterns(hints.routes);
  for (const own of all.filter((pattern) => !pattern.parametric)) {
    for (const method of ALL_METHODS) {
      if (own.methods.includes(method)) continue;
      const capturedBy = all.some((pattern) => pattern.parametric && pattern.methods.includes(method) && matches(pattern, own.segments));
      if (!capturedBy) continue;
      const message = methodNotAllowedMessage(method, own.url, own.methods);
      const allow = allowHeader(own.methods);
      app.route({ method, url: own.url, ...hidden, handler: async (_request, reply) => sendMethodNotAllowed(reply, allow, message) });
    }
  }
}
