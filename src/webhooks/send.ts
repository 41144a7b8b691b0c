import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { forbiddenLiteralHost, guardedLookup } from './address-guard.js';

/** An attempt's wait for the answer, as the issue sets it: a slow endpoint is a failed one. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** What is kept of an answer's body for the delivery log. */
const KEPT_BODY_BYTES = 512;

export interface AttemptResult {
  /** The HTTP status, when an answer came. */
  status?: number;
  /** Why it failed, in words (no answer, a refused address, the start of a non-2xx body). */
  error?: string;
  /** Retry-After of a 429 or 503, in seconds. */
  retryAfterSeconds?: number;
}

export function succeeded(result: AttemptResult): boolean {
  return result.status !== undefined && result.status >= 200 && result.status < 300;
}

/**
 * POSTs `body` to `url` once: never following a redirect (a 3xx is a failure), never to a forbidden address unless
 * `allowPrivate`, within ATTEMPT_TIMEOUT_MS from the first byte sent to the whole answer read.
 */
export async function postOnce(url: URL, headers: Record<string, string>, body: string, allowPrivate: boolean, agents: Agents = {}): Promise<AttemptResult> {
  const first = await post(url, headers, body, allowPrivate, agents);
  // A kept-alive connection the endpoint closed as the request went out: the request never reached it, so it goes again
  // on a new connection (Node's documented remedy for this race), as the same attempt.
  return first.staleConnection ? post(url, headers, body, allowPrivate, {}) : first;
}

/** Kept-alive connections to the endpoints (a process's own), each opened to an address checked as it was resolved. */
export interface Agents {
  http?: HttpAgent;
  https?: HttpsAgent;
}

function post(url: URL, headers: Record<string, string>, body: string, allowPrivate: boolean, agents: Agents): Promise<AttemptResult & { staleConnection?: boolean }> {
  return new Promise((resolve) => {
    const refused = allowPrivate ? undefined : forbiddenLiteralHost(url);
    if (refused) return resolve({ error: `not delivered: ${refused} (OPENCASE_WEBHOOK_ALLOW_PRIVATE=1 allows it)` });
    const https = url.protocol === 'https:';
    const options = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      // A new connection resolves the name through the guard; a kept-alive one goes to the address checked when it opened.
      ...(!allowPrivate && { lookup: guardedLookup }),
    };
    const request = https ? httpsRequest(url, { ...options, agent: agents.https ?? false }) : httpRequest(url, { ...options, agent: agents.http ?? false });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`)), ATTEMPT_TIMEOUT_MS);
    const finish = (result: AttemptResult & { staleConnection?: boolean }) => {
      clearTimeout(timer);
      resolve(result);
    };
    request.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'EWEBHOOKADDRESS';
      const stale = request.reusedSocket && error.code === 'ECONNRESET';
      finish({ error: refused ? `not delivered: ${error.message} (OPENCASE_WEBHOOK_ALLOW_PRIVATE=1 allows it)` : error.message, ...(stale && { staleConnection: true }) });
    });
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const kept: Buffer[] = [];
      let keptBytes = 0;
      response.on('data', (chunk: Buffer) => {
        if (keptBytes < KEPT_BODY_BYTES) {
          kept.push(chunk.subarray(0, KEPT_BODY_BYTES - keptBytes));
          keptBytes += Math.min(chunk.length, KEPT_BODY_BYTES - keptBytes);
        } else response.destroy();
      });
      const done = () => {
        const retryAfter = status === 429 || status === 503 ? retryAfterSeconds(response.headers['retry-after']) : undefined;
        const text = Buffer.concat(kept).toString('utf8').replace(/\s+/g, ' ').trim();
        finish({
          status,
          ...(status >= 300 && { error: `HTTP ${status}${status < 400 ? ' (redirects are not followed)' : ''}${text ? `: ${text.slice(0, 200)}` : ''}` }),
          ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }),
        });
      };
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    request.end(body);
  });
}

/** Retry-After in seconds (a number, or an HTTP date); undefined when absent or unreadable. */
function retryAfterSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
