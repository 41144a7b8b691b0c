/**
 * The `code` a failure carries, when it is a string: SQLite's (`SQLITE_FULL`, through better-sqlite3), PostgreSQL's
 * SQLSTATE (`23505`, through pg) or Node's (`ECONNRESET`). Thrown values are `unknown`; this is the one place that
 * looks inside them for it.
 */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
