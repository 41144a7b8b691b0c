import { createAuthRepository } from '../auth/repository.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transactions.js';
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
export async function createUser(db: Db, tenantId: string, name: string, now: number) {
  return inTransaction(db, async (trx) => {
    if (!(await createAuthRepository(trx).findTenant(tenantId))) throw new UnknownTenantError(tenantId);
    const user = { tenant_id: tenantId, id: newId('user'), name, created_at: now };
    await createUsersRepository(trx).insertUser(user);
    return { tenantId, userId: user.id, name };
  });
}

/** opencase extension: a page of the tenant's users, oldest first, with the total. */
export async function listUsers(db: Db, tenant: { tenantId: string; timeZone: string }, start: number, limit: number) {
  const repository = createUsersRepository(db);
  const [count, rows] = await Promise.all([repository.countUsers(tenant.tenantId), repository.listUsers(tenant.tenantId, start, limit)]);
  return { count, users: rows.map((row) => ({ createdDate: formatWireDate(row.created_at, tenant.timeZone), id: row.id, name: row.name })) };
}
