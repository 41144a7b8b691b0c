import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_DATABASE, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults: ./data/opencase.db, 127.0.0.1:8080, one-hour tokens, 1 MiB bodies, 10 connections, 30 s wait, rate limits on, CORS off', () => {
    const config = loadConfig({}, {});
    assert.deepEqual(config, {
      database: DEFAULT_DATABASE, poolSize: 10, groupCommitBatches: 1, cacheStalenessMs: 100, databaseWaitSeconds: 30, host: '127.0.0.1', port: 8080, demo: false, tokenTtlSeconds: 3600, sessionTokenTtlSeconds: 900, sessionTtlSeconds: 43200, signInFailuresPerMinute: 10, signInLoginFailures: 20,
      bodyLimitBytes: 1024 * 1024, replyLimitBytes: 1024 * 1024, logLevel: 'info', rateLimitPerMinute: 12000, tokenRateLimitPerMinute: 120, tokenFailuresPerMinute: 10, corsOrigins: [], consoleDirectory: undefined,
      // The connection limit is derived from the open-file limit when the server starts (http/connection-limit.ts).
      requestTimeoutSeconds: 30, maxConnections: undefined, shutdownTimeoutSeconds: 10,
      // Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
      webhookRetryScheduleSeconds: [5, 300, 1800, 7200, 18000, 36000, 36000], webhookAllowPrivate: false,
    });
  });

  it('flags win over the environment, which wins over the defaults', () => {
    const env = { OPENCASE_DB: '/tmp/env.db', PORT: '9000', HOST: '0.0.0.0', OPENCASE_TOKEN_TTL: '7200' };
    assert.deepEqual(
      [loadConfig({}, env).database, loadConfig({}, env).port, loadConfig({}, env).host, loadConfig({}, env).tokenTtlSeconds],
      ['/tmp/env.db', 9000, '0.0.0.0', 7200],
    );
    const flagged = loadConfig({ db: '/tmp/flag.db', port: '9100', host: '::1', demo: true }, env);
    assert.deepEqual([flagged.database, flagged.port, flagged.host, flagged.demo], ['/tmp/flag.db', 9100, '::1', true]);
  });

  it('rejects values out of range with a message naming the setting', () => {
    const bad: Array<[Parameters<typeof loadConfig>[0], NodeJS.ProcessEnv, RegExp]> = [
      [{ port: '-1' }, {}, /--port must be a whole number/],
      [{}, { PORT: '99999' }, /PORT must be between 0 and 65535/],
      [{}, { OPENCASE_TOKEN_TTL: '10' }, /OPENCASE_TOKEN_TTL must be between 60/],
      [{}, { OPENCASE_BODY_LIMIT: '1e6' }, /OPENCASE_BODY_LIMIT must be a whole number/],
      [{}, { OPENCASE_REPLY_LIMIT: '1000' }, /OPENCASE_REPLY_LIMIT must be between 65536 and 1073741824/],
      [{}, { OPENCASE_LOG_LEVEL: 'loud' }, /OPENCASE_LOG_LEVEL must be one of/],
      [{ db: ' ' }, {}, /--db must not be empty/],
      [{}, { OPENCASE_REQUEST_TIMEOUT: '0' }, /OPENCASE_REQUEST_TIMEOUT must be between 1 and 3600/],
      [{}, { OPENCASE_MAX_CONNECTIONS: 'many' }, /OPENCASE_MAX_CONNECTIONS must be a whole number/],
      [{}, { OPENCASE_SHUTDOWN_TIMEOUT: '0' }, /OPENCASE_SHUTDOWN_TIMEOUT must be between 1 and 3600/],
      [{}, { OPENCASE_WEBHOOK_RETRY_SCHEDULE: '5,,300' }, /OPENCASE_WEBHOOK_RETRY_SCHEDULE must list 1 to 20 waits in seconds/],
      [{}, { OPENCASE_WEBHOOK_RETRY_SCHEDULE: '90000' }, /each at most 86400/],
      [{}, { OPENCASE_WEBHOOK_ALLOW_PRIVATE: 'yes' }, /OPENCASE_WEBHOOK_ALLOW_PRIVATE must be 1 or 0/],
    ];
    for (const [flags, env, message] of bad) assert.throws(() => loadConfig(flags, env), (error: Error) => error instanceof ConfigError && message.test(error.message));
  });
});
