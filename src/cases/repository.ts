import { sql, type Insertable, type Updateable } from 'kysely';
import { containsIgnoringCase } from '../db/like.js';
import { lockedForChange, lockedForReading } from '../db/database.js';
import { repository, type Db, type Queryable, type Tx } from '../db/store.js';
import { preparedQuery } from '../db/prepared.js';
import type { CasesTable } from '../db/tables.js';
import { COMPLETED_STATUS, type CaseSort, type SortOrder } from '../wire/enums.js';

/** Each priority's rank (PRIORITY_RANK), Critical highest. */
const PRIORITY_RANKS: Partial<Record<string, number>> = { Critical: 4, High: 3, Medium: 2, Low: 1 };

/** A priority's rank, Critical highest and none lowest: written as migration 0007's cases_priority_idx has it. */
const PRIORITY_RANK = sql<number>`(case cases.priority when 'Critical' then 4 when 'High' then 3 when 'Medium' then 2 when 'Low' then 1 else 0 end)`;

/**
 * Each sort's terms, all of them in the page's direction, so that an index read forwards or backwards serves it
 * (migrations 0001 and 0007). `desc`: newest first, last changed first, most urgent first (newest first within a
 * priority), and for due dates those without one, then the latest; `asc` is the exact reverse (soonest due first,
 * those without a due date last).
 */
const CASE_SORT_TERMS: Record<CaseSort, ReadonlyArray<ReturnType<typeof sql>>> = {
  created: [sql`cases.created_at`, sql`cases.id`],
  updated: [sql`cases.last_modified_at`, sql`cases.id`],
  due: [sql`(cases.due_at is null)`, sql`cases.due_at`, sql`cases.id`],
  priority: [PRIORITY_RANK, sql`cases.created_at`, sql`cases.id`],
};

/** How a page is ordered: by `by`, in `order` (desc: newest, last changed, most urgent or latest due first). */
export interface CaseOrder {
  by: CaseSort;
  order: SortOrder;
  /**
   * Read the matching cases by the filters' index and sort them, instead of walking the order's index and testing each
   * case: for a few cases of a set of owners (a user's queues), which the walk would look for among all the tenant's.
   * Measured on 1,000,000 cases with none in any queue: the walk 1.6 s, this under 1 ms; sorting 200,000 this way takes
   * 330 ms, which the walk finds at once. The terms are wrapped (coalesce(t, t)) so that no index can serve the order.
   */
  sortMatches?: boolean;
}

/** A page's order when none is asked for: newest first, as case/list's. */
export const DEFAULT_CASE_ORDER: CaseOrder = { by: 'created', order: 'desc' };

/** How few matching cases pageOfCases sorts itself (CaseOrder.sortMatches): 20,000 sort in about 35 ms. */
export const FEW_CASES_TO_SORT = 20_000;

/** What a case list may be narrowed by, in database terms; every field given must hold. */
export interface CaseFilters {
  /** Matched case-insensitively, `%` and `_` literally. */
  titleContains?: string;
  status?: string;
  priority?: string;
  origin?: string;
  ownerId?: string;
  ownerType?: string;
  typeId?: string;
  contactId?: string;
  contactPhone?: string;
  creatorId?: string;
  caseNo?: number;
  createdFrom?: number;
  createdTo?: number;
  completed?: boolean;
  cancelled?: boolean;
  /** Completed at or after this instant (closed_at). */
  closedFrom?: number;
  /** Completed before this instant. */
  closedBefore?: number;
  /** Due before this instant and not Completed. */
  overdueAt?: number;
  reopened?: boolean;
  /** Completed without ever being transferred. */
  directResponse?: boolean;
  followerId?: string;
  /** Owned by a queue this user is a member of. */
  queueMemberId?: string;
  /** Owned by a queue (by no person: a case always has an owner, a user or a queue). */
  unassigned?: true;
  state?: string;
  suspended?: boolean;
  /** Template fields holding these canonical values (case-templates/values.ts), all of them. */
  templateValues?: Array<{ field: string; value: string }>;
  /**
   * How the template filters join: `in` reads the matching cases from case_field_values' lookup index first (fast when
   * few match); `exists` walks the cases in list order and probes each (fast when many match: a page stops early).
   */
  templateJoin?: 'in' | 'exists';
}

/** Prepared once (see db/prepared.ts): task detail reads its case on every request. */
const caseById = preparedQuery('cases.byId', (db: Db, tenantId: string, caseId: string) =>
  db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).where('id', '=', caseId));

function casesQueries(q: Queryable) {
  const db = q.db;
  function filtered(tenantId: string, f: CaseFilters) {
    let query = db.selectFrom('cases').where('cases.tenant_id', '=', tenantId);
    if (f.titleContains !== undefined) query = query.where(containsIgnoringCase('cases.title', f.titleContains));
    if (f.status !== undefined) query = query.where('cases.status', '=', f.status);
    if (f.priority !== undefined) {
      // By its rank, so that cases_priority_idx serves the filter, its count and a newest-first page at once (measured on
      // 1,000,000 cases, a quarter of them High: the whole request took 1.5 s by the column, 17 ms by the rank).
      const rank = PRIORITY_RANKS[f.priority];
      query = rank === undefined ? query.where('cases.priority', '=', f.priority) : query.where(PRIORITY_RANK, '=', sql.lit(rank));
    }
    if (f.origin !== undefined) query = query.where('cases.origin', '=', f.origin);
    if (f.ownerId !== undefined) query = query.where('cases.owner_id', '=', f.ownerId);
    if (f.ownerType !== undefined) query = query.where('cases.owner_type', '=', f.ownerType);
    if (f.typeId !== undefined) query = query.where('cases.type_id', '=', f.typeId);
    if (f.contactId !== undefined) query = query.where('cases.contact_id', '=', f.contactId);
    if (f.contactPhone !== undefined) query = query.where('cases.contact_phone', '=', f.contactPhone);
    if (f.creatorId !== undefined) query = query.where('cases.creator_id', '=', f.creatorId);
    if (f.caseNo !== undefined) query = query.where('cases.case_no', '=', f.caseNo);
    if (f.createdFrom !== undefined) query = query.where('cases.created_at', '>=', f.createdFrom);
    if (f.createdTo !== undefined) query = query.where('cases.created_at', '<=', f.createdTo);
    // Constants as literals, not parameters: SQLite then sees that the open cases' partial index (cases_open_idx) holds
    // these terms already and does not test them again on every entry (measured: counting 38,000 open cases of
    // 1,000,000, 3.2 ms with parameters, 1.3 ms with literals).
    if (f.completed !== undefined) query = query.where('cases.state', f.completed ? '=' : '!=', sql.lit(COMPLETED_STATUS));
    if (f.cancelled !== undefined) query = query.where('cases.is_cancelled', '=', sql.lit(f.cancelled ? 1 : 0));
    if (f.closedFrom !== undefined) query = query.where('cases.closed_at', '>=', f.closedFrom);
    if (f.closedBefore !== undefined) query = query.where('cases.closed_at', '<', f.closedBefore);
    if (f.overdueAt !== undefined) query = query.where('cases.due_at', '<', f.overdueAt).where('cases.state', '!=', sql.lit(COMPLETED_STATUS));
    if (f.reopened !== undefined) query = query.where('cases.reopen_count', f.reopened ? '>' : '=', 0);
    if (f.directResponse !== undefined) {
      query = f.directResponse
        ? query.where('cases.state', '=', COMPLETED_STATUS).where('cases.transfer_count', '=', 0)
        : query.where((eb) => eb.or([eb('cases.state', '!=', COMPLETED_STATUS), eb('cases.transfer_count', '>', 0)]));
    }
    for (const { field, value } of f.templateValues ?? []) {
      if (f.templateJoin === 'exists') {
        query = query.where((eb) => eb.exists(eb.selectFrom('case_field_values').select('case_field_values.case_id')
          .whereRef('case_field_values.tenant_id', '=', 'cases.tenant_id')
          .whereRef('case_field_values.case_id', '=', 'cases.id')
          .where('case_field_values.field', '=', field)
          .where('case_field_values.value', '=', value)));
      } else {
        // The cases holding the value, from case_field_values' lookup index (tenant, field, value, case).
        query = query.where('cases.id', 'in', db.selectFrom('case_field_values').select('case_field_values.case_id')
          .where('case_field_values.tenant_id', '=', tenantId)
          .where('case_field_values.field', '=', field)
          .where('case_field_values.value', '=', value));
      }
    }
    if (f.state !== undefined) query = query.where('cases.state', '=', f.state);
    if (f.suspended !== undefined) query = query.where('cases.suspended_at', f.suspended ? 'is not' : 'is', null);
    if (f.queueMemberId !== undefined) {
      query = query.where('cases.owner_type', '=', sql.lit('queue')).where('cases.owner_id', 'in', db.selectFrom('queue_members')
        .select('queue_members.queue_id').where('queue_members.tenant_id', '=', tenantId).where('queue_members.user_id', '=', f.queueMemberId));
    }
    if (f.unassigned) {
      // The tenant's queues as a list, so that the owner index (cases_owner_idx) finds their cases without reading others.
      query = query.where('cases.owner_type', '=', sql.lit('queue'))
        .where('cases.owner_id', 'in', db.selectFrom('queues').select('queues.id').where('queues.tenant_id', '=', tenantId));
    }
    if (f.followerId !== undefined) {
      const followerId = f.followerId;
      query = query.where((eb) => eb.exists(eb.selectFrom('case_followers')
        .select('case_followers.case_id')
        .whereRef('case_followers.tenant_id', '=', 'cases.tenant_id')
        .whereRef('case_followers.case_id', '=', 'cases.id')
        .where('case_followers.user_id', '=', followerId)));
    }
    return query;
  }

  function pageQuery(tenantId: string, filters: CaseFilters, start: number, limit: number, order: CaseOrder = DEFAULT_CASE_ORDER) {
    const direction = order.order === 'desc' ? sql`desc` : sql`asc`;
    let query = filtered(tenantId, filters)
      .leftJoin('case_types', (join) => join.onRef('case_types.tenant_id', '=', 'cases.tenant_id').onRef('case_types.id', '=', 'cases.type_id'))
      .selectAll('cases')
      .select(['case_types.type_name', 'case_types.template_id']);
    for (const term of CASE_SORT_TERMS[order.by]) query = query.orderBy(order.sortMatches ? sql`coalesce(${term}, ${term}) ${direction}` : sql`${term} ${direction}`);
    return query.limit(limit).offset(start);
  }

  return {
    async insertCase(record: Insertable<CasesTable>): Promise<void> {
      await db.insertInto('cases').values(record).execute();
    },

    async findCase(tenantId: string, caseId: string) {
      return (await caseById(q, tenantId, caseId))[0];
    },

    /** A case with the names case detail shows beside its ids: its type's, its creator's, its owner's (a user or a queue). */
    findCaseWithNames(tenantId: string, caseId: string) {
      return db.selectFrom('cases')
        .leftJoin('case_types', (join) => join.onRef('case_types.tenant_id', '=', 'cases.tenant_id').onRef('case_types.id', '=', 'cases.type_id'))
        .leftJoin('users as creator', (join) => join.onRef('creator.tenant_id', '=', 'cases.tenant_id').onRef('creator.id', '=', 'cases.creator_id'))
        .leftJoin('users as owner', (join) => join.onRef('owner.tenant_id', '=', 'cases.tenant_id').onRef('owner.id', '=', 'cases.owner_id')
          .on('cases.owner_type', '=', 'user'))
        .leftJoin('queues', (join) => join.onRef('queues.tenant_id', '=', 'cases.tenant_id').onRef('queues.id', '=', 'cases.owner_id')
          .on('cases.owner_type', '=', 'queue'))
        .leftJoin('case_templates', (join) => join.onRef('case_templates.tenant_id', '=', 'case_types.tenant_id')
          .onRef('case_templates.id', '=', 'case_types.template_id'))
        .selectAll('cases')
        .select(['case_types.type_name', 'creator.name as creator_name', 'case_templates.id as template_id', 'case_templates.name as template_name',
          'case_templates.fields_json as template_fields_json'])
        .select((eb) => eb.fn.coalesce('owner.name', 'queues.name').as('owner_name'))
        .where('cases.tenant_id', '=', tenantId)
        .where('cases.id', '=', caseId)
        .executeTakeFirst();
    },

    /** A case's history, oldest first. */
    findTraces(tenantId: string, caseId: string) {
      return db.selectFrom('case_traces')
        .select(['creator_id', 'creator_name', 'description', 'related_id', 'title', 'type'])
        .where('tenant_id', '=', tenantId)
        .where('case_id', '=', caseId)
        .orderBy('position')
        .execute();
    },

    /** The flow statuses cases of a type are in now. */
    async statusesInUse(tenantId: string, typeId: string): Promise<string[]> {
      const rows = await db.selectFrom('cases').select('status').distinct().where('tenant_id', '=', tenantId).where('type_id', '=', typeId).execute();
      return rows.map((row) => row.status);
    },

    /** The user with the fewest open cases (ties by id): where an auto-assigned case goes. */
    async leastLoadedUser(tenantId: string): Promise<string | undefined> {
      const row = await db.selectFrom('users')
        .leftJoin('cases', (join) => join
          .onRef('cases.tenant_id', '=', 'users.tenant_id')
          .onRef('cases.owner_id', '=', 'users.id')
          .on('cases.owner_type', '=', 'user')
          .on('cases.state', '!=', COMPLETED_STATUS)
          .on('cases.is_cancelled', '=', 0))
        .select(['users.id', (eb) => eb.fn.count('cases.id').as('open_cases')])
        .where('users.tenant_id', '=', tenantId)
        .groupBy('users.id')
        .orderBy('open_cases')
        .orderBy('users.id')
        .limit(1)
        .executeTakeFirst();
      return row?.id;
    },

    async isFollower(tenantId: string, caseId: string, userId: string): Promise<boolean> {
      const row = await db.selectFrom('case_followers').select('user_id')
        .where('tenant_id', '=', tenantId).where('case_id', '=', caseId).where('user_id', '=', userId).executeTakeFirst();
      return row !== undefined;
    },

    async follow(tenantId: string, caseId: string, userId: string, now: number): Promise<void> {
      await db.insertInto('case_followers').values({ tenant_id: tenantId, case_id: caseId, user_id: userId, created_at: now })
        .onConflict((oc) => oc.columns(['tenant_id', 'case_id', 'user_id']).doNothing()).execute();
    },

    async unfollow(tenantId: string, caseId: string, userId: string): Promise<void> {
      await db.deleteFrom('case_followers').where('tenant_id', '=', tenantId).where('case_id', '=', caseId).where('user_id', '=', userId).execute();
    },

    /** How many cases hold a template value: read from the lookup index alone. */
    async countTemplateValue(tenantId: string, field: string, value: string): Promise<number> {
      const row = await db.selectFrom('case_field_values').select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('tenant_id', '=', tenantId).where('field', '=', field).where('value', '=', value).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async countCases(tenantId: string, filters: CaseFilters): Promise<number> {
      const row = await filtered(tenantId, filters).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /**
     * The count of each set of filters, and the total time (closed − created, in milliseconds) the cases of one of
     * them took to complete, in one statement of scalar subqueries: one snapshot, whatever commits meanwhile.
     */
    async countEach<Name extends string>(
      tenantId: string, filters: Record<Name, CaseFilters>, completionTimeOf: NoInfer<Name>,
    ): Promise<{ counts: Record<Name, number>; completionMs: number }> {
      const names = Object.keys(filters) as Name[];
      const row = await db.selectNoFrom(() => [
        ...names.map((name) => filtered(tenantId, filters[name]).select((eb) => eb.fn.countAll().as('n')).as(name)),
        filtered(tenantId, filters[completionTimeOf])
          .select((eb) => eb.fn.coalesce(eb.fn.sum(eb('cases.closed_at', '-', eb.ref('cases.created_at'))), eb.lit(0)).as('ms'))
          .as('completion_ms'),
      ]).executeTakeFirstOrThrow() as Record<string, number | string | null>;
      const counts = Object.fromEntries(names.map((name) => [name, Number(row[name])])) as Record<Name, number>;
      // PostgreSQL's sum of bigint is numeric, which pg hands over as text.
      return { counts, completionMs: Number(row.completion_ms ?? 0) };
    },

    /** One page, newest first unless `order` says otherwise, with each case's type name (the query: its plan is tested). */
    pageQuery,

    listCases(tenantId: string, filters: CaseFilters, start: number, limit: number, order?: CaseOrder) {
      return pageQuery(tenantId, filters, start, limit, order).execute();
    },
  };
}

/** What only a change may do: locked reads, and the writes a trace goes with. */
function casesChanges(tx: Tx) {
  const db = tx.db;
  return {
    /** The case a change is about to be based on, locked against concurrent changes until the transaction ends. */
    findCaseForChange(tenantId: string, caseId: string) {
      return lockedForChange(tx, db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).where('id', '=', caseId)).executeTakeFirst();
    },

    /**
     * A case a change relies on without changing it (a task modified to relate to it), share-locked until the
     * transaction ends, so that it cannot be closed in between.
     */
    findCaseForReading(tenantId: string, caseId: string) {
      return lockedForReading(tx, db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).where('id', '=', caseId)).executeTakeFirst();
    },

    /** A contact's cases, locked for change in ascending id order (the lock order of bulk changes): its erasure's cases. */
    lockCasesOfContact(tenantId: string, contactId: string) {
      return lockedForChange(tx, db.selectFrom('cases').select(['id', 'contact_phone'])
        .where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).orderBy('id')).execute();
    },

    /** The traces of these cases that record a change of `field` (their changes_json names it), to be redacted. */
    tracesChanging(tenantId: string, caseIds: string[], field: string) {
      return db.selectFrom('case_traces').select(['id', 'changes_json', 'description'])
        .where('tenant_id', '=', tenantId).where('case_id', 'in', caseIds)
        .where('changes_json', 'like', `%"field":"${field}"%`)
        .execute();
    },

    /** Rewrites what a trace says changed (a redaction): that the change happened stays, with its place and time. */
    async redactTrace(tenantId: string, traceId: string, changesJson: string, description: string | null): Promise<void> {
      await db.updateTable('case_traces').set({ changes_json: changesJson, description }).where('tenant_id', '=', tenantId).where('id', '=', traceId).execute();
    },

    /** Applies a change and counts the trace it will write, in one UPDATE that also locks the row. */
    async applyChange(tenantId: string, caseId: string, patch: Updateable<CasesTable>): Promise<number> {
      const row = await db.updateTable('cases')
        .set((eb) => ({ ...patch, trace_count: eb('trace_count', '+', 1) }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', caseId)
        .returning('trace_count')
        .executeTakeFirstOrThrow();
      return Number(row.trace_count);
    },
  };
}

export const createCasesRepository = repository(casesQueries, casesChanges);

export type CasesRepository = ReturnType<typeof createCasesRepository>;
