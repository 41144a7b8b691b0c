import type { ExportedTrace } from '../traces/schemas.js';

/** What a ChangeSignal reads from the database: the feed itself, and where each tenant's change sequence stands. */
export interface ChangeSource {
  /**
   * The tenant's feed entries (task and case traces) with seq > afterSeq, in seq order, at most `limit`, all from one
   * snapshot: two reads at different moments could show a later trace without an earlier one that committed between.
   */
  readAfter(tenantId: string, afterSeq: number, limit: number): Promise<ExportedTrace[]>;
  /** Every tenant's committed change sequence number (the counter, which also counts changes that write no trace). */
  latestSeqs(): Promise<ReadonlyMap<string, number>>;
}
