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

/**
 * A pool whose connections run the SQL texts in `statementNames` as named prepared statements: each connection parses
 * and plans such a statement once, then only binds and executes it. Kysely sends every query unnamed, so the name is
 * given here, where its text reaches the connection. The names are the prepared queries' (db/prepared.ts): a few dozen
 * shapes, so each connection holds a bounded number of plans.
 */
export function openPostgres(url: string, poolSize: number, statementNames = new Map<string, string>()): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // A connection the server drops must not crash the process. An idle one is reported on the pool, which
  // discards it; one in use is reported on the client as well as to the query running on it, which fails (a 503
  // for the request) while the client is discarded when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    nameStatements(client, statementNames);
  });
  return { dialect: new PostgresDialect({ pool }), pool };
}

type QueryCall = (text: unknown, values?: unknown, callback?: unknown) => unknown;

function nameStatements(client: pg.PoolClient, statementNames: ReadonlyMap<string, string>): void {
  const query = client.query.bind(client) as QueryCall;
  const named: QueryCall = (text, values, callback) => {
    const name = typeof text === 'string' ? statementNames.get(text) : undefined;
    return name === undefined ? query(text, values, callback) : query({ name, text, values });
  };
  client.query = named as typeof client.query;
}
