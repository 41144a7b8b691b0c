import { createAuthRepository } from '../auth/repository.js';
import type { Store } from '../db/store.js';
import { formatWireDate } from '../wire/dates.js';
import { newId } from '../wire/ids.js';
import { createUsersRepository } from './repository.js';

export class UnknownTenantError extends Error {
  constructor(tenantId: string) {
    super(`no tenant with id ${tenantId}`);
    this.name = 'UnknownTenantError';
  }
}

/** Agents (AICC users): the owners and creators that tasks and cases name by id. */
export async function createUser(store: Store, tenantId: string, name: string, now: number) {
  return store.transaction(async (tx) => {
    if (!(await createAuthRepository(tx).findTenant(tenantId))) throw new UnknownTenantError(tenantId);
    const user = { tenant_id: tenantId, id: newId('user'), name, created_at: now };
    await createUsersRepository(tx).insertUser(user);
    return { tenantId, userId: user.id, name };
  });
}

/** opencase extension: a page of the tenant's users, oldest first, with the total. */
export async function listUsers(store: Store, tenant: { tenantId: string; timeZone: string }, start: number, limit: number) {
  const repository = createUsersRepository(store);
  const [count, rows] = await Promise.all([repository.countUsers(tenant.tenantId), repository.listUsers(tenant.tenantId, start, limit)]);
  return { count, users: rows.map((row) => ({ createdDate: formatWireDate(row.created_at, tenant.timeZone), id: row.id, name: row.name })) };
}
