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
 * `serve --workers N`: the primary readies the database once (wait, migrate, demo), then forks N workers that run
 * the same `serve` on one shared port (node:cluster), replaces a worker that dies, and on SIGTERM/SIGINT stops them
 * all, each finishing its in-flight requests. Resolves with the URL once the first worker listens.
 */
export async function runWorkers(config: Config, count: number): Promise<string> {
  const database = openDatabase(config.database, { poolSize: 1 });
  try {
    await waitForDatabase(database.db, config.databaseWaitSeconds * 1000, (message) => process.stderr.write(`opencase: ${message}\n`), config.database);
    await migrateToLatest(database.db);
    if (config.demo) await ensureDemoTenant(database.db, Date.now());
  } finally {
    await database.close();
  }

  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`opencase: worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    fork();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    let left = workers.length;
    if (left === 0) process.exit(0);
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
