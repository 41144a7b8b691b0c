/** Everything a running opencase reads from flags and the environment, checked once at start. */
export interface Config {
  /** A SQLite file path, or a PostgreSQL URL (postgres://user:password@host:port/database). */
  database: string;
  /** PostgreSQL connections per process. */
  poolSize: number;
  /** How long start-up waits for a database that does not answer yet. */
  databaseWaitSeconds: number;
  host: string;
  port: number;
  demo: boolean;
  /** Lifetime of an access token; AICC's example shows 7200, the OAuth2 default here is one hour. */
  tokenTtlSeconds: number;
  /** Largest request body accepted before a 413. */
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Calls a minute one API app may make to the API (per process); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Token calls a minute from one address (per process); 0 turns the limit off. */
  tokenRateLimitPerMinute: number;
  /** Failed token calls a minute for one client_id before it is refused for the rest of the minute. */
  tokenFailuresPerMinute: number;
  /** Origins a browser may call the API from (CORS); empty: CORS off. */
  corsOrigins: string[];
}

export class ConfigError extends Error {}

export const DEFAULT_DATABASE = './data/opencase.db';

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
    databaseWaitSeconds: integerIn('OPENCASE_DB_WAIT', env.OPENCASE_DB_WAIT ?? '30', 0, 3600),
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    port: integerIn(flags.port !== undefined ? '--port' : 'PORT', flags.port ?? env.PORT ?? '8080', 0, 65535),
    demo: flags.demo ?? false,
    tokenTtlSeconds: integerIn('OPENCASE_TOKEN_TTL', env.OPENCASE_TOKEN_TTL ?? '3600', 60, 30 * 86400),
    bodyLimitBytes: integerIn('OPENCASE_BODY_LIMIT', env.OPENCASE_BODY_LIMIT ?? String(1024 * 1024), 1024, 64 * 1024 * 1024),
    logLevel,
    rateLimitPerMinute: integerIn('OPENCASE_RATE_LIMIT', env.OPENCASE_RATE_LIMIT ?? '12000', 0, 10_000_000),
    tokenRateLimitPerMinute: integerIn('OPENCASE_TOKEN_RATE_LIMIT', env.OPENCASE_TOKEN_RATE_LIMIT ?? '120', 0, 10_000_000),
    tokenFailuresPerMinute: integerIn('OPENCASE_TOKEN_FAILURES', env.OPENCASE_TOKEN_FAILURES ?? '10', 1, 10_000_000),
    corsOrigins: corsOrigins(env.OPENCASE_CORS_ORIGINS ?? ''),
  };
}

/** `--db` falls back to OPENCASE_DB, then to the default file. */
export function databaseLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const location = flag ?? env.OPENCASE_DB ?? DEFAULT_DATABASE;
  if (!location.trim()) throw new ConfigError('--db must not be empty');
  return location;
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
