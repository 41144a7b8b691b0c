import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/db/database.js';
import { openSqlite } from '../../src/db/sqlite.js';
import type { Database } from '../../src/db/tables.js';
import { CHANGES_CHANNEL, changePayload } from '../../src/changes/protocol.js';
import type { ExportedTrace } from '../../src/traces/schemas.js';

/** A database of the tests' own, opened directly (not through db/database.ts's openDatabase), migrated. */
export interface ChangeDb {
  backend: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  location: string;
  /** SQLite: data_version of a read-only connection of this opening. */
  dataVersion: () => number;
  close(): Promise<void>;
}

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export async function openChangeDb(location: string): Promise<ChangeDb> {
  if (isPostgresLocation(location)) {
    // Idle connections are kept: the outage test forbids new connections for a while and still reads and writes.
    const pool = new pg.Pool({ connectionString: location, max: 10, idleTimeoutMillis: 0 });
    // Tests kill backends on purpose; an idle connection lost must not crash the test process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrateToLatest(db);
    return {
      backend: 'postgres', db, location,
      dataVersion: () => { throw new Error('no data_version on PostgreSQL'); },
      close: () => db.destroy(),
    };
  }
  const { dialect, reader } = openSqlite(location);
  const db = new Kysely<Database>({ dialect });
  await migrateToLatest(db);
  return {
    backend: 'sqlite', db, location,
    dataVersion: () => reader.dataVersion(),
    async close() {
      reader.close();
      await db.destroy();
    },
  };
}

/** A tenant id as AICC's are: 20 letters and digits. */
export function newTenantId(): string {
  return `tnnt${randomBytes(8).toString('hex')}`;
}

export async function createTenant(db: Kysely<Database>, tenantId: string, timeZone = 'UTC'): Promise<void> {
  await db.insertInto('tenants').values({ id: tenantId, name: `tenant ${tenantId}`, time_zone: timeZone, created_at: Date.now() }).execute();
}

/** One step of a change transaction: a task trace, a case trace, or a number taken with no trace (a contact change). */
export type Step = 'task' | 'case' | 'gap';

class RolledBack extends Error {}

/**
 * A change transaction as opencase's writers make one: each step takes the next number of the tenant's change sequence
 * (the counter row, locked until commit), traces are inserted, and on PostgreSQL the tenant's highest number is
 * notified in the same transaction. Returns the trace numbers written (none when rolled back).
 */
export async function writeChange(
  db: Kysely<Database>, tenantId: string, steps: Step[],
  options: { rollback?: boolean; beforeCommit?: () => Promise<void>; createdAt?: number; advanceBy?: number } = {},
): Promise<{ traceSeqs: number[]; highest: number }> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const traceSeqs: number[] = [];
  let highest = 0;
  try {
    await db.transaction().execute(async (trx) => {
      for (const step of steps) {
        const advanced = await sql<{ value: number | string }>`
          insert into tenant_counters (tenant_id, name, value) values (${tenantId}, 'trace_seq', ${options.advanceBy ?? 1})
          on conflict (tenant_id, name) do update set value = tenant_counters.value + ${options.advanceBy ?? 1}
          returning value`.execute(trx);
        const seq = Number(advanced.rows[0]?.value);
        highest = seq;
        if (step === 'gap') continue;
        const table = step === 'task' ? 'task_traces' : 'case_traces';
        const objectColumn = step === 'task' ? 'task_id' : 'case_id';
        await sql`
          insert into ${sql.table(table)} (tenant_id, id, ${sql.ref(objectColumn)}, position, seq, type, creator_id, creator_name,
            related_id, title, description, attachment, changes_json, created_at, acted_via)
          values (${tenantId}, ${`ctrc${randomBytes(8).toString('hex')}`}, ${`${step === 'task' ? 'ccqG' : 'c6m8'}object0000000001`}, ${seq}, ${seq},
            'StatusUpdate', 'user1', 'User One', null, ${`change ${seq}`}, null, null,
            ${JSON.stringify([{ field: 'status', from: 'Pending', to: String(seq) }])}, ${options.createdAt ?? Date.now()}, 'app:apap0000000000000001')`.execute(trx);
        traceSeqs.push(seq);
      }
      if (isPostgres && steps.length > 0) await sql`select pg_notify(${CHANGES_CHANNEL}, ${changePayload(tenantId, highest)})`.execute(trx);
      await options.beforeCommit?.();
      if (options.rollback) throw new RolledBack();
    });
  } catch (error) {
    if (error instanceof RolledBack) return { traceSeqs: [], highest };
    throw error;
  }
  return { traceSeqs, highest };
}

/** Every trace number of the tenant in the database, in order: what a subscriber from 0 must have seen. */
export async function allTraceSeqs(db: Kysely<Database>, tenantId: string): Promise<number[]> {
  const [tasks, cases] = await Promise.all([
    db.selectFrom('task_traces').select('seq').where('tenant_id', '=', tenantId).execute(),
    db.selectFrom('case_traces').select('seq').where('tenant_id', '=', tenantId).execute(),
  ]);
  return [...tasks, ...cases].map((row) => Number(row.seq)).sort((a, b) => a - b);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every few milliseconds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

/**
 * Pulls a subscription until it yields `untilSeq` (or fails after `timeoutMs`), checking that every entry is new and
 * later than the one before. Returns the seqs seen.
 */
export async function collect(
  subscription: AsyncIterator<ExportedTrace, undefined>, untilSeq: number, timeoutMs = 20_000, seen: number[] = [],
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while ((seen.at(-1) ?? -1) < untilSeq) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())); });
    const result = await Promise.race([subscription.next(), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') throw new Error(`subscription stalled: wanted seq ${untilSeq}, saw up to ${seen.at(-1) ?? 'nothing'} (${seen.length} entries)`);
    if (result.done) throw new Error(`subscription ended at ${seen.at(-1) ?? 'nothing'} before seq ${untilSeq}`);
    const last = seen.at(-1);
    if (last !== undefined && result.value.seq <= last) throw new Error(`seq ${result.value.seq} after ${last}: out of order or repeated`);
    seen.push(result.value.seq);
  }
  return seen;
}

/** A pending next() that has not settled within `ms`: true if it is still pending (nothing was yielded). */
export async function stillPending(pull: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void pull.then(() => { settled = true; }, () => { settled = true; });
  await sleep(ms);
  return !settled;
}

/**
 * Which database these tests run on, as the rest of the suite decides (test/helpers.ts); read here rather than
 * imported, because helpers.ts loads the whole app, which is being rewritten beside src/changes/.
 */
export const ON_POSTGRES = process.env.OPENCASE_TEST_BACKEND === 'postgres';
export const PG_ADMIN_URL = process.env.OPENCASE_TEST_PG_URL;
export const NEEDS_POSTGRES = ON_POSTGRES && PG_ADMIN_URL ? false : 'needs PostgreSQL (scripts/with-postgres.sh, OPENCASE_TEST_BACKEND=postgres)';

/** A new empty database for one test (a SQLite file in a folder of its own, or a database on the test server), and its removal. */
export async function freshLocation(): Promise<{ location: string; remove: () => Promise<void> }> {
  if (!ON_POSTGRES) {
    const dir = mkdtempSync(join(tmpdir(), 'opencase-changes-'));
    return { location: join(dir, 'opencase.db'), remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!PG_ADMIN_URL) throw new Error('OPENCASE_TEST_BACKEND=postgres needs OPENCASE_TEST_PG_URL');
  const name = `opencase_changes_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { location: url.toString(), remove: async () => { await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`)); } };
}

/** Work on a superuser connection to the test server, closed after. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh migrated database with its removal folded into close(). */
export async function freshChangeDb(): Promise<ChangeDb> {
  const { location, remove } = await freshLocation();
  const opened = await openChangeDb(location);
  return {
    ...opened,
    async close() {
      await opened.close();
      await remove();
    },
  };
}

/**
 * Pulls a subscription in the background until it ends, recording each seq and failing (on `finished`) at the first
 * entry that is not later than the one before. `reached(seq)` waits until it has seen seq or beyond.
 */
export function startConsumer(subscription: AsyncIterator<ExportedTrace, undefined>) {
  const seen: number[] = [];
  const finished = (async () => {
    for (;;) {
      const result = await subscription.next();
      if (result.done) return seen;
      const last = seen.at(-1);
      if (last !== undefined && result.value.seq <= last) throw new Error(`seq ${result.value.seq} after ${last}: out of order or repeated`);
      seen.push(result.value.seq);
    }
  })();
  // Reported through `finished`, not as an unhandled rejection while the test waits.
  finished.catch(() => {});
  return {
    seen,
    finished,
    reached: (seq: number, timeoutMs = 30_000) => waitFor(`seq ${seq} (seen up to ${seen.at(-1) ?? 'nothing'})`, () => (seen.at(-1) ?? -1) >= seq, timeoutMs),
    async stop(): Promise<number[]> {
      await subscription.return?.();
      return finished;
    },
  };
}
