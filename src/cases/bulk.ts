import { CompiledQuery } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import { createCaseTypesRepository } from '../case-types/repository.js';
import { Tx, type Store } from '../db/store.js';
import { operatorIdOf } from '../permissions/checks.js';
import type { CASE_OWNER_TYPES, PRIORITIES } from '../wire/enums.js';
import { ApiError, errorCodes } from '../wire/errors.js';
import { classifyError } from '../wire/fastify.js';
import { createCasesRepository } from './repository.js';
import type { BulkCaseAction, BulkCaseInput, BulkCaseItem, BulkCaseResult } from './schemas.js';
import { modifyCaseIn, transferCaseIn, updateCaseStatusIn } from './service.js';

/** A bulk change's action with the fields it takes, checked (bulkChangeOf). */
type BulkChange =
  | { action: 'assign'; ownerId: string; ownerType: (typeof CASE_OWNER_TYPES)[number] | undefined }
  | { action: 'status'; status: string }
  | { action: 'priority'; priority: (typeof PRIORITIES)[number] };

/** The fields that belong to one action each: sent with another action, they are refused rather than ignored. */
const BULK_ACTION_FIELDS = {
  assign: ['ownerId', 'ownerType'],
  status: ['status'],
  priority: ['priority'],
} as const satisfies Record<BulkCaseAction, readonly string[]>;
const ACTION_FIELDS = ['ownerId', 'ownerType', 'status', 'priority'] as const;

/**
 * The action of a bulk body with its fields, or a 400 naming the field: the one the action needs, or one that belongs
 * to another action (sent by mistake, it would otherwise be ignored silently for every case).
 */
function bulkChangeOf(input: BulkCaseInput): BulkChange {
  const { action } = input;
  const required = (field: string) => new ApiError('invalidRequest', `${field} is required when action is ${action}`);
  let change: BulkChange;
  switch (action) {
    case 'assign':
      if (input.ownerId === undefined) throw required('ownerId');
      change = { action, ownerId: input.ownerId, ownerType: input.ownerType };
      break;
    case 'status':
      if (input.status === undefined) throw required('status');
      change = { action, status: input.status };
      break;
    case 'priority':
      if (input.priority === undefined) throw required('priority');
      change = { action, priority: input.priority };
      break;
  }
  const taken: readonly string[] = BULK_ACTION_FIELDS[action];
  const foreign = ACTION_FIELDS.find((field) => input[field] !== undefined && !taken.includes(field));
  if (foreign) throw new ApiError('invalidRequest', `${foreign} is not taken when action is ${action}`);
  return change;
}

/** Where one item of a bulk change starts: its writes are undone alone if it fails (the name is reused, item after item). */
const ITEM_SAVEPOINT = CompiledQuery.raw('savepoint bulk_item');
const ITEM_ROLLBACK = CompiledQuery.raw('rollback to savepoint bulk_item');
const ITEM_RELEASE = CompiledQuery.raw('release savepoint bulk_item');

/**
 * What an item's failure answers, as its single call's reply would (wire/fastify.ts classifyError: an ApiError, or a
 * constraint of the schema refusing a write); undefined for a failure of the database itself (gone, full, a deadlock
 * or a lock wait PostgreSQL gave up on), which fails the whole change, to be retried or answered 503.
 */
function itemFailure(error: unknown): { resCode: string; resMsg: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { kind, message } = classifyError(error);
  const { resCode, httpStatus } = errorCodes[kind];
  return httpStatus < 500 ? { resCode, resMsg: message } : undefined;
}

/**
 * Runs one item of a bulk change in a savepoint of the change: kept if it succeeds, rolled back alone if it fails as a
 * request would (itemFailure), its writes and locks with it. The item runs on a Tx of its own, so that what it
 * signals (its trace's number in the tenant's change sequence) is heard only if it is kept: a number rolled back is
 * taken again by the next change, and a process told of it would hold replies cached at it for current.
 */
async function bulkItem(tx: Tx, id: string, successMessage: string, work: (itemTx: Tx) => Promise<void>): Promise<BulkCaseItem> {
  const itemTx = new Tx(tx.store, tx.db);
  await tx.db.executeQuery(ITEM_SAVEPOINT);
  try {
    await work(itemTx);
  } catch (error) {
    const failure = itemFailure(error);
    if (!failure) throw error;
    try {
      await tx.db.executeQuery(ITEM_ROLLBACK);
      await tx.db.executeQuery(ITEM_RELEASE);
    } catch {
      // SQLite ended the whole transaction itself (a full disk, an I/O error): the item's error fails the change.
      throw error;
    }
    return { id, ...failure };
  }
  await tx.db.executeQuery(ITEM_RELEASE);
  const { advanced, revoked } = itemTx.signals;
  const unannounced = itemTx.unannounced;
  for (const [tenantId, seq] of advanced) {
    if (unannounced.has(tenantId)) tx.advanced(tenantId, seq);
    else tx.announced(tenantId, seq);
  }
  if (revoked) tx.revokes();
  return { id, resCode: '0', resMsg: successMessage };
}

/**
 * opencase extension: one action (assign, status or priority) on up to 100 cases, in one transaction. Each case is
 * changed by its single call's own work (transferCaseIn, updateCaseStatusIn, modifyCaseIn), permission checks and
 * trace included, in a savepoint of its own: a case that fails is answered with its single call's error and leaves
 * nothing written, the others commit together. What the body itself gets wrong (an action's field missing or
 * foreign, creatorId missing for an API app or naming another user for a session) is a 400 or 403 of the whole request.
 *
 * Lock order (docs/semantics.md): every case row first, in ascending id order, whatever the order sent, so that two
 * bulk changes over the same cases queue instead of deadlocking; then, for a status change, the case types they
 * belong to (share-locked, ascending), before any item takes the tenant's counters with its trace.
 */
export async function bulkChangeCases(store: Store, tenant: TenantContext, input: BulkCaseInput, now: number): Promise<BulkCaseResult> {
  const change = bulkChangeOf(input);
  // Checked once, before anything is read: the same for every case, so not worth a failure each.
  operatorIdOf(tenant, input.creatorId, 'creatorId', { required: true });
  const { tenantId } = tenant;
  const base = { creatorId: input.creatorId, ...(input.remark !== undefined && { remark: input.remark }) };
  const results = await store.transaction(async (tx) => {
    const cases = createCasesRepository(tx);
    const typeIds = new Set<string>();
    // JavaScript's order of these ASCII ids is the same in every process: two bulk changes lock their cases alike.
    for (const id of [...input.ids].sort()) {
      const row = await cases.findCaseForChange(tenantId, id);
      if (row) typeIds.add(row.type_id);
    }
    if (change.action === 'status') {
      const caseTypes = createCaseTypesRepository(tx);
      for (const typeId of [...typeIds].sort()) await caseTypes.findCaseTypeForCaseWrite(tenantId, typeId);
    }
    const items: BulkCaseItem[] = [];
    for (const id of input.ids) {
      items.push(await bulkItem(tx, id, tenant.wire.successMessage, (itemTx) => {
        switch (change.action) {
          case 'assign': return transferCaseIn(itemTx, tenant, { ...base, id, ownerId: change.ownerId, ownerType: change.ownerType }, now);
          case 'status': return updateCaseStatusIn(itemTx, tenant, { ...base, id, status: change.status }, now);
          case 'priority': return modifyCaseIn(itemTx, tenant, { ...base, id, priority: change.priority }, undefined, now, 'creatorId');
        }
      }));
    }
    return items;
  });
  const succeeded = results.filter((item) => item.resCode === '0').length;
  return { results, succeeded, failed: results.length - succeeded };
}
