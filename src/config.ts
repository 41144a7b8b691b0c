/** Everything a running opencase reads from flags and the environment, checked once at start. */
export interface Config {
  /** A SQLite file path, or a PostgreSQL URL (postgres://user:password@host:port/database). */
  database: string;
  /** PostgreSQL connections per process. */
  poolSize: number;
  /** PostgreSQL: how stale a read answered from the change signal may be, in ms; 0 queries on every request. */
  cacheStalenessMs: number;
  /** PostgreSQL: group commit batches in flight per process; 0 commits each change alone. */
  groupCommitBatches: number;
  /** How long start-up waits for a database that does not answer yet. */
  databaseWaitSeconds: number;
  host: string;
  port: number;
  demo: boolean;
  /** Lifetime of an access token; AICC's example shows 7200, the OAuth2 default here is one hour. */
  tokenTtlSeconds: number;
  /** Lifetime of a signed-in user's access token: short, renewed with the refresh cookie. */
  sessionTokenTtlSeconds: number;
  /** Lifetime of a sign-in, however often it is refreshed: a working day by default. */
  sessionTtlSeconds: number;
  /** Failed sign-ins a minute from one address (those in flight counted) before it is refused for the rest of the minute. */
  signInFailuresPerMinute: number;
  /** Failed sign-ins of one login in 15 minutes past which only addresses that have not failed for it may still try. */
  signInLoginFailures: number;
  /** Largest request body accepted before a 413. */
  bodyLimitBytes: number;
  /** Largest reply built: a list's page stops before the row that would pass it, a detail keeps the newest history that fits; both say so (lists/reply-bound.ts). */
  replyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Calls a minute one API app may make to the API (per process); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Token calls a minute from one address (per process); 0 turns the limit off. */
  tokenRateLimitPerMinute: number;
  /** Failed token calls (those in flight counted) a minute from one address before it is refused for the rest of the minute. */
  tokenFailuresPerMinute: number;
  /** Origins a browser may call the API from (CORS); empty: CORS off. */
  corsOrigins: string[];
  /** Where the built console is (web/ built by Vite); undefined: dist/web beside the server's own build. */
  consoleDirectory: string | undefined;
  /** How long a request (headers and body) may take to arrive, from its first byte or from the connection; then a 408. */
  requestTimeoutSeconds: number;
  /** Open connections per process; past it idle or stalled ones are closed, else new ones. Absent: from the open-file limit. */
  maxConnections: number | undefined;
  /** How long SIGTERM waits for requests in flight before it closes every connection and exits. */
  shutdownTimeoutSeconds: number;
  /** Seconds before each retry of a webhook delivery; past the last, the endpoint is disabled (Standard Webhooks' schedule by default). */
  webhookRetryScheduleSeconds: number[];
  /** Webhooks may be delivered to loopback, private and link-local addresses (development and tests only). */
  webhookAllowPrivate: boolean;
}

/**
 * The Standard Webhooks specification's example schedule: at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h; a change still refused after that disables the endpoint (about a day and a half of failures).
 */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

/** `OPENCASE_WEBHOOK_RETRY_SCHEDULE`: seconds, comma-separated, each 0 to a day; at least one. */
function retrySchedule(text: string | undefined): number[] {
  if (text === undefined) return DEFAULT_WEBHOOK_RETRY_SCHEDULE;
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.length > 20 || parts.some((part) => !/^\d{1,5}(\.\d{1,3})?$/.test(part) || Number(part) > 86400)) {
    throw new ConfigError(`OPENCASE_WEBHOOK_RETRY_SCHEDULE must list 1 to 20 waits in seconds (each at most 86400), comma-separated, such as 5,300,1800; got "${text}"`);
  }
  return parts.map(Number);
}

export class ConfigError extends Error {}

export const DEFAULT_DATABASE = './data/opencase.db';

/**
 * 1 MiB, as the body limit: far above real pages (100 tasks like AICC's example are 49 KB) and above every list row
 * the field bounds allow but an exported trace of a case modify at its largest (README, "Bounds"), which comes alone.
 * Measured with another tenant's task detail polled while 4 callers list 2 MB of contacts (one run each, a loaded 2-core
 * machine, issue 13): p50 135 ms with 1 MiB, 264 ms with 4 MiB; 40 MB of contacts, before their bound, 0.4 to 1.3 s.
 */
export const DEFAULT_REPLY_LIMIT = 1024 * 1024;

const LOG_LEVELS: readonly Config['logLevel'][] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integerIn(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new ConfigError(`${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export interface ConfigFlags {
  db?: string | undefined;
  poolSize?: string | undefined;
  host?: string | undefined;
  port?: string | undefined;
  demo?: boolean | undefined;
}

/** Flags win over the environment, which wins over the defaults. */
export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.OPENCASE_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`OPENCASE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    database: databaseLocation(flags.db, env),
    poolSize: integerIn(flags.poolSize !== undefined ? '--pool-size' : 'OPENCASE_DB_POOL', flags.poolSize ?? env.OPENCASE_DB_POOL ?? '10', 1, 1000),
    groupCommitBatches: integerIn('OPENCASE_PG_GROUP_COMMIT', env.OPENCASE_PG_GROUP_COMMIT ?? '1', 0, 64),
    cacheStalenessMs: integerIn('OPENCASE_CACHE_STALENESS_MS', env.OPENCASE_CACHE_STALENESS_MS ?? '100', 0, 10_000),
    databaseWaitSeconds: integerIn('OPENCASE_DB_WAIT', env.OPENCASE_DB_WAIT ?? '30', 0, 3600),
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    port: integerIn(flags.port !== undefined ? '--port' : 'PORT', flags.port ?? env.PORT ?? '8080', 0, 65535),
    demo: flags.demo ?? false,
    tokenTtlSeconds: integerIn('OPENCASE_TOKEN_TTL', env.OPENCASE_TOKEN_TTL ?? '3600', 60, 30 * 86400),
    sessionTokenTtlSeconds: integerIn('OPENCASE_SESSION_TOKEN_TTL', env.OPENCASE_SESSION_TOKEN_TTL ?? '900', 10, 3600),
    sessionTtlSeconds: integerIn('OPENCASE_SESSION_TTL', env.OPENCASE_SESSION_TTL ?? '43200', 60, 30 * 86400),
    signInFailuresPerMinute: integerIn('OPENCASE_SIGNIN_FAILURES', env.OPENCASE_SIGNIN_FAILURES ?? '10', 1, 10_000_000),
    signInLoginFailures: integerIn('OPENCASE_SIGNIN_LOGIN_FAILURES', env.OPENCASE_SIGNIN_LOGIN_FAILURES ?? '20', 1, 10_000_000),
    bodyLimitBytes: integerIn('OPENCASE_BODY_LIMIT', env.OPENCASE_BODY_LIMIT ?? String(1024 * 1024), 1024, 64 * 1024 * 1024),
    replyLimitBytes: integerIn('OPENCASE_REPLY_LIMIT', env.OPENCASE_REPLY_LIMIT ?? String(DEFAULT_REPLY_LIMIT), 64 * 1024, 1024 * 1024 * 1024),
    logLevel,
    rateLimitPerMinute: integerIn('OPENCASE_RATE_LIMIT', env.OPENCASE_RATE_LIMIT ?? '12000', 0, 10_000_000),
    tokenRateLimitPerMinute: integerIn('OPENCASE_TOKEN_RATE_LIMIT', env.OPENCASE_TOKEN_RATE_LIMIT ?? '120', 0, 10_000_000),
    tokenFailuresPerMinute: integerIn('OPENCASE_TOKEN_FAILURES', env.OPENCASE_TOKEN_FAILURES ?? '10', 1, 10_000_000),
    corsOrigins: corsOrigins(env.OPENCASE_CORS_ORIGINS ?? ''),
    consoleDirectory: env.OPENCASE_CONSOLE_DIR || undefined,
    requestTimeoutSeconds: integerIn('OPENCASE_REQUEST_TIMEOUT', env.OPENCASE_REQUEST_TIMEOUT ?? '30', 1, 3600),
    maxConnections: env.OPENCASE_MAX_CONNECTIONS === undefined ? undefined : integerIn('OPENCASE_MAX_CONNECTIONS', env.OPENCASE_MAX_CONNECTIONS, 1, 1_000_000),
    shutdownTimeoutSeconds: integerIn('OPENCASE_SHUTDOWN_TIMEOUT', env.OPENCASE_SHUTDOWN_TIMEOUT ?? '10', 1, 3600),
    webhookRetryScheduleSeconds: retrySchedule(env.OPENCASE_WEBHOOK_RETRY_SCHEDULE),
    webhookAllowPrivate: booleanFlag('OPENCASE_WEBHOOK_ALLOW_PRIVATE', env.OPENCASE_WEBHOOK_ALLOW_PRIVATE),
  };
}

/** 1 or 0 (true or false); absent is false. */
function booleanFlag(name: string, text: string | undefined): boolean {
  if (text === undefined || text === '' || text === '0' || text === 'false') return false;
  if (text === '1' || text === 'true') return true;
  throw new ConfigError(`${name} must be 1 or 0, got "${text}"`);
}

/** `--db` falls back to OPENCASE_DB, then to the default file. */
export function databaseLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const location = flag ?? env.OPENCASE_DB ?? DEFAULT_DATABASE;
  if (!location.trim()) throw new ConfigError('--db must not be empty');
  return location;
}

/** What every command but `serve` says of its --db, which it requires (serve alone defaults, for `npm start`). */
export const DB_FLAG = 'SQLite database file or postgres:// URL (required, or $OPENCASE_DB)';

/**
 * The database a command works on: --db, else $OPENCASE_DB, else refused. A default here once made `tenant create`
 * write into ./data/opencase.db when the operator meant another database.
 */
export function requiredDatabase(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const location = flag ?? env.OPENCASE_DB;
  if (location === undefined) throw new ConfigError('--db is required: name the database to work on (a SQLite file or a postgres:// URL), or set OPENCASE_DB');
  return databaseLocation(location, env);
}

/** `https://a.example, https://b.example`: exact origins, each a scheme and a host (and port); `*` is refused. */
function corsOrigins(text: string): string[] {
  const origins = text.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s*]+$/.test(origin)) {
      throw new ConfigError(`OPENCASE_CORS_ORIGINS must list origins such as https://crm.example.com, got "${origin}"`);
    }
  }
  return origins;
}
