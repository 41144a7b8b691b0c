/**
 * The kit's HTTP: one request at a time, 10 s each, redirects not followed, and a 429 waited out (its Retry-After, or
 * 1, 2, 4, 8 s) before the same request goes again, at most five times: the kit must never add to a tenant's load.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export const REQUEST_TIMEOUT_MS = 10_000;
/** The largest reply read: a case list page of 100 at AICC's lengths is well under 1 MB; anything past this is refused. */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;
const MAX_WAITS_ON_429 = 5;
const LONGEST_WAIT_MS = 30_000;

export interface Request {
  method: 'GET' | 'POST';
  /** Under the server's origin, with its query if any. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json), or a form (application/x-www-form-urlencoded). */
  json?: unknown;
  form?: Record<string, string>;
  /** The body as raw text, for a request the kit means to be malformed. */
  raw?: string;
}

export interface Exchange {
  status: number;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
  /** The reply's Content-Type. */
  contentType: string;
  ms: number;
}

export class TransportError extends Error {}

export class Http {
  /** How many times a 429 was waited out, and for how long in all. */
  waits = 0;
  waitedMs = 0;

  constructor(readonly origin: string, private readonly onWait: (ms: number) => void = () => {}) {}

  async send(request: Request): Promise<Exchange> {
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const response = await this.#fetch(request);
      const text = await readBounded(response, `${request.method} ${request.path.split('?')[0]}`);
      if (response.status === 429 && attempt < MAX_WAITS_ON_429) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? 1000 * 2 ** attempt;
        const waitMs = Math.min(wait, LONGEST_WAIT_MS);
        this.waits++;
        this.waitedMs += waitMs;
        this.onWait(waitMs);
        await sleep(waitMs);
        continue;
      }
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body, contentType: response.headers.get('content-type') ?? '', ms: performance.now() - started };
    }
  }

  async #fetch(request: Request): Promise<Response> {
    const headers: Record<string, string> = { ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = request.raw;
    }
    try {
      return await fetch(new URL(request.path, this.origin), {
        method: request.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new TransportError(`${request.method} ${request.path.split('?')[0]}: no reply (${cause})`);
    }
  }
}

/** The body as text, refused past MAX_REPLY_BYTES (the rest is not read: the connection is dropped). */
async function readBounded(response: Response, what: string): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_REPLY_BYTES) {
        await reader.cancel();
        throw new TransportError(`${what}: the reply is larger than ${MAX_REPLY_BYTES / 1024 / 1024} MB`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof TransportError) throw error;
    throw new TransportError(`${what}: the reply was cut off (${error instanceof Error ? error.message : String(error)})`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After as seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
