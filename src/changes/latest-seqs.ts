/**
 * The highest change sequence number signalled for each tenant. Only ever grows: notifications, the catch-up read and
 * this process's own commits arrive in any interleaving, and each says only "at least this far".
 */
export class LatestSeqs {
  readonly #seqs = new Map<string, number>();

  get(tenantId: string): number | undefined {
    return this.#seqs.get(tenantId);
  }

  /** Takes the higher of the two; true when the number grew (the tenant's subscribers may have something new). */
  raise(tenantId: string, seq: number): boolean {
    if (!Number.isSafeInteger(seq)) return false;
    const known = this.#seqs.get(tenantId);
    if (known !== undefined && known >= seq) return false;
    this.#seqs.set(tenantId, seq);
    return true;
  }
}
