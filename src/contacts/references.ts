import type { Queryable } from '../db/store.js';
import { ApiError } from '../wire/errors.js';
import { createContactsRepository } from './repository.js';

/** A contact of the caller's tenant named by a request field; otherwise a 400 naming the field. */
export async function requireContact(q: Queryable, tenantId: string, contactId: string, field: string): Promise<void> {
  if (!(await createContactsRepository(q).findContact(tenantId, contactId))) {
    throw new ApiError('invalidRequest', `${field} ${contactId} is not a contact of this tenant`);
  }
}
