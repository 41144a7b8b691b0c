import type { TenantContext } from '../auth/service.js';
import type { Store } from '../db/store.js';
import { formatWireDate } from '../wire/dates.js';
import { newId } from '../wire/ids.js';
import { createQueuesRepository } from './repository.js';

export async function createQueue(store: Store, tenant: TenantContext, name: string, now: number): Promise<{ queueId: string }> {
  const queueId = newId('queue');
  await createQueuesRepository(store).insertQueue({ tenant_id: tenant.tenantId, id: queueId, name, created_at: now });
  return { queueId };
}

/** A page of the tenant's queues, oldest first, with the total. */
export async function listQueues(store: Store, tenant: TenantContext, start: number, limit: number) {
  const repository = createQueuesRepository(store);
  const [count, rows] = await Promise.all([repository.countQueues(tenant.tenantId), repository.listQueues(tenant.tenantId, start, limit)]);
  return { count, queues: rows.map((row) => ({ createdDate: formatWireDate(row.created_at, tenant.timeZone), id: row.id, name: row.name })) };
}
