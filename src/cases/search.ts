import type { TenantContext } from '../auth/service.js';
import type { Store } from '../db/store.js';
import { both, createdRange } from '../lists/filters.js';
import { authorize, operatorIdOf } from '../permissions/checks.js';
import { COMPLETED_STATUS, type CaseSort, type CaseStateFilter, type CaseView, type SortOrder } from '../wire/enums.js';
import type { CaseFilters } from './repository.js';
import type { CaseListItem, SearchCasesInput } from './schemas.js';
import { pageOfCases } from './service.js';
import { templateFilters } from './template-values.js';

/** Each view's cases, relative to `userId`. */
function viewFilters(view: CaseView, userId: string): CaseFilters {
  switch (view) {
    case 'mine': return { ownerId: userId, ownerType: 'user' };
    case 'myQueues': return { queueMemberId: userId };
    case 'unassigned': return { unassigned: true };
    case 'followed': return { followerId: userId };
    case 'created': return { creatorId: userId };
    case 'all': return {};
  }
}

function stateFilters(state: CaseStateFilter): CaseFilters {
  switch (state) {
    case 'open': return { completed: false, cancelled: false };
    case 'Completed': return { state: COMPLETED_STATUS };
    case 'Pending':
    case 'Processing': return { state, cancelled: false };
    case 'cancelled': return { cancelled: true };
    case 'suspended': return { suspended: true };
  }
}

/** Each sort's direction when none is sent: newest, last changed and most urgent first; soonest due first. */
const DEFAULT_ORDER: Record<CaseSort, SortOrder> = { created: 'desc', updated: 'desc', priority: 'desc', due: 'asc' };

/**
 * opencase extension (POST /opencase/v1/cases/search): the console's queue. Reads as case/list does (case.read), with
 * views case/list has no classification for, a state filter and a sort, each served by an index (migration 0007).
 */
export async function searchCases(store: Store, tenant: TenantContext, input: SearchCasesInput): Promise<{ caseList: CaseListItem[]; count: number }> {
  await authorize(store, tenant, 'case.read');
  const userId = operatorIdOf(tenant, input.userId, 'userId');
  const view = viewFilters(input.view ?? 'all', userId);
  const byQueue: CaseFilters = input.queueId === undefined ? {} : { ownerId: input.queueId, ownerType: 'queue' };
  // A view and an owner filter that cannot both hold (mine, and another's cases) select nothing, as case/list's do.
  const owner = [view.ownerId, input.ownerId, byQueue.ownerId].reduce(both<string>, undefined);
  const ownerType = [view.ownerType, byQueue.ownerType].reduce(both<string>, undefined);
  if (owner === 'conflict' || ownerType === 'conflict') return { caseList: [], count: 0 };
  const range = createdRange(input, tenant.timeZone);
  const templateValues = await templateFilters(store, tenant, input, 'cases/search');
  const filters: CaseFilters = {
    ...view,
    ...(input.state !== undefined && stateFilters(input.state)),
    ...(owner !== undefined && { ownerId: owner }),
    ...(ownerType !== undefined && { ownerType }),
    ...(templateValues.length > 0 && { templateValues }),
    ...(input.title !== undefined && { titleContains: input.title }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.priority !== undefined && { priority: input.priority }),
    ...(input.origin !== undefined && { origin: input.origin }),
    ...(input.type !== undefined && { typeId: input.type }),
    ...(input.contactId !== undefined && { contactId: input.contactId }),
    ...range,
  };
  const by = input.sort ?? 'created';
  return pageOfCases(store, tenant, filters, input.start, input.limit, { by, order: input.order ?? DEFAULT_ORDER[by] });
}
