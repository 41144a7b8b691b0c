/**
 * The refresh cookie: one name, read from the Cookie header and written as Set-Cookie. Written here rather than with
 * the `cookie` package: its current major (2.x, which @fastify/cookie needs) declares Node >= 22, and one cookie of
 * base64url characters needs neither quoting nor decoding.
 */
export const REFRESH_COOKIE = 'opencase_refresh';

/** Sent back only to the session routes: no other request carries the refresh token. */
export const REFRESH_COOKIE_PATH = '/opencase/v1/session';

/** The refresh cookie's value, or undefined; a value that is not base64url (what opencase writes) is ignored. */
export function refreshTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{1,256}$/.test(value)) return value;
  }
  return undefined;
}

/**
 * Set-Cookie for a refresh token: httpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
 * Secure when the request came over HTTPS, living as long as its session. An empty token with age 0 clears it.
 */
export function refreshCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${REFRESH_COOKIE}=${token}`, `Path=${REFRESH_COOKIE_PATH}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : []),
  ].join('; ');
}
