import type { FastifyInstance } from 'fastify';

/**
 * While the server drains, idle keep-alive connections are closed this often. Node closes the idle ones once, when
 * close() starts; a reply in flight then leaves its connection idle with `Keep-Alive: timeout=72`, and close() waited
 * those 72 s (measured: 73 s from SIGTERM to exit with one request in flight).
 */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting, lets the requests in flight be answered, closes each connection once it is idle, and at
 * `deadlineMs` destroys those still open (a trickling client kept the process alive for good: Node also stops its
 * request timeouts at close). Resolves once the server is closed, saying whether the deadline cut connections.
 */
export async function closeHttp(app: FastifyInstance, deadlineMs: number): Promise<{ forced: boolean }> {
  const server = app.server;
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  let forced = false;
  const deadline = setTimeout(() => {
    forced = true;
    app.log.warn({ deadlineSeconds: deadlineMs / 1000 }, 'shutdown deadline reached: closing the connections still open');
    server.closeAllConnections();
  }, deadlineMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
  return { forced };
}
