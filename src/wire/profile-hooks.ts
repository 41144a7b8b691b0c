import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SUCCESS_MESSAGE } from './envelope.js';
import type { WireProfile } from './profile.js';
import { dropUnknownFields } from './unknown-fields.js';

/**
 * Shapes the replies and reads the requests of every route in this plugin by the caller's tenant's wire profile:
 * its success message, and, for a tenant that asked to be lenient, unknown body fields dropped before validation
 * (their schemas are closed, see unknown-fields.ts). Replies sent as cached bytes carry the message themselves
 * (their caches key on it). Routes that shape `result` by the profile read it from `profileOf` too.
 */
export function applyWireProfile(app: FastifyInstance, profileOf: (request: FastifyRequest) => WireProfile | undefined): void {
  app.addHook('preValidation', async (request) => {
    if (profileOf(request)?.unknownFields !== 'ignore') return;
    const schema = request.routeOptions.schema;
    if (schema?.body !== undefined) dropUnknownFields(schema.body, request.body);
    if (schema?.querystring !== undefined) dropUnknownFields(schema.querystring, request.query);
  });

  app.addHook('preSerialization', async (request, _reply, payload: unknown) => {
    const message = profileOf(request)?.successMessage ?? SUCCESS_MESSAGE;
    if (message === SUCCESS_MESSAGE || typeof payload !== 'object' || payload === null) return payload;
    const envelope = payload as { resCode?: unknown; resMsg?: unknown };
    return envelope.resCode === '0' ? { ...envelope, resMsg: message } : payload;
  });
}
