import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { ExportedTrace } from '../../src/traces/schemas.js';

/** One block of a server-sent event stream (the lines up to a blank one): its id and data fields, and its comments. */
export interface StreamEvent {
  id: string | undefined;
  data: string | undefined;
  comments: string[];
}

/**
 * A client of GET /opencase/v1/changes over real HTTP, reading the body as an EventSource would: blocks split on blank
 * lines, `field: value` lines, `:` comments. Reads only when asked to, so a test can also leave it unread. Over
 * node:http on a connection of its own (no agent): fetch's pool opened fresh, requestless connections to the server
 * after an aborted stream, which then held the server's close until the pool dropped them.
 */
export class EventStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The id of the last block that had one: what an EventSource would send back as Last-Event-ID. */
  lastEventId: string | undefined;
  readonly #request: ClientRequest;
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #pending: Promise<IteratorResult<Buffer>> | undefined;
  #ended = false;

  private constructor(request: ClientRequest, response: IncomingMessage) {
    this.status = response.statusCode ?? 0;
    this.headers = response.headers;
    this.#request = request;
    this.#chunks = response[Symbol.asyncIterator]();
  }

  /** Resolves once the response headers arrived (a refused stream too: read its envelope with `text()`). */
  static open(url: string, headers: Record<string, string>, method = 'GET'): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { method, headers, agent: false });
      request.once('response', (response) => resolve(new EventStream(request, response)));
      request.once('error', reject);
      request.end();
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The whole body, for a refusal (an envelope). */
  async text(): Promise<string> {
    let text = '';
    for (;;) {
      const chunk = await this.#read();
      this.#took();
      if (chunk.done) return text + this.#decoder.decode();
      text += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /**
   * The next block, or undefined once the stream has ended (cleanly: an error rejects). Throws when nothing came
   * within `timeoutMs`; what is read meanwhile is kept for the next call.
   */
  async next(timeoutMs = 20_000): Promise<StreamEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const block = this.#takeBlock();
      if (block) return block;
      if (this.#ended) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())); });
      const chunk = await Promise.race([this.#read(), timeout]);
      clearTimeout(timer);
      if (chunk === 'timeout') throw new Error(`no event within ${timeoutMs} ms (last event id ${this.lastEventId ?? 'none'})`);
      this.#took();
      if (chunk.done) this.#ended = true;
      else this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Hangs up, as a client that goes away does. */
  close(): void {
    // A read under way fails with the abort; nobody waits for it any more.
    this.#pending?.catch(() => {});
    this.#request.destroy();
    this.#ended = true;
  }

  /**
   * The read under way, or a new one. It stays under way until its result is taken (#took): a read abandoned at a
   * timeout would take its chunk with it.
   */
  #read(): Promise<IteratorResult<Buffer>> {
    this.#pending ??= this.#chunks.next();
    return this.#pending;
  }

  #took(): void {
    this.#pending = undefined;
  }

  #takeBlock(): StreamEvent | undefined {
    const end = this.#buffer.indexOf('\n\n');
    if (end < 0) return undefined;
    const lines = this.#buffer.slice(0, end).split('\n');
    this.#buffer = this.#buffer.slice(end + 2);
    const event: StreamEvent = { id: undefined, data: undefined, comments: [] };
    for (const line of lines) {
      if (line.startsWith(':')) {
        event.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') event.id = value;
      else if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
      else throw new Error(`unexpected field ${field} in the stream`);
    }
    if (event.id !== undefined) this.lastEventId = event.id;
    return event;
  }
}

/**
 * Reads entries until one with seq `untilSeq` or beyond, checking on the way that each event's id is its entry's seq
 * and that every entry is later than the one before (in order, each once). Blocks without data (the opening id,
 * keep-alive comments) are skipped. Returns the entries read.
 */
export async function readEntries(stream: EventStream, untilSeq: number, timeoutMs = 30_000, into: ExportedTrace[] = []): Promise<ExportedTrace[]> {
  const deadline = Date.now() + timeoutMs;
  while ((into.at(-1)?.seq ?? -1) < untilSeq) {
    const event = await stream.next(Math.max(1, deadline - Date.now())).catch((error: unknown) => {
      throw new Error(`stream stalled: wanted seq ${untilSeq}, read up to ${into.at(-1)?.seq ?? 'nothing'} (${into.length} entries): ${String(error)}`);
    });
    if (!event) throw new Error(`stream ended at ${into.at(-1)?.seq ?? 'nothing'} before seq ${untilSeq}`);
    if (event.data === undefined) continue;
    const entry = JSON.parse(event.data) as ExportedTrace;
    if (event.id !== String(entry.seq)) throw new Error(`event id ${event.id} on the entry of seq ${entry.seq}`);
    const last = into.at(-1);
    if (last && entry.seq <= last.seq) throw new Error(`seq ${entry.seq} after ${last.seq}: out of order or repeated`);
    into.push(entry);
  }
  return into;
}
