import pg from 'pg';
import { PostgresDialect } from 'kysely';

// int8 (bigint: instants, numbers, counts) arrives from pg as text by default; every value opencase stores fits a
// JavaScript number exactly (epoch milliseconds, counters), so it is read as one.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(location: string): string {
  return location.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export function openPostgres(url: string, poolSize: number): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle connection that the server drops must not crash the process: the pool discards it and the next
  // query opens a new one.
  pool.on('error', () => {});
  return { dialect: new PostgresDialect({ pool }), pool };
}
