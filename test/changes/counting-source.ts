import type { ChangeSource } from '../../src/changes/source.js';

/** A real source that also records each feed read it served: when reads happen, how many, how large. */
export function countingSource(inner: ChangeSource): { source: ChangeSource; reads: Array<{ afterSeq: number; limit: number; returned: number }> } {
  const reads: Array<{ afterSeq: number; limit: number; returned: number }> = [];
  return {
    reads,
    source: {
      async readAfter(tenantId, afterSeq, limit) {
        const entries = await inner.readAfter(tenantId, afterSeq, limit);
        reads.push({ afterSeq, limit, returned: entries.length });
        return entries;
      },
      latestSeqs: () => inner.latestSeqs(),
    },
  };
}
