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
  // Callback hooks, not async ones: they run on every request (task detail's too), and a promise each costs more.
  app.addHook('preValidation', (request, _reply, done) => {
    if (profileOf(request)?.unknownFields === 'ignore') {
      const schema = request.routeOptions.schema;
      if (schema?.body !== undefined) dropUnknownFields(schema.body, request.body);
      if (schema?.querystring !== undefined) dropUnknownFields(schema.querystring, request.query);
    }
    done();
  });

  app.addHook('preSerialization', (request, _reply, payload: unknown, done) => {
    const message = profileOf(request)?.successMessage ?? SUCCESS_MESSAGE;
    const envelope = payload as { resCode?: unknown } | null;
    if (message === SUCCESS_MESSAGE || typeof payload !== 'object' || envelope === null || envelope.resCode !== '0') {
      done(null, payload);
      return;
    }
    done(null, { ...envelope, resMsg: message });
  });
}
