/**
 * Serialized list responses of one route, each current while the tenant's change sequence stands where it stood
 * when the response was built (every change of the tenant, in any process, moves it: see db/counters.ts). A list
 * depends on many records, so any change of the tenant retires its entries rather than a stamp per list.
 * Bodies are kept as bytes, flat and off the JS heap (a serialized string is a rope of its pieces, several times its
 * length), and bounded by their total size: past the budget the least recently used go. A reply larger than the whole
 * budget is not kept (a page as large as the reply limit, lists/reply-bound.ts, is built again each time).
 */
export class ListResponseCache {
  readonly #entries = new Map<string, { changeSeq: number; body: Buffer; partial: string | undefined }>();
  #bytes = 0;

  constructor(private readonly budgetBytes = 4 * 1024 * 1024) {}

  /** The same request, whatever the order of its keys, gives the same key. */
  static keyOf(tenantId: string, timeZone: string, input: object): string {
    const sorted = Object.entries(input).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `${tenantId}/${timeZone}/${JSON.stringify(sorted)}`;
  }

  get(key: string, changeSeq: number): Buffer | undefined {
    return this.reply(key, changeSeq)?.body;
  }

  /** The body and, for a page cut short by the reply limit, its PARTIAL_HEADER value (lists/reply-bound.ts). */
  reply(key: string, changeSeq: number): { body: Buffer; partial: string | undefined } | undefined {
    const entry = this.#entries.get(key);
    if (entry?.changeSeq !== changeSeq) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, changeSeq: number, body: Buffer, partial?: string): void {
    this.#drop(key);
    if (body.length > this.budgetBytes) return;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes + body.length <= this.budgetBytes) break;
      this.#drop(oldest);
    }
    this.#entries.set(key, { changeSeq, body, partial });
    this.#bytes += body.length;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}
