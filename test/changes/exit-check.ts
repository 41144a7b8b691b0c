/**
 * Runs a ChangeSignal through its life and closes it, then does nothing more: the process must exit by itself (no
 * timer, socket or client left). `node --conditions=opencase-source --import tsx exit-check.ts LOCATION`, or
 * `exit-check.ts unreachable URL` for a PostgreSQL that never answers: start() fails, then close().
 */
import { ChangeSignal } from '../../src/changes/change-signal.js';
import { kyselyChangeSource } from '../../src/changes/kysely-source.js';
import { createTenant, newTenantId, openChangeDb, writeChange } from './fixtures.js';

const [location, unreachableUrl] = process.argv.slice(2);
if (!location) throw new Error('usage: exit-check.ts LOCATION | exit-check.ts unreachable URL');
if (location === 'unreachable') {
  const logged: string[] = [];
  // Never read: nothing ever connects.
  const nothing = { readAfter: async () => [], latestSeqs: async () => new Map<string, number>() };
  const signal = new ChangeSignal({ backend: 'postgres', connectionString: unreachableUrl ?? '', source: nothing, startTimeoutMs: 1500, log: (line) => logged.push(line) });
  const started = Date.now();
  const failure = await signal.start().then(() => 'started', (error: unknown) => (error instanceof Error ? error.message : String(error)));
  const waited = Date.now() - started;
  await signal.close();
  process.stdout.write(`${JSON.stringify({ failure, waited, logged })}\n`);
} else {
  const database = await openChangeDb(location);
  const tenantId = newTenantId();
  await createTenant(database.db, tenantId);
  const source = kyselyChangeSource(database.db);
  const signal = database.backend === 'postgres'
    ? new ChangeSignal({ backend: 'postgres', connectionString: location, source, log: () => {} })
    : new ChangeSignal({ backend: 'sqlite', dataVersion: database.dataVersion, source, log: () => {} });
  await signal.start();
  const subscription = signal.subscribe(tenantId, 0);
  const first = subscription.next();
  const { highest } = await writeChange(database.db, tenantId, ['task']);
  signal.committed(new Map([[tenantId, highest]]), false);
  const entry = await first;
  if (entry.done || entry.value.seq !== highest) throw new Error('the entry written did not arrive');
  // One subscriber waiting, one more with an abort signal never aborted: close must end both and leave nothing behind.
  const waiting = subscription.next();
  const other = signal.subscribe(tenantId, highest, { signal: new AbortController().signal });
  const otherWaiting = other.next();
  if (database.backend === 'postgres') {
    // Heartbeats are running.
    for (let i = 0; i < 200 && !signal.fresh; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!signal.fresh) throw new Error('never fresh');
}
await signal.close();
await signal.close();
const [ended, otherEnded] = await Promise.all([waiting, otherWaiting]);
await database.close();
process.stdout.write(`${JSON.stringify({ ended: ended.done, otherEnded: otherEnded.done })}\n`);
}
