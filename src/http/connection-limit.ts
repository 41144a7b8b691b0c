import { readFileSync } from 'node:fs';

/**
 * Descriptors kept back from the open-file limit for everything but client connections: stdio, the SQLite file with
 * its WAL and shared memory, PostgreSQL's pool, the log, Node's own (about 20 at rest, counted in /proc/self/fd).
 */
const RESERVED_DESCRIPTORS = 128;

/** Past this many connections one process runs out of memory or CPU before it runs out of descriptors. */
const MAX_DEFAULT_CONNECTIONS = 10_000;

/** When the open-file limit cannot be read (not Linux): what a 1,024-descriptor process can hold. */
const FALLBACK_CONNECTIONS = 1024 - RESERVED_DESCRIPTORS;

/** The soft open-file limit (`ulimit -n`) from /proc/self/limits; Node has raised it to the hard limit by then. */
export function openFileLimit(limits: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | undefined {
  let text: string;
  try {
    text = limits();
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+|unlimited)\s/m.exec(text)?.[1];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(soft);
}

/**
 * OPENCASE_MAX_CONNECTIONS when set, else what the descriptors allow: 1,100 stalled connections against a
 * 1,024-descriptor process (issue 13) left none for the database or for anyone else, and every request failed.
 */
export function maxConnections(configured: number | undefined, readLimit: () => number | undefined = openFileLimit): number {
  if (configured !== undefined) return configured;
  const limit = readLimit();
  if (limit === undefined) return FALLBACK_CONNECTIONS;
  return Math.max(1, Math.min(MAX_DEFAULT_CONNECTIONS, limit - RESERVED_DESCRIPTORS));
}
