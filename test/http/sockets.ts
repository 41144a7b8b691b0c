import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** Listens on a loopback port of its own and gives the port. */
export async function listenOnLoopback(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening on a TCP port');
  return address.port;
}

/** A raw client connection that keeps what it receives and knows when the server closed it. */
export interface RawClient {
  socket: Socket;
  received: () => string;
  /** Resolves with everything received once the connection is closed (by either side). */
  closed: Promise<string>;
  isClosed: () => boolean;
}

export function rawClient(port: number, text = ''): RawClient {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let isClosed = false;
  socket.on('data', (chunk: Buffer) => { received += chunk.toString(); });
  // A reset is one way the server may close: what was received until then is the answer.
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => {
    isClosed = true;
    resolve(received);
  }));
  if (text) socket.write(text);
  return { socket, received: () => received, closed, isClosed: () => isClosed };
}

/** Writes one byte every `everyMs` while the socket is writable; returns the stop function. */
export function trickle(socket: Socket, everyMs: number): () => void {
  const timer = setInterval(() => {
    if (socket.writable) socket.write('a');
  }, everyMs);
  return () => clearInterval(timer);
}

/** The body of an HTTP reply read off the wire. */
export function replyBody(text: string): string {
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

