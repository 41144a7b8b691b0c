import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A connection that has waited this long for its request (headers, body) or for its next one may be closed to make
 * room: below it, a client that has just connected and is about to send would lose its request to the next one.
 */
export const EVICTABLE_AFTER_MS = 1000;

/** At most one warning line per this many milliseconds while the limit is reached, with the counts since the last. */
const REPORT_EVERY_MS = 10_000;

interface Connection {
  /** When it opened, or when its latest request's headers arrived. */
  since: number;
  request?: IncomingMessage;
  response?: ServerResponse;
}

/** Not answering anything: no request yet, a request still arriving, or a reply already sent (an idle keep-alive). */
function waiting(connection: Connection): boolean {
  return connection.request === undefined || !connection.request.complete || connection.response?.writableFinished === true;
}

export interface LimitReport {
  open: number;
  limit: number;
  /** Connections closed to make room since the last report: stalled, trickling or idle ones, the oldest first. */
  closed: number;
  /** New connections closed at once because every open one was busy or too young to close. */
  refused: number;
}

/**
 * Keeps at most `limit` connections open. A new connection past the limit takes the place of the one that has waited
 * longest for its request (or its next one) if that is over EVICTABLE_AFTER_MS, else it is closed at once; a
 * connection whose request is being answered is never closed. So while slow clients fill the process (each held for
 * the request timeout at most), the others still get in: with Node's own maxConnections they were refused until then.
 */
export function limitConnections(server: Server, limit: number, report: (counts: LimitReport) => void): void {
  // Kept in the order of `since` (a request moves its connection to the end): the oldest that may be closed is near
  // the front, after at most the connections busy answering, so making room does not walk every connection. The
  // per-request bookkeeping was lost in the noise (GET /healthz, 32 connections: 8.4k and 10.0k req/s with it, 8.5k
  // and 9.7k without, on this shared 2-CPU machine).
  const connections = new Map<Socket, Connection>();
  let closed = 0;
  let refused = 0;
  let reported = 0;

  const makeRoom = (now: number): boolean => {
    for (const [socket, connection] of connections) {
      if (now - connection.since < EVICTABLE_AFTER_MS) return false;
      if (!waiting(connection)) continue;
      connections.delete(socket);
      socket.destroy();
      closed += 1;
      return true;
    }
    return false;
  };

  server.on('connection', (socket: Socket) => {
    const now = Date.now();
    if (connections.size >= limit && !makeRoom(now)) {
      refused += 1;
      socket.destroy();
    } else {
      connections.set(socket, { since: now });
      socket.once('close', () => connections.delete(socket));
    }
    if ((closed > 0 || refused > 0) && now - reported >= REPORT_EVERY_MS) {
      report({ open: connections.size, limit, closed, refused });
      reported = now;
      closed = 0;
      refused = 0;
    }
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const connection = connections.get(request.socket);
    if (connection === undefined) return;
    connections.delete(request.socket);
    connection.since = Date.now();
    connection.request = request;
    connection.response = response;
    connections.set(request.socket, connection);
  });
}
