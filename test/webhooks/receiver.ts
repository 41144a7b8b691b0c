import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got: its headers, its body as sent, and when. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver answers a request with: a status and headers (after `delayMs`), or `hang` (never answer). */
export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang';

/** A webhook endpoint on loopback that keeps what it gets and answers as `answer` says (200 by default). */
export async function startReceiver(answer: (request: Received, index: number) => Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  /** Requests being answered now, and the most there ever were at once. */
  const concurrency = { now: 0, most: 0 };
  const server: Server = createServer((request, response) => {
    concurrency.now++;
    concurrency.most = Math.max(concurrency.most, concurrency.now);
    response.on('close', () => { concurrency.now--; });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const got = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(got);
      for (const wake of waiters.splice(0)) wake();
      const reply = answer(got, received.length - 1);
      if (reply === 'hang') return;
      setTimeout(() => response.writeHead(reply.status, reply.headers).end(), reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    url,
    received,
    concurrency,
    /** Resolves once `count` requests have come, or fails after `timeoutMs`. */
    async until(count: number, timeoutMs = 15_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the receiver got ${received.length} requests of ${count} in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => { clearTimeout(timer); resolve(); });
        });
      }
      return received.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The event a request carries, after its signature is checked by the standardwebhooks package (not by opencase's code). */
export function verified(secret: string, request: Received): { type: string; timestamp: string; data: { seq: number; objectId: string; type: string } } {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  return new Webhook(secret).verify(request.body, headers) as ReturnType<typeof verified>;
}
