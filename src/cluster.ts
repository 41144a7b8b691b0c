import cluster from 'node:cluster';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, waitForDatabase } from './db/database.js';
import { ensureDemoTenant } from './demo/seed.js';

/** What a worker tells the primary once it listens. */
interface ListeningMessage {
  listening: string;
}

function isListening(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && typeof (message as ListeningMessage).listening === 'string';
}

/** A worker reports its address to the primary (which prints the start-up lines once for all). */
export function reportListening(url: string): void {
  process.send?.({ listening: url } satisfies ListeningMessage);
}

/**
 * A worker that exits before it listened, or sooner than this after, failed to start (or served too briefly to
 * count). Counted from listening, not from the fork: on a loaded machine a start took 14 to 18 s (seen in the test).
 */
export const STABLE_AFTER_MS = 10_000;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * When to replace a worker that exited: at once after one that lived, else after 1 s, 2 s, 4 s… up to 30 s over
 * failed starts in a row. A worker that failed at every start (a port another process holds, a database only the
 * workers cannot open) was forked again as soon as it died, once a second for good, with a line on stderr each time.
 */
export class RestartBackoff {
  private failures = 0;

  /** The wait before the next fork, given how long the worker that exited had served (0: it never listened). */
  next(servedMs: number): { delayMs: number; failures: number } {
    this.failures = servedMs >= STABLE_AFTER_MS ? 0 : this.failures + 1;
    const delayMs = this.failures === 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.failures - 1));
    return { delayMs, failures: this.failures };
  }
}

/**
 * After SIGTERM, the workers' own shutdown deadline plus this long before the primary kills those still running: each
 * worker exits by its deadline and a grace of its own (server.ts), so this is only for one that is stuck.
 */
const WORKER_EXIT_GRACE_MS = 10_000;

/**
 * `serve --workers N`: the primary readies the database once (wait, migrate, demo), then forks N workers that run
 * the same `serve` on one shared port (node:cluster), replaces a worker that dies (backing off while they fail at
 * start, see RestartBackoff), and on SIGTERM/SIGINT stops them all, each finishing its in-flight requests. Resolves
 * with the URL once the first worker listens.
 */
export async function runWorkers(config: Config, count: number): Promise<string> {
  const store = openDatabase(config.database, { poolSize: 1 });
  try {
    await waitForDatabase(store.db, config.databaseWaitSeconds * 1000, (message) => process.stderr.write(`opencase: ${message}\n`), config.database);
    await migrateToLatest(store.db);
    if (config.demo) await ensureDemoTenant(store, Date.now());
  } finally {
    await store.close();
  }

  let stopping = false;
  const fork = () => cluster.fork();
  const listeningSince = new Map<number, number>();
  cluster.on('listening', (worker) => listeningSince.set(worker.id, Date.now()));
  const backoff = new RestartBackoff();
  const pendingForks = new Set<NodeJS.Timeout>();
  cluster.on('exit', (worker, code, signal) => {
    const since = listeningSince.get(worker.id);
    listeningSince.delete(worker.id);
    if (stopping) return;
    const served = since === undefined ? 0 : Date.now() - since;
    const { delayMs, failures } = backoff.next(served);
    const lifetime = since === undefined ? 'before it listened' : `after serving ${(served / 1000).toFixed(1)} s`;
    const why = `worker ${worker.process.pid} exited (${signal ?? code}) ${lifetime}`;
    if (delayMs === 0) {
      process.stderr.write(`opencase: ${why}; starting another\n`);
      fork();
      return;
    }
    process.stderr.write(`opencase: ${why}; ${failures} failed start${failures > 1 ? 's' : ''} in a row (see the worker's error above), starting another in ${delayMs / 1000} s\n`);
    const timer = setTimeout(() => {
      pendingForks.delete(timer);
      fork();
    }, delayMs);
    pendingForks.add(timer);
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const timer of pendingForks) clearTimeout(timer);
    const workers = Object.values(cluster.workers ?? {});
    let left = workers.length;
    if (left === 0) process.exit(0);
    setTimeout(() => {
      process.stderr.write('opencase: workers still running after the shutdown deadline; killing them\n');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000 + WORKER_EXIT_GRACE_MS).unref();
    for (const worker of workers) {
      worker?.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(0);
      });
      worker?.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const firstListening = new Promise<string>((resolve) => {
    cluster.on('message', (_worker, message: unknown) => {
      if (isListening(message)) resolve(message.listening);
    });
  });
  for (let i = 0; i < count; i++) fork();
  return firstListening;
}
