import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { TOKEN_PATH } from './auth/routes.js';
import { DOCUMENT_PATH } from './openapi/document.js';
import { REFERENCE_PATH } from './openapi/reference.js';
import { AICC_PREFIX } from './wire/paths.js';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, waitForDatabase, type Store } from './db/database.js';
import { DEMO_CLIENT, DEMO_TASK_ID } from './demo/records.js';
import { ensureDemoTenant } from './demo/seed.js';
import { closeHttp } from './http/shutdown.js';
import type { Readiness } from './health/routes.js';
import { probeWrites } from './health/write-probe.js';
import { WebhookDeliverer } from './webhooks/deliverer.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The lines `serve --demo` prints: the demo credentials and a token-then-detail call that works as pasted. */
export function demoBanner(baseUrl: string): string {
  const tokenCall = `curl -s -X POST ${baseUrl}${TOKEN_PATH} -d grant_type=client_credentials -d client_id=${DEMO_CLIENT.clientId} -d client_secret=${DEMO_CLIENT.clientSecret}`;
  return [
    `Demo tenant ready: client_id=${DEMO_CLIENT.clientId} client_secret=${DEMO_CLIENT.clientSecret}`,
    'Try it:',
    `  TOKEN=$(${tokenCall} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  curl -s ${baseUrl}${AICC_PREFIX}/task/${DEMO_TASK_ID} -H "access-token: $TOKEN"`,
    `API reference: ${baseUrl}${REFERENCE_PATH} (OpenAPI document: ${baseUrl}${DOCUMENT_PATH})`,
  ].join('\n');
}

/**
 * Opens the database, listens (answering 503 and a not-ready /readyz meanwhile), waits for the database, migrates it,
 * seeds the demo when asked, and only then serves the API. A cluster worker shares its port with workers already
 * serving, so it listens only once ready (`listenWhileStarting: false`): the cluster would hand it requests at once.
 */
export async function startServer(
  config: Config,
  options: { logStream?: NodeJS.WritableStream; listenWhileStarting?: boolean } = {},
): Promise<RunningServer> {
  const { listenWhileStarting = true, ...appOptions } = options;
  const store: Store = openDatabase(config.database, { poolSize: config.poolSize, stalenessMs: config.cacheStalenessMs, groupCommitBatches: config.groupCommitBatches });
  let app: FastifyInstance | undefined;
  try {
    const readiness: Readiness = { ready: false, reason: 'waiting for the database' };
    app = await buildApp({ config, store, readiness, ...appOptions });
    const listening = app;
    const listen = () => listening.listen({ host: config.host, port: config.port });
    const early = listenWhileStarting ? await listen() : undefined;
    await waitForDatabase(store.db, config.databaseWaitSeconds * 1000, (message) => process.stderr.write(`opencase: ${message}\n`), config.database);
    readiness.reason = 'migrating the database';
    await migrateToLatest(store.db);
    if (config.demo) {
      readiness.reason = 'seeding the demo tenant';
      await ensureDemoTenant(store, Date.now());
    }
    // A database that reads but takes no write (a read-only file, a full disk) serves what it can, and /readyz says why not.
    readiness.writeFault = await probeWrites(store);
    // Until the change signal is heard (PostgreSQL: its listening connection), nothing is served from what it guards.
    readiness.reason = 'listening for changes';
    await store.start().catch((error: unknown) => {
      process.stderr.write(`opencase: the change signal is not heard yet (${error instanceof Error ? error.message : String(error)}); every request queries the database until it is\n`);
    });
    if (readiness.writeFault) process.stderr.write(`opencase: the database cannot be written: ${readiness.writeFault}; /readyz reports not ready, writes answer 503\n`);
    readiness.ready = true;
    const address = early ?? await listen();
    const port = new URL(address).port;
    const url = `http://${urlHost(config.host)}:${port}`;
    // Every process delivers webhooks; the leases in the database keep each endpoint to one process at a time.
    const webhooks = new WebhookDeliverer(store, {
      retryScheduleSeconds: config.webhookRetryScheduleSeconds, allowPrivate: config.webhookAllowPrivate,
      log: (fields, message) => listening.log.warn(fields, message),
    });
    webhooks.start();
    return {
      app: listening,
      url,
      async close() {
        await Promise.all([closeHttp(listening, config.shutdownTimeoutSeconds * 1000), webhooks.close()]);
        await store.close();
      },
    };
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
}

/**
 * After the shutdown deadline has cut the connections, this long for the database to close before the process exits
 * anyway (a PostgreSQL pool waits for queries in flight, and a server that does not answer never lets them end).
 */
const EXIT_GRACE_MS = 5000;

/**
 * Stops accepting on SIGTERM/SIGINT, lets in-flight requests finish (until the shutdown deadline, see
 * http/shutdown.ts), then closes the database; whatever happens, the process has exited shortly after the deadline.
 */
export function closeOnSignals(server: RunningServer): void {
  const { shutdownTimeoutSeconds } = server.app.config;
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    server.app.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      server.app.log.error({ waitedSeconds: shutdownTimeoutSeconds + EXIT_GRACE_MS / 1000 }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, shutdownTimeoutSeconds * 1000 + EXIT_GRACE_MS).unref();
    server.close().then(() => process.exit(0), (error: unknown) => {
      server.app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
