import type { Updateable } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import { recordCaseChange } from '../cases/changes.js';
import { createCasesRepository } from '../cases/repository.js';
import { advanceChangeSequence } from '../db/counters.js';
import type { Store, Tx } from '../db/store.js';
import type { ContactsTable } from '../db/tables.js';
import { actingUser, authorize, type Operator } from '../permissions/checks.js';
import { describeChanges, type FieldChange } from '../traces/record.js';
import { ApiError } from '../wire/errors.js';
import { createUsersRepository } from '../users/repository.js';
import { createContactsRepository } from './repository.js';
import type { ErasedContact } from './schemas.js';

/** What an erased value reads as in a trace: that there was one, not what it was. */
export const ERASED = '[erased]';

/**
 * Every column of a contact that can hold personal data, blanked by an erasure. What stays: its id (the cases and tasks
 * that name it), its organization, channel, level and status, and when it was made and changed.
 */
const ERASED_COLUMNS = {
  customer_name: null, name: null, first_name: null, middle_name: null, last_name: null, nick_name: null, title: null, gender: null,
  age: null, birth_day: null, cell_phone1: null, cell_phone2: null, cell_phone3: null, phone: null, phone1: null, phone2: null,
  phone3: null, email: null, email1: null, email2: null, fax: null, website: null, picture: null, remark: null, description: null,
  custom_field: null, bind_accounts_json: '[]',
} satisfies Updateable<ContactsTable>;

/** The case field that copies a contact's phone (case create and modify take it). */
const CONTACT_PHONE = 'contactPhone';

/** How many case ids one trace query names: well inside both databases' limits on parameters. */
const CASE_IDS_PER_QUERY = 500;

function redacted(changes: FieldChange[]): FieldChange[] {
  return changes.map((change) => (change.field === CONTACT_PHONE
    ? { field: change.field, from: change.from === null ? null : ERASED, to: change.to === null ? null : ERASED }
    : change));
}

/**
 * Erases a contact's personal data on request, in one transaction: its fields blanked, its addresses removed, the
 * phone its cases copied blanked (an EraseContact trace on each: the change is recorded, without the value), and the
 * phone values in its cases' earlier traces replaced by "[erased]" — each trace keeps that a change happened, when and
 * by whom. Locks: the contact's cases (ascending id), then the contact (docs/semantics.md, "Lock order"). Free text
 * (notes, titles, descriptions a person wrote) is not searched: what a person typed about the contact stays.
 */
export async function eraseContactIn(tx: Tx, tenantId: string, contactId: string, operator: Operator, now: number): Promise<ErasedContact> {
  const cases = createCasesRepository(tx);
  const contacts = createContactsRepository(tx);
  const ofContact = await cases.lockCasesOfContact(tenantId, contactId);
  if (!(await contacts.findContactForChange(tenantId, contactId))) throw new ApiError('recordNotFound', `contact ${contactId} does not exist`);
  await contacts.updateContact(tenantId, contactId, { ...ERASED_COLUMNS, erased_at: now, last_modified_at: now });
  const addressesRemoved = await contacts.deleteAddresses(tenantId, contactId);

  let tracesRedacted = 0;
  for (let at = 0; at < ofContact.length; at += CASE_IDS_PER_QUERY) {
    const ids = ofContact.slice(at, at + CASE_IDS_PER_QUERY).map((row) => row.id);
    for (const trace of await cases.tracesChanging(tenantId, ids, CONTACT_PHONE)) {
      const changes = JSON.parse(trace.changes_json ?? '[]') as FieldChange[];
      const safe = redacted(changes);
      // Already redacted (an earlier erasure, or the erasure's own trace): nothing to rewrite.
      if (JSON.stringify(safe) === trace.changes_json) continue;
      // A description written from the changes is written again from the redacted ones; one a person wrote stays.
      const description = trace.description === describeChanges(changes) ? describeChanges(safe) : trace.description;
      await cases.redactTrace(tenantId, trace.id, JSON.stringify(safe), description);
      tracesRedacted++;
    }
  }
  const withPhone = ofContact.filter((row) => row.contact_phone !== null);
  for (const row of withPhone) {
    await recordCaseChange(tx, tenantId, row.id, { contact_phone: null }, {
      type: 'EraseContact', operator, changes: [{ field: CONTACT_PHONE, from: ERASED, to: null }],
      title: `personal data of contact ${contactId} erased on request`,
    }, now);
  }
  // Cached replies that show the contact (task detail's customerInfo) are keyed by its version, which the update bumped.
  if (withPhone.length === 0) await advanceChangeSequence(tx, tenantId);
  return { contactId, casesChanged: withPhone.length, tracesRedacted, addressesRemoved };
}

/** opencase extension (POST /opencase/v1/contacts/{id}/erase): an admin erases a contact's personal data. */
export async function eraseContact(store: Store, tenant: TenantContext, contactId: string, now: number): Promise<ErasedContact> {
  await authorize(store, tenant, 'contact.erase');
  return store.transaction(async (tx) => eraseContactIn(tx, tenant.tenantId, contactId, await actingUser(tx, tenant, undefined, 'userId'), now));
}

/**
 * `opencase contact erase`: the operator names the admin the erasure is made for (by id), who is its trace's author;
 * through `cli`. A user who is no active admin is refused, as the API would refuse it.
 */
export async function eraseContactForAdmin(store: Store, tenantId: string, contactId: string, adminId: string, now: number): Promise<ErasedContact> {
  return store.transaction(async (tx) => {
    const admin = await createUsersRepository(tx).findUser(tenantId, adminId);
    if (!admin || admin.role !== 'admin' || admin.status !== 'active') {
      throw new ApiError('forbidden', `user ${adminId} is no active admin of tenant ${tenantId}: an erasure is made for an admin (--user or --login)`);
    }
    return eraseContactIn(tx, tenantId, contactId, { id: admin.id, name: admin.name, via: 'cli' }, now);
  });
}
