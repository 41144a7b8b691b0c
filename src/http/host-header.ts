import type { FastifyRequest } from 'fastify';
import { ApiError } from '../wire/errors.js';

/**
 * HTTP/1.1 requires a Host header (RFC 9112 §3.2: a 400 without one). Node's own check answered a bare 400 with no
 * body; it is turned off (http/server-options.ts) so that the refusal is the envelope, from here. HTTP/1.0 may omit it.
 */
export function missingHost(request: FastifyRequest): ApiError | undefined {
  if (request.headers.host !== undefined) return undefined;
  const { httpVersionMajor, httpVersionMinor } = request.raw;
  if (httpVersionMajor === 1 && httpVersionMinor === 0) return undefined;
  return new ApiError('invalidRequest', 'the Host header is missing: HTTP/1.1 requests must send one (RFC 9112 §3.2)');
}
