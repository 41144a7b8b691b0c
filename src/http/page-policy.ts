/**
 * The Content-Security-Policy of the pages opencase serves (the API reference, the console): their own scripts and
 * styles and calls to this origin, nothing else, and no framing. Inline styles are allowed because both pages' React
 * components set style attributes. The API's JSON replies keep their own, stricter policy (wire/fastify.ts).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
