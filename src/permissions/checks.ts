import type { TenantContext } from '../auth/service.js';
import { callerLabel } from './caller.js';
import type { Queryable } from '../db/store.js';
import { createQueuesRepository } from '../queues/repository.js';
import type { UserStatus } from '../db/tables.js';
import { requireUser } from '../users/references.js';
import { ApiError } from '../wire/errors.js';
import { PERMISSIONS, rolesWithAny, type Action } from './table.js';

/** A user a change is recorded under. */
export interface Operator {
  id: string;
  name: string;
  /** Through what the caller acted: `app:<appId>` or `user:<userId>` (caller.ts callerLabel), for the trace. */
  via: string;
}

/** The words a refusal uses for an action: `case.transfer` → "transfer cases". */
const OBJECTS: Record<string, string> = {
  case: 'cases', task: 'tasks', statistics: 'the statistics', caseType: 'case types', template: 'case templates',
  contact: 'contacts', queue: 'queues', user: 'users', changes: 'the traces and the change feed', webhook: 'webhooks',
};
function inWords(action: Action): string {
  const [object = '', verb = ''] = action.split('.');
  return `${verb === 'write' ? 'change' : verb} ${OBJECTS[object] ?? object}`;
}

/**
 * The id of the user a call acts as. A session acts only as its own user: a `field` naming another is a 403 (403001).
 * An API app acts as the user the call names, else as its own user; where AICC requires the operator (`required`), an
 * app must name it, as against AICC itself. Checked before anything is read, cached replies included.
 */
export function operatorIdOf(tenant: TenantContext, named: string | null | undefined, field: string, options: { required?: boolean } = {}): string {
  const { caller } = tenant;
  const given = named ?? undefined;
  if (caller.kind === 'session') {
    if (given !== undefined && given !== caller.userId) {
      throw new ApiError('notYou', `${field} ${given} is not you: a signed-in user acts only as itself (leave ${field} out, or send your own id ${caller.userId})`);
    }
    return caller.userId;
  }
  if (given === undefined && options.required) {
    throw new ApiError('invalidRequest', `${field} is required: the user this change is made as (a signed-in user may leave it out)`);
  }
  return given ?? caller.userId;
}

/** A disabled user may not act, through a session (its tokens stop anyway) or named by an API app. */
export function requireActive(user: { id: string; status: UserStatus }, field: string): void {
  if (user.status !== 'active') throw new ApiError('forbidden', `${field} ${user.id} is disabled: a disabled user cannot act; an admin may enable it again`);
}

/** The active user a call acts as (operatorIdOf), read from the tenant's users; a 400 naming `field` if there is none. */
export async function actingUser(
  q: Queryable, tenant: TenantContext, named: string | null | undefined, field: string, options: { required?: boolean } = {},
): Promise<Operator> {
  const user = await requireUser(q, tenant.tenantId, operatorIdOf(tenant, named, field, options), field);
  requireActive(user, field);
  return { id: user.id, name: user.name, via: callerLabel(tenant.caller) };
}

/** A record an action is taken on, and who owns it. */
export interface OwnedRecord {
  /** How the refusal names it: `case c6m8…`. */
  what: string;
  ownerId: string | null;
  ownerType: string;
}

/**
 * Refuses (403002) an action the caller's role does not allow, on this record or at all: the permission table's rule
 * (permissions/table.ts). `own` holds when the record's owner is `operator`, or a queue `operator` is a member of.
 * An API app without a role passes every check.
 */
export async function authorize(
  q: Queryable, tenant: Pick<TenantContext, 'tenantId' | 'caller'>, action: Action, on?: { operator: Operator; record: OwnedRecord },
): Promise<void> {
  const { role } = tenant.caller;
  if (role === null) return;
  const scope = PERMISSIONS[action][role];
  if (scope === 'any') return;
  const who = rolesWithAny(action).join(' or ');
  if (scope === 'none' || !on) throw new ApiError('forbidden', `role ${role} may not ${inWords(action)}: that takes ${who}`);
  const { operator, record } = on;
  if (record.ownerId !== null && await owns(q, tenant.tenantId, operator.id, record)) return;
  const owner = record.ownerId === null ? 'nobody' : `${record.ownerType} ${record.ownerId}`;
  throw new ApiError('forbidden', `${record.what} is owned by ${owner}: role ${role} may ${inWords(action)} only when ${operator.id} or one of its queues owns them (${who} may on any)`);
}

async function owns(q: Queryable, tenantId: string, userId: string, record: OwnedRecord): Promise<boolean> {
  if (record.ownerId === null) return false;
  if (record.ownerType === 'queue') return createQueuesRepository(q).isMember(tenantId, record.ownerId, userId);
  return record.ownerId === userId;
}
