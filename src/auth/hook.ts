import type { FastifyInstance } from 'fastify';
import { ApiError } from '../wire/errors.js';
import { authenticate, type TenantContext } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access-token hook on every AICC and extension route before the handler runs. */
    tenant: TenantContext | null;
  }
}

/** AICC sends the token bare in a header literally named `access-token` (not Authorization: Bearer). */
export const ACCESS_TOKEN_HEADER = 'access-token';

/** OAuth2 clients send `Authorization: Bearer`, as the token call's token_type says; AICC reads only its own header. */
function missingTokenMessage(authorization: string | undefined): string {
  return authorization !== undefined && /^bearer\b/i.test(authorization)
    ? 'access-token header is required: send the token in the access-token header, not Authorization: Bearer'
    : 'access-token header is required';
}

/**
 * Guards every route registered in the same plugin: runs before the body is read, so an unauthenticated
 * caller learns nothing about the request's validity.
 */
export function requireAccessToken(app: FastifyInstance): void {
  app.decorateRequest('tenant', null);
  const countCheck = (fromCache: boolean) => app.metrics.countTokenCheck(fromCache);
  const { reader } = app.store;
  app.addHook('onRequest', async (request) => {
    const header = request.headers[ACCESS_TOKEN_HEADER];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) throw new ApiError('missingToken', missingTokenMessage(request.headers.authorization));
    // SQLite: a token checked before is reused while data_version holds; the requests of one turn of the event loop
    // share one read of it, made after all of them arrived (SyncReader.shareDataVersion).
    if (reader) await reader.shareDataVersion();
    const tenant = await authenticate(app.store, token, app.clock(), countCheck);
    if (!tenant) throw new ApiError('invalidToken', 'access-token is invalid or expired');
    request.tenant = tenant;
  });
}

/** The caller's tenant inside a guarded route (the hook has run, so it is always set). */
export function tenantOf(request: { tenant: TenantContext | null }): TenantContext {
  if (!request.tenant) throw new ApiError('missingToken', 'access-token header is required');
  return request.tenant;
}
