import type { Queryable } from '../db/store.js';
import type { UserStatus } from '../db/tables.js';
import { ApiError } from '../wire/errors.js';
import { createUsersRepository } from './repository.js';

/** A user of the caller's tenant named by a request field, with its name and status; otherwise a 400 naming the field. */
export async function requireUser(q: Queryable, tenantId: string, userId: string, field: string): Promise<{ id: string; name: string; status: UserStatus }> {
  const user = await createUsersRepository(q).findUser(tenantId, userId);
  if (!user) throw new ApiError('invalidRequest', `${field} ${userId} is not a user of this tenant`);
  return { id: user.id, name: user.name, status: user.status };
}
