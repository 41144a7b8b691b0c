import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { client } from './session';

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/**
 * Live views: the tenant's change feed (a streamed fetch of GET /opencase/v1/changes, the token in its header) marks
 * what each change touched as stale, so that an open queue or case page shows another agent's change without a reload.
 * A dropped stream is resumed after the last entry seen (backing off up to 10 s); one that never saw an entry
 * refreshes every view once it is back, since what happened meanwhile is not known.
 */
export function useLiveChanges(enabled: boolean): void {
  const queries = useQueryClient();
  useEffect(() => {
    if (!enabled) return undefined;
    const abort = new AbortController();
    void (async () => {
      let last: number | undefined;
      for (let failures = 0; !abort.signal.aborted;) {
        try {
          if (last === undefined && failures > 0) await queries.invalidateQueries();
          for await (const entry of client.changes({ ...(last !== undefined && { after: last }), signal: abort.signal })) {
            last = entry.seq;
            failures = 0;
            void queries.invalidateQueries({ queryKey: entry.objectType === 'Case' ? ['cases'] : ['tasks'] });
            void queries.invalidateQueries({ queryKey: ['traces', entry.objectId] });
            // A task's change shows on its case's page (its tasks) too: every open case page looks again.
            void queries.invalidateQueries({ queryKey: entry.objectType === 'Case' ? ['case', entry.objectId] : ['case'] });
          }
        } catch {
          // The server ended the stream or could not be reached: try again, later each time.
        }
        failures++;
        await pause(Math.min(10_000, 250 * 2 ** failures), abort.signal);
      }
    })();
    return () => abort.abort();
  }, [enabled, queries]);
}
