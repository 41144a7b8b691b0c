import { sql } from 'kysely';
import { createTenant } from '../auth/service.js';
import { createCaseTypesRepository } from '../case-types/repository.js';
import { flowOf } from '../case-types/service.js';
import { reserveSerials } from '../db/counters.js';
import type { Store } from '../db/store.js';
import { rebuildTenantStatistics } from '../statistics/changes.js';
import { describeChanges } from '../traces/record.js';
import { COMPLETED_STATUS, RELATE_TYPE_CASE } from '../wire/enums.js';
import { idPrefixes, randomBase62, type IdKind } from '../wire/ids.js';
import { bulkInsert } from './bulk.js';

/**
 * Fills a tenant with a realistic spread of records for benchmarks: N tasks, a case for every five (or as many as
 * asked), a contact (with address) for every ten tasks, an organization for every two hundred, a user for every two
 * thousand (at least five), and about three traces per task, numbered and sequenced exactly as the API would have
 * written them. Cases live as a help desk's do (see caseLife), and count in the tenant's statistics, rebuilt at the
 * end. Reproducible for a given seed; fast because rows go in as multi-row INSERTs in transactions of CHUNK records.
 */
const CHUNK = 10_000;
const DAY = 86_400_000;

export interface GenerateOptions {
  tasks: number;
  /** How many cases; by default one for every five tasks. */
  cases?: number | undefined;
  tenantId?: string | undefined;
  seed?: number;
  now: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
  tenantId: string;
  /** Present when the tenant was created here: its API credentials (the secret is shown only now). */
  clientId?: string;
  clientSecret?: string;
  tasks: number;
  cases: number;
  contacts: number;
  users: number;
  traces: number;
  seconds: number;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same seed, the same data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Ids in the wire format, unique without a random draw each: a random run tag, then a counter. */
function idFactory(): (kind: IdKind) => string {
  const run = randomBase62(6);
  let counter = 0;
  return (kind) => {
    let n = counter++;
    let digits = '';
    for (let i = 0; i < 10; i++) {
      digits = BASE62[n % 62] + digits;
      n = Math.floor(n / 62);
    }
    return idPrefixes[kind] + run + digits;
  };
}

const TASK_COLUMNS = ['tenant_id', 'id', 'task_no', 'title', 'description', 'relate_type', 'relate_id', 'owner_id', 'contact_id', 'priority',
  'status', 'attachment', 'creator_id', 'creator_name', 'due_at', 'created_at', 'last_modified_at', 'stay_at', 'closed_at', 'trace_count'] as const;
const TRACE_COLUMNS = ['tenant_id', 'id', 'task_id', 'position', 'seq', 'type', 'creator_id', 'creator_name', 'related_id', 'title', 'description',
  'attachment', 'changes_json', 'created_at'] as const;
const CASE_TRACE_COLUMNS = ['tenant_id', 'id', 'case_id', 'position', 'seq', 'type', 'creator_id', 'creator_name', 'related_id', 'title',
  'description', 'attachment', 'changes_json', 'created_at'] as const;
const CASE_COLUMNS = ['tenant_id', 'id', 'case_no', 'type_id', 'title', 'description', 'status', 'state', 'priority', 'origin', 'owner_id',
  'owner_type', 'contact_id', 'contact_phone', 'creator_id', 'due_at', 'created_at', 'last_modified_at', 'stay_at', 'closed_at', 'is_cancelled',
  'cancelled_at', 'trace_count'] as const;

/** How a generated case went: created, due (or not), then completed, cancelled, or still open, at `endedAt`. */
interface CaseLife {
  createdAt: number;
  dueAt: number | null;
  outcome: 'completed' | 'cancelled' | 'open';
  endedAt: number;
}

/**
 * A help desk's case: created at any time of the past year; due 4 hours to 14 days later (one in ten has no due
 * date); handled in a time drawn from an exponential law of mean 3 days, so most are done within days and a few take
 * weeks. Once that time has passed, 90 in 100 were completed and 7 cancelled; the other 3, and those whose time has
 * not come, are open, some of them overdue.
 */
function caseLife(random: () => number, now: number): CaseLife {
  const createdAt = now - Math.floor(random() * 365 * DAY);
  const dueAt = random() < 0.1 ? null : createdAt + Math.floor((1 / 6 + random() * (14 - 1 / 6)) * DAY);
  const endedAt = createdAt + Math.floor(-Math.log(1 - random()) * 3 * DAY);
  const roll = random();
  const outcome = endedAt >= now || roll >= 0.97 ? 'open' : roll < 0.9 ? 'completed' : 'cancelled';
  return { createdAt, dueAt, outcome, endedAt };
}

const PRIORITIES = ['Low', 'Medium', 'High', 'Critical'];
const ORIGINS = ['Email', 'Voice', 'webchat', 'Whatsapp'];
const WORDS = ['printer', 'invoice', 'refund', 'login', 'delivery', 'router', 'billing', 'password', 'contract', 'upgrade', 'outage', 'address'];

/**
 * Drops a table's secondary (non-unique, non-key) indexes and returns the statements that recreate them exactly
 * as the migrations made them, read back from the database's own catalog.
 */
async function dropSecondaryIndexes(store: Store, table: string): Promise<string[]> {
  const { db, dialect } = store;
  const indexes = dialect === 'sqlite'
    ? (await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master
        where type = 'index' and tbl_name = ${table} and sql is not null and sql not like 'CREATE UNIQUE%'`.execute(db)).rows
    : (await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes
        where schemaname = current_schema() and tablename = ${table} and indexdef not like 'CREATE UNIQUE%'`.execute(db)).rows;
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  return indexes.map((index) => index.definition);
}

export async function generate(store: Store, options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const { db, dialect } = store;
  const random = prng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const newId = idFactory();
  const { now } = options;

  let tenantId = options.tenantId;
  let credentials: { clientId: string; clientSecret: string } | undefined;
  if (!tenantId) {
    const tenant = await createTenant(store, { name: 'generated', timeZone: 'Asia/Shanghai', userName: 'generated admin' }, now);
    tenantId = tenant.tenantId;
    credentials = { clientId: tenant.clientId, clientSecret: tenant.clientSecret };
  }
  const caseType = (await createCaseTypesRepository(store).listCaseTypes(tenantId, { status: 'Active' }, 0, 1))[0];
  if (!caseType) throw new Error(`tenant ${tenantId} does not exist or has no Active case type`);
  const flow = flowOf(caseType);

  const userCount = Math.max(5, Math.ceil(options.tasks / 2000));
  const contactCount = Math.max(1, Math.ceil(options.tasks / 10));
  const organizationCount = Math.max(1, Math.ceil(options.tasks / 200));
  const caseCount = options.cases ?? Math.max(1, Math.ceil(options.tasks / 5));
  const title = () => `${pick(WORDS)} ${pick(WORDS)} issue ${Math.floor(random() * 100000)}`;
  const pastInstant = () => now - Math.floor(random() * 365 * DAY);

  // A bulk load: no sync per commit (the file is synced when the load ends), and a page cache large enough that
  // random-key index inserts do not go to disk (SQLite's default is 2 MB).
  if (dialect === 'sqlite') {
    await sql`pragma synchronous = off`.execute(db);
    await sql`pragma cache_size = -524288`.execute(db);
  }
  try {
    // People and the records cases and tasks point at, in one transaction.
    const users = Array.from({ length: userCount }, (_, i) => ({ id: newId('user'), name: `agent ${String(i + 1).padStart(4, '0')}` }));
    const contacts = Array.from({ length: contactCount }, () => newId('contact'));
    const cases: string[] = [];
    let traces = 0;
    await store.transaction(async (tx) => {
      await bulkInsert(tx.db, dialect, 'users', ['tenant_id', 'id', 'name', 'created_at'], users.map((u) => [tenantId, u.id, u.name, now - 400 * DAY]));
      const organizations = Array.from({ length: organizationCount }, (_, i) => [tenantId, newId('organization'), `Company ${i + 1}`, now - 400 * DAY]);
      await bulkInsert(tx.db, dialect, 'organizations', ['tenant_id', 'id', 'organization_name', 'created_at'], organizations);
      await bulkInsert(tx.db, dialect, 'contacts',
        ['tenant_id', 'id', 'customer_name', 'cell_phone1', 'email', 'organization_id', 'bind_accounts_json', 'created_at', 'last_modified_at'],
        contacts.map((id, i) => [tenantId, id, `customer ${i + 1}`, `138${String(i).padStart(8, '0')}`, `customer${i + 1}@example.com`,
          (pick(organizations)[1] as string), '[]', now - 380 * DAY, now - 380 * DAY]));
      await bulkInsert(tx.db, dialect, 'addresses', ['tenant_id', 'id', 'subject_id', 'city', 'default_shipping_address', 'created_at'],
        contacts.map((id) => [tenantId, newId('address'), id, pick(['Shenzhen', 'Beijing', 'Shanghai', 'Hangzhou']), 1, now - 380 * DAY]));
    });

    // Cases and their traces, chunk by chunk, their secondary indexes set aside as the tasks' are below.
    const setAsideForCases = await dropSecondaryIndexes(store, 'cases');
    const middle = flow.length > 2 ? flow[1] : undefined;
    try {
      for (let done = 0; done < caseCount; done += CHUNK) {
        const size = Math.min(CHUNK, caseCount - done);
        const lives = Array.from({ length: size }, () => caseLife(random, now));
        // CreateCase, and a StatusUpdate or a CancelCase for those that ended.
        const traceTotal = lives.reduce((sum, life) => sum + (life.outcome === 'open' ? 1 : 2), 0);
        await store.transaction(async (tx) => {
          const firstCaseNo = await reserveSerials(tx, tenantId, 'case_no', size);
          let seq = await reserveSerials(tx, tenantId, 'trace_seq', traceTotal);
          const caseRows: unknown[][] = [];
          const caseTraceRows: unknown[][] = [];
          lives.forEach((life, i) => {
            const id = newId('case');
            cases.push(id);
            const owner = pick(users);
            const first = flow[0] ?? COMPLETED_STATUS;
            const processing = life.outcome !== 'completed' && middle !== undefined && random() < 0.6;
            const status = life.outcome === 'completed' ? COMPLETED_STATUS : processing ? middle : first;
            const state = life.outcome === 'completed' ? 'Completed' : processing ? 'Processing' : 'Pending';
            const ended = life.outcome === 'open' ? null : life.endedAt;
            const stayAt = life.outcome === 'completed' ? life.endedAt : processing ? life.createdAt + Math.floor((Math.min(now, life.endedAt) - life.createdAt) / 2) : null;
            caseRows.push([tenantId, id, firstCaseNo + i, caseType.id, title(), 'generated case', status, state, pick(PRIORITIES), pick(ORIGINS), owner.id,
              'user', pick(contacts), null, owner.id, life.dueAt, life.createdAt, ended ?? stayAt ?? life.createdAt, stayAt,
              life.outcome === 'completed' ? life.endedAt : null, life.outcome === 'cancelled' ? 1 : 0, life.outcome === 'cancelled' ? life.endedAt : null,
              ended === null ? 1 : 2]);
            caseTraceRows.push([tenantId, newId('trace'), id, 1, seq++, 'CreateCase', owner.id, owner.name, null, null, null, null, null, life.createdAt]);
            if (life.outcome === 'completed') {
              const changes = [{ field: 'status', from: first, to: COMPLETED_STATUS }, { field: 'state', from: 'Pending', to: 'Completed' }];
              caseTraceRows.push([tenantId, newId('trace'), id, 2, seq++, 'StatusUpdate', owner.id, owner.name, null, null,
                describeChanges(changes), null, JSON.stringify(changes), life.endedAt]);
            } else if (life.outcome === 'cancelled') {
              const changes = [{ field: 'isCanced', from: 'false', to: 'true' }];
              caseTraceRows.push([tenantId, newId('trace'), id, 2, seq++, 'CancelCase', owner.id, owner.name, null, 'no longer needed',
                null, null, JSON.stringify(changes), life.endedAt]);
            }
          });
          await bulkInsert(tx.db, dialect, 'cases', CASE_COLUMNS, caseRows);
          await bulkInsert(tx.db, dialect, 'case_traces', CASE_TRACE_COLUMNS, caseTraceRows);
          traces += caseTraceRows.length;
        });
      }
    } finally {
      for (const definition of setAsideForCases) await sql.raw(definition).execute(db);
    }

    // Tasks and their traces, chunk by chunk, with the secondary indexes of `tasks` set aside: building an index
    // once from sorted rows is several times faster than updating it at random for every row.
    const setAside = await dropSecondaryIndexes(store, 'tasks');
    try {
    for (let done = 0; done < options.tasks; done += CHUNK) {
      const size = Math.min(CHUNK, options.tasks - done);
      await store.transaction(async (tx) => {
        const extras = Array.from({ length: size }, () => Math.floor(random() * 5)); // 0..4 more traces: about 3 a task
        const traceTotal = size + extras.reduce((a, b) => a + b, 0);
        const firstTaskNo = await reserveSerials(tx, tenantId, 'task_no', size);
        let seq = await reserveSerials(tx, tenantId, 'trace_seq', traceTotal);
        const taskRows: unknown[][] = [];
        const traceRows: unknown[][] = [];
        for (let i = 0; i < size; i++) {
          const id = newId('task');
          const creator = pick(users);
          const owner = pick(users);
          const createdAt = pastInstant();
          const roll = random();
          const status = roll < 0.5 ? 'Pending' : roll < 0.8 ? 'Processing' : 'Completed';
          const related = random() < 0.8;
          const extra = extras[i] ?? 0;
          const statusChange = status === 'Pending' ? null : createdAt + 3_600_000;
          traceRows.push([tenantId, newId('trace'), id, 1, seq++, 'CreateTask', creator.id, creator.name, null, null, null, null, null, createdAt]);
          for (let k = 0; k < extra; k++) {
            const at = createdAt + (k + 1) * 3_600_000;
            if (k === 0 && statusChange !== null) {
              traceRows.push([tenantId, newId('trace'), id, k + 2, seq++, 'StatusUpdate', owner.id, owner.name, null, null, `status: "Pending" → "${status}"`,
                null, JSON.stringify([{ field: 'status', from: 'Pending', to: status }]), at]);
            } else {
              traceRows.push([tenantId, newId('trace'), id, k + 2, seq++, 'ProcessTask', owner.id, owner.name, null, 'note', `handled step ${k + 1}`, null, null, at]);
            }
          }
          const stayAt = statusChange !== null && extra > 0 ? statusChange : null;
          taskRows.push([tenantId, id, firstTaskNo + i, title(), 'generated task', related ? RELATE_TYPE_CASE : null, related ? pick(cases) : null, owner.id,
            random() < 0.7 ? pick(contacts) : null, pick(PRIORITIES), stayAt === null && status !== 'Pending' ? 'Pending' : status, null, creator.id,
            creator.name, createdAt + 7 * DAY, createdAt, createdAt, stayAt, status === 'Completed' && stayAt !== null ? stayAt : null, 1 + extra]);
        }
        await bulkInsert(tx.db, dialect, 'tasks', TASK_COLUMNS, taskRows);
        await bulkInsert(tx.db, dialect, 'task_traces', TRACE_COLUMNS, traceRows);
        traces += traceRows.length;
      });
      options.onProgress?.(Math.min(done + CHUNK, options.tasks), options.tasks);
    }
    } finally {
      for (const definition of setAside) await sql.raw(definition).execute(db);
    }
    // The cases went in around the statistics the API keeps on every change: the tenant's are made anew from them.
    await store.transaction((tx) => rebuildTenantStatistics(tx, tenantId));
    return {
      tenantId, ...credentials, tasks: options.tasks, cases: caseCount, contacts: contactCount, users: userCount, traces,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    if (dialect === 'sqlite') {
      await sql`pragma synchronous = full`.execute(db);
      await sql`pragma wal_checkpoint(truncate)`.execute(db);
    }
  }
}
