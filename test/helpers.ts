import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { TOKEN_PATH } from '../src/auth/routes.js';
import { loadConfig, type Config } from '../src/config.js';
import { migrateToLatest, openDatabase, type Store } from '../src/db/database.js';
import { DEMO_CLIENT } from '../src/demo/records.js';
import { ensureDemoTenant } from '../src/demo/seed.js';
import type { TaskDetail } from '../src/tasks/detail-schema.js';
import { AICC_PREFIX } from '../src/wire/paths.js';

export const AICC = AICC_PREFIX;

/** AICC's example reply of 查询任务详情, which the demo tenant must answer to the letter (a fresh copy each call). */
export function taskDetailExample(): { resCode: string; resMsg: string; result: TaskDetail } {
  return JSON.parse(readFileSync(new URL('../src/demo/task-detail-example.json', import.meta.url), 'utf8')) as ReturnType<typeof taskDetailExample>;
}
export const TASK_PATH = `${AICC}/task`;

/** Which database the suite runs on: SQLite files, or PostgreSQL when run by `npm test` with OPENCASE_TEST_PG_URL. */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.OPENCASE_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
export const ON_POSTGRES = TEST_BACKEND === 'postgres';

/**
 * A new, empty database for one test: a SQLite file in a temporary folder, or a database of its own on the test
 * PostgreSQL server. `remove` drops it.
 */
export async function testDatabase(): Promise<{ location: string; remove: () => Promise<void> }> {
  if (!ON_POSTGRES) {
    const { dir, remove } = tempDir();
    return { location: join(dir, 'opencase.db'), remove: async () => remove() };
  }
  const adminUrl = process.env.OPENCASE_TEST_PG_URL;
  if (!adminUrl) throw new Error('OPENCASE_TEST_BACKEND=postgres needs OPENCASE_TEST_PG_URL');
  const name = `opencase_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    async remove() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** A fresh directory for one test's files, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'opencase-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Collects every log line the app writes, so that tests can read them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

export interface TestApp {
  app: FastifyInstance;
  /** The app's store; `database.db` is its Kysely instance, for tests that read or write rows directly. */
  database: Store;
  config: Config;
  /** The SQLite file or the PostgreSQL URL the app runs on. */
  dbLocation: string;
  logs: LogCapture;
  /** The time the app sees; tests move it to expire tokens. */
  now: { value: number };
  close(): Promise<void>;
}

/** A real SQLite file, migrated, with the demo tenant, behind a full app (app.inject, or listen for real HTTP). */
export async function startTestApp(
  options: { demo?: boolean; env?: NodeJS.ProcessEnv; /** A SQLite file of the test's own (kept on close). */ sqliteFile?: string } = { demo: true },
): Promise<TestApp> {
  const { location, remove } = options.sqliteFile === undefined ? await testDatabase() : { location: options.sqliteFile, remove: async () => {} };
  // Tests move the clock by hours and days; tokens outlive that unless a test sets its own lifetime.
  // Tests also fail token calls on purpose, more than one address's allowance of failures a minute.
  const config = loadConfig({ db: location, port: '0' }, { OPENCASE_LOG_LEVEL: 'info', OPENCASE_TOKEN_TTL: '2592000', OPENCASE_TOKEN_FAILURES: '1000', ...options.env });
  const database = openDatabase(location, {
    stalenessMs: options.env?.OPENCASE_CACHE_STALENESS_MS === undefined ? undefined : Number(options.env.OPENCASE_CACHE_STALENESS_MS),
    groupCommitBatches: config.groupCommitBatches,
  });
  await migrateToLatest(database.db);
  // As the server does: caches on PostgreSQL wait for the change signal.
  await database.start();
  if (options.demo !== false) await ensureDemoTenant(database, Date.now());
  const now = { value: Date.now() };
  const logs = new LogCapture();
  const app = await buildApp({ config, store: database, clock: () => now.value, logStream: logs });
  return {
    app, database, config, dbLocation: location, logs, now,
    async close() {
      await app.close();
      await database.close();
      await remove();
    },
  };
}

/**
 * The usual setup of a describe block: before its tests, a test app (the demo tenant unless told otherwise) and a
 * token of the demo client; after them, the app closed. The returned object reads through to that app once it runs.
 */
export function useTestApp(options?: Parameters<typeof startTestApp>[0]): TestApp & { readonly token: string } {
  let started: { testApp: TestApp; token: string } | undefined;
  before(async () => {
    const testApp = await startTestApp(options);
    started = { testApp, token: await fetchToken(testApp.app) };
  });
  after(() => started?.testApp.close());
  const current = () => {
    if (!started) throw new Error('useTestApp: the app starts in before()');
    return started;
  };
  return {
    get app() { return current().testApp.app; },
    get database() { return current().testApp.database; },
    get config() { return current().testApp.config; },
    get dbLocation() { return current().testApp.dbLocation; },
    get logs() { return current().testApp.logs; },
    get now() { return current().testApp.now; },
    get token() { return current().token; },
    close: () => current().testApp.close(),
  };
}

export async function fetchToken(app: FastifyInstance, clientId: string = DEMO_CLIENT.clientId, clientSecret: string = DEMO_CLIENT.clientSecret): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: TOKEN_PATH,
    payload: `grant_type=client_credentials&client_id=${encodeURIComponent(clientId)}&client_secret=${encodeURIComponent(clientSecret)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (response.statusCode !== 200) throw new Error(`token call failed: ${response.statusCode} ${response.body}`);
  return (response.json() as { access_token: string }).access_token;
}

/** The shape every failure must have: a non-"0" string resCode, a message, nothing else, no stack. */
export function assertErrorEnvelope(body: string): { resCode: string; resMsg: string } {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  if (Object.keys(parsed).join(',') !== 'resCode,resMsg') throw new Error(`not an error envelope: ${body}`);
  if (typeof parsed.resCode !== 'string' || parsed.resCode === '0') throw new Error(`resCode must be a non-"0" string: ${body}`);
  if (typeof parsed.resMsg !== 'string' || parsed.resMsg.length === 0) throw new Error(`resMsg must be a message: ${body}`);
  if (/\bat .+:\d+:\d+/.test(body) || body.includes('node_modules')) throw new Error(`stack trace in reply: ${body}`);
  return { resCode: parsed.resCode, resMsg: parsed.resMsg };
}

/** A POST to an AICC route the way an AICC client sends it: JSON body, `access-token` header. */
export function postAicc(app: FastifyInstance, token: string, path: string, body: unknown) {
  return app.inject({ method: 'POST', url: `${AICC}/${path}`, headers: { 'access-token': token, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

/** The `result` of a 200 envelope; any other status fails the test, with the body. */
export function resultOf<T>(response: { statusCode: number; body: string; json(): unknown }): T {
  if (response.statusCode !== 200) throw new Error(`expected 200, got ${response.statusCode}: ${response.body}`);
  return (response.json() as { result: T }).result;
}

/** An opencase extension call (`/opencase/v1/PATH`) with a JSON body and the test app's token. */
export function callExtension(t: { app: FastifyInstance; token: string }, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) {
  return t.app.inject({
    method, url: `/opencase/v1/${path}`, headers: { 'access-token': t.token, 'content-type': 'application/json' },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

/** Calls to any URL with the test app's token: `send` as is, `ok` failing the test (naming the call) unless a 200. */
export function tokenCalls(t: { app: FastifyInstance; token: string }) {
  const send = (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({
    method, url, headers: { 'access-token': t.token }, ...(payload !== undefined && { payload: payload as object }),
  });
  const ok = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const response = await send(method, url, payload);
    if (response.statusCode !== 200) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
    return response;
  };
  return { send, ok };
}

/** Work on a connection to the test PostgreSQL server as its superuser, closed after. */
export async function withPgAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.OPENCASE_TEST_PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The deadlocks PostgreSQL detected in a test's database. A backend counts a deadlock in its own memory and reports
 * it when idle (at most every 10 s) or when it exits, so the app's connections are ended first (their pool opens new
 * ones on the next query), and their exit awaited: then the count is complete.
 */
export async function deadlocksOf(location: string): Promise<number> {
  const database = new URL(location).pathname.slice(1);
  return withPgAdmin(async (client) => {
    for (let waited = 0; ; waited += 50) {
      // Again on every look: the app's change-signal listener reconnects at once (its first backoff is short), and a
      // backend that deadlocked has reported it by the time it exits, so ending the new ones loses nothing.
      await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
      // count(*) is a bigint, which opencase's pg type parser (src/db/postgres.ts) hands over as a number.
      const left = (await client.query<{ n: number | string }>('select count(*) as n from pg_stat_activity where datname = $1', [database])).rows[0]?.n;
      if (Number(left) === 0) break;
      if (waited > 30_000) throw new Error(`the connections to ${database} did not end`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const row = (await client.query<{ deadlocks: number | string }>('select deadlocks from pg_stat_database where datname = $1', [database])).rows[0];
    return Number(row?.deadlocks ?? 0);
  });
}
