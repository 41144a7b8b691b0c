import fastJson from 'fast-json-stringify';
import { ExportedTrace } from '../traces/schemas.js';

/** The Content-Type of the change stream (the server-sent events format, always UTF-8). */
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream; charset=utf-8';

// From the export's own schema: a stream entry is byte for byte what GET /opencase/v1/traces holds, and never more.
// JSON text has no raw line break (they are escaped in strings), so one entry is one `data:` line.
const serializeEntry = fastJson(ExportedTrace);

/** One feed entry as an event: its seq is the event id, which a reconnecting client sends back as Last-Event-ID. */
export function entryFrame(entry: ExportedTrace): string {
  return `id: ${entry.seq}\ndata: ${serializeEntry(entry)}\n\n`;
}

/**
 * An id with no data: EventSource takes it as its last event id without dispatching an event (HTML, "dispatch the
 * event": the id is set before an empty data buffer returns). A stream opened "from now" starts with it, so that a
 * client reconnecting before any entry came resumes from where it began instead of from a later now.
 */
export function cursorFrame(seq: number): string {
  return `id: ${seq}\n\n`;
}

/** A comment line: ignored by clients, it keeps proxies and load balancers from closing a quiet stream as idle. */
export const KEEP_ALIVE_FRAME = ': keep-alive\n\n';
