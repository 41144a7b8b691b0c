import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { assertErrorEnvelope, TASK_PATH } from '../helpers.js';

/** The calls of a person signing in, refreshing and signing out, as a browser makes them (tests of sessions and users). */

export const SESSION_PATH = '/opencase/v1/session';
export const REFRESH_PATH = `${SESSION_PATH}/refresh`;
export const PASSWORD_PATH = '/opencase/v1/password';
export const USERS_PATH = '/opencase/v1/users';
/** The cookie's name and attributes are the contract with the browser: written out here, not imported. */
export const COOKIE_NAME = 'opencase_refresh';

type WithApp = { app: FastifyInstance };

export interface SessionResult {
  accessToken: string;
  expiresIn: number;
  userId: string;
  role: string;
}

/** A signed-in session: the reply's fields and the refresh token its cookie carries. */
export interface SignedIn extends SessionResult {
  refreshToken: string;
}

export function signIn(t: WithApp, body: Record<string, unknown>, remoteAddress = '127.0.0.1') {
  return t.app.inject({
    method: 'POST', url: SESSION_PATH, remoteAddress, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body),
  });
}

/** A refresh as the browser sends it: no body, the cookie (when there is one). */
export function refresh(t: WithApp, refreshToken: string | undefined) {
  return t.app.inject({
    method: 'POST', url: REFRESH_PATH, headers: refreshToken === undefined ? {} : { cookie: `${COOKIE_NAME}=${refreshToken}` },
  });
}

export function signOut(t: WithApp, headers: Record<string, string>) {
  return t.app.inject({ method: 'DELETE', url: SESSION_PATH, headers });
}

/** The one Set-Cookie header of a reply, or undefined when the reply sets none. */
export function setCookieOf(reply: LightMyRequestResponse): string | undefined {
  const header = reply.headers['set-cookie'];
  if (header === undefined) return undefined;
  if (Array.isArray(header)) {
    assert.equal(header.length, 1, `one Set-Cookie expected: ${header.join(' | ')}`);
    return header[0];
  }
  return String(header);
}

/** A Set-Cookie's value and its attributes (in any order), for exact checks. */
export function parseSetCookie(cookie: string): { name: string; value: string; attributes: Map<string, string | true> } {
  const [pair = '', ...rest] = cookie.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const part of rest) {
    const at = part.indexOf('=');
    attributes.set((at < 0 ? part : part.slice(0, at)).toLowerCase(), at < 0 ? true : part.slice(at + 1));
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

/**
 * The refresh cookie a reply sets, checked: opencase_refresh, HttpOnly, SameSite=Strict, sent back only to the session
 * routes, not Secure over plain HTTP, no Domain; `Max-Age` as given when given.
 */
function checkedRefreshCookie(reply: LightMyRequestResponse): { value: string; maxAge: number } {
  const cookie = setCookieOf(reply);
  assert.ok(cookie !== undefined, `no Set-Cookie on ${reply.statusCode} ${reply.body}`);
  const { name, value, attributes } = parseSetCookie(cookie);
  assert.equal(name, COOKIE_NAME, cookie);
  assert.deepEqual([...attributes.keys()].sort(), ['httponly', 'max-age', 'path', 'samesite'], cookie);
  assert.equal(attributes.get('httponly'), true, cookie);
  assert.equal(attributes.get('samesite'), 'Strict', cookie);
  assert.equal(attributes.get('path'), SESSION_PATH, cookie);
  const maxAge = attributes.get('max-age');
  assert.ok(typeof maxAge === 'string' && /^\d+$/.test(maxAge), cookie);
  return { value, maxAge: Number(maxAge) };
}

/** The refresh token a reply's Set-Cookie carries (checked as checkedRefreshCookie says); its Max-Age when given. */
export function refreshTokenOf(reply: LightMyRequestResponse, maxAgeSeconds?: number): string {
  const { value, maxAge } = checkedRefreshCookie(reply);
  assert.match(value, /^[A-Za-z0-9_-]{20,}$/);
  if (maxAgeSeconds !== undefined) assert.equal(maxAge, maxAgeSeconds);
  return value;
}

/** A Set-Cookie that clears the refresh cookie (a session that is over keeps none in the browser). */
export function assertCookieCleared(reply: LightMyRequestResponse): void {
  assert.deepEqual(checkedRefreshCookie(reply), { value: '', maxAge: 0 });
}

/** The `result` of a sign-in or refresh reply, checked to hold exactly its four fields. */
export function sessionResultOf(reply: LightMyRequestResponse): SessionResult {
  assert.equal(reply.statusCode, 200, reply.body);
  const body = reply.json<{ resCode: string; result: SessionResult }>();
  assert.equal(body.resCode, '0');
  assert.deepEqual(Object.keys(body.result), ['accessToken', 'expiresIn', 'userId', 'role']);
  assert.equal(reply.headers['cache-control'], 'no-store');
  return body.result;
}

/** Signs in, failing the test unless it works; the reply's fields and the cookie's refresh token. */
export async function signedIn(t: WithApp, login: string, password: string, extra: Record<string, unknown> = {}): Promise<SignedIn> {
  const reply = await signIn(t, { login, password, ...extra });
  const result = sessionResultOf(reply);
  return { ...result, refreshToken: refreshTokenOf(reply) };
}

/** The resCode of an error reply with the given status, after checking it is an error envelope. */
export function errorCodeOf(reply: LightMyRequestResponse, status: number): string {
  assert.equal(reply.statusCode, status, reply.body);
  return assertErrorEnvelope(reply.body).resCode;
}

/** GET task detail of the demo task with a token: the AICC call every test uses to tell whether a token works. */
export function taskDetail(t: WithApp, token: string) {
  return t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
}

/** The resCode a token gets on task detail: "0" while it works, 401002 once it does not. */
export async function detailCode(t: WithApp, token: string): Promise<string> {
  const reply = await taskDetail(t, token);
  return reply.json<{ resCode: string }>().resCode;
}

/** A JSON call under /opencase/v1 (or any URL) with an access token. */
export function withToken(t: WithApp, token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
  return t.app.inject({
    method, url, headers: { 'access-token': token, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

/**
 * Asks `probe` until it gives `expected`: at once on SQLite (any commit reaches every connection's next request), and
 * on PostgreSQL once the revocation's notification reaches the store (generous bound: CI is slow). Returns the last
 * answer, for the caller's assert.
 */
export async function eventually<T>(probe: () => Promise<T>, expected: T, patient: boolean, boundMs = 15_000): Promise<T> {
  const started = performance.now();
  let answer = await probe();
  while (patient && answer !== expected && performance.now() - started < boundMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    answer = await probe();
  }
  return answer;
}
