import { Type } from 'typebox';
import { QUERY_INTEGER_PATTERN } from '../wire/schema.js';

/** `GET /opencase/v1/changes?after=N`: where the stream starts when no Last-Event-ID is sent. */
export const ChangesQuery = Type.Object({
  after: Type.Optional(Type.String({
    pattern: QUERY_INTEGER_PATTERN, description: 'Start after this seq; by default the stream starts from now (the tenant\'s current change sequence)',
  })),
});

/** The header an EventSource sends when it reconnects, the id of the last event it received: it wins over `after`. */
export const ChangesHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ pattern: QUERY_INTEGER_PATTERN, description: 'Resume after this seq (wins over `after`)' })),
});

/** What the OpenAPI document shows for the stream itself, which the route writes by hand (changes/stream.ts). */
export const ChangeStreamResponse = {
  description: 'Server-sent events: first `id: <start>` alone (no data), then each entry of the tenant\'s change feed after it as '
    + '`id: <seq>` and `data: <the entry, as GET /opencase/v1/traces has it>`, in seq order, each once; a `: keep-alive` comment every 15 s.',
  content: { 'text/event-stream': { schema: Type.String() } },
};
