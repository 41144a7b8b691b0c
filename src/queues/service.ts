import type { TenantContext } from '../auth/service.js';
import type { Store, Tx } from '../db/store.js';
import { authorize } from '../permissions/checks.js';
import { requireUser } from '../users/references.js';
import { formatWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import { newId } from '../wire/ids.js';
import { createQueuesRepository } from './repository.js';

export async function createQueue(store: Store, tenant: TenantContext, name: string, now: number): Promise<{ queueId: string }> {
  await authorize(store, tenant, 'queue.write');
  const queueId = newId('queue');
  await createQueuesRepository(store).insertQueue({ tenant_id: tenant.tenantId, id: queueId, name, created_at: now });
  return { queueId };
}

/** A page of the tenant's queues, oldest first, with the total. */
export async function listQueues(store: Store, tenant: TenantContext, start: number, limit: number) {
  await authorize(store, tenant, 'queue.read');
  const repository = createQueuesRepository(store);
  const [count, rows] = await Promise.all([repository.countQueues(tenant.tenantId), repository.listQueues(tenant.tenantId, start, limit)]);
  return { count, queues: rows.map((row) => ({ createdDate: formatWireDate(row.created_at, tenant.timeZone), id: row.id, name: row.name })) };
}

async function requireQueue(tx: Tx | Store, tenantId: string, queueId: string): Promise<void> {
  if (!(await createQueuesRepository(tx).findQueue(tenantId, queueId))) throw new ApiError('recordNotFound', `no queue with id ${queueId} in your tenant`);
}

/** The members of a queue: who works the cases it owns. */
export async function listQueueMembers(store: Store, tenant: TenantContext, queueId: string) {
  await authorize(store, tenant, 'queue.read');
  await requireQueue(store, tenant.tenantId, queueId);
  const members = await createQueuesRepository(store).listMembers(tenant.tenantId, queueId);
  return { count: members.length, members };
}

/**
 * Adds a user to a queue, or takes it out: what the queue owns, the user may then change as its own. Repeating either
 * is no error. The checked tokens carry no membership (it is read at each check of a record), so nothing is revoked.
 */
export async function setQueueMember(store: Store, tenant: TenantContext, queueId: string, userId: string, member: boolean, now: number): Promise<void> {
  await authorize(store, tenant, 'queue.write');
  await store.transaction(async (tx) => {
    await requireQueue(tx, tenant.tenantId, queueId);
    await requireUser(tx, tenant.tenantId, userId, 'userId');
    const queues = createQueuesRepository(tx);
    if (member) await queues.addMember({ tenant_id: tenant.tenantId, queue_id: queueId, user_id: userId, created_at: now });
    else await queues.removeMember(tenant.tenantId, queueId, userId);
  });
}
