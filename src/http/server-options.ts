import type { ServerOptions } from 'node:http';
import type { Config } from '../config.js';

/** The Fastify options that bound what one connection may hold: the request deadline and what happens at close. */
export function httpServerOptions(config: Config): { requestTimeout: number; http: ServerOptions; return503OnClosing: boolean } {
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  return {
    // Fastify sets Node's whole-request deadline to 0 (none): a body trickled at 1 byte a second, or a Content-Length
    // that never comes, held its connection for good. Node answers a late one through clientError
    // (ERR_HTTP_REQUEST_TIMEOUT), which clientErrorReply turns into the 408 envelope before closing.
    requestTimeout,
    http: {
      // Headers get the same deadline (Node's default is 60 s, and it must not exceed requestTimeout); it also covers a
      // connection that sends nothing at all.
      headersTimeout: requestTimeout,
      requestTimeout,
      // Node checks the deadlines every 30 s by default, so a 30 s deadline meant up to 60 s; a second's walk over the
      // connections that are receiving costs nothing next to that.
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeout / 4))),
      // Node answers a missing Host with a bare 400 of its own; the app answers it with the envelope (app.ts).
      requireHostHeader: false,
    },
    // Fastify's 503 for a request arriving on a kept-alive connection during shutdown is not the envelope; answered
    // normally instead, it carries `Connection: close` (Fastify adds it while closing), and the deadline bounds it.
    return503OnClosing: false,
  };
}
