import type { Insertable, Updateable } from 'kysely';
import { containsIgnoringCase } from '../db/like.js';
import { lockedForChange } from '../db/database.js';
import { repository, type Db, type Queryable, type Tx } from '../db/store.js';
import { preparedQuery } from '../db/prepared.js';
import type { AddressesTable, ContactsTable, OrganizationsTable } from '../db/tables.js';

// The customerInfo queries, prepared once (see db/prepared.ts): task and case detail run them on every request.
const contactById = preparedQuery('contacts.byId', (db: Db, tenantId: string, contactId: string) =>
  db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', contactId));

const organizationById = preparedQuery('contacts.organizationById', (db: Db, tenantId: string, organizationId: string) =>
  db.selectFrom('organizations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', organizationId));

const primaryAddress = preparedQuery('contacts.primaryAddress', (db: Db, tenantId: string, contactId: string) => db.selectFrom('addresses')
  .selectAll()
  .where('tenant_id', '=', tenantId)
  .where('subject_id', '=', contactId)
  .orderBy('default_shipping_address', 'desc')
  .orderBy('created_at')
  .orderBy('id')
  .limit(1));

function contactsQueries(q: Queryable) {
  const db = q.db;
  return {
    async insertOrganization(organization: Insertable<OrganizationsTable>): Promise<void> {
      await db.insertInto('organizations').values(organization).execute();
    },

    async insertContact(contact: Insertable<ContactsTable>): Promise<void> {
      await db.insertInto('contacts').values(contact).execute();
    },

    async insertAddress(address: Insertable<AddressesTable>): Promise<void> {
      await db.insertInto('addresses').values(address).execute();
    },

    /** Changes a contact and bumps its version, so that cached responses showing it are recomputed. */
    async updateContact(tenantId: string, contactId: string, patch: Updateable<ContactsTable>): Promise<void> {
      await db.updateTable('contacts').set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
        .where('tenant_id', '=', tenantId).where('id', '=', contactId).execute();
    },

    /** Removes a contact's addresses (its erasure): how many there were. */
    async deleteAddresses(tenantId: string, contactId: string): Promise<number> {
      const rows = await db.deleteFrom('addresses').where('tenant_id', '=', tenantId).where('subject_id', '=', contactId).returning('id').execute();
      return rows.length;
    },

    async updateAddress(tenantId: string, addressId: string, patch: Updateable<AddressesTable>): Promise<void> {
      await db.updateTable('addresses').set(patch).where('tenant_id', '=', tenantId).where('id', '=', addressId).execute();
    },

    async countContacts(tenantId: string, nameContains?: string): Promise<number> {
      let query = db.selectFrom('contacts').where('tenant_id', '=', tenantId);
      if (nameContains !== undefined) query = query.where(containsIgnoringCase('customer_name', nameContains));
      const row = await query.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /**
     * A page's contacts, newest first (customerName a case-insensitive contains), as ids with the bytes of their
     * accounts' JSON: the one column that had no bound before issue 13, sized before the rows are read. octet_length
     * (SQLite 3.43 and later, PostgreSQL) takes the size without reading the value: 4 callers listing past 41 such
     * rows of 1 MB took 3.9 s, 7.7 s with length(), which reads them.
     */
    listContactSizes(tenantId: string, start: number, limit: number, nameContains?: string) {
      let query = db.selectFrom('contacts').select((eb) => ['id', eb.fn<number | string>('octet_length', ['bind_accounts_json']).as('accounts_bytes')])
        .where('tenant_id', '=', tenantId);
      if (nameContains !== undefined) query = query.where(containsIgnoringCase('customer_name', nameContains));
      return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(start).execute();
    },

    /** The contacts of these ids, in no order. */
    findContacts(tenantId: string, contactIds: string[]) {
      if (contactIds.length === 0) return Promise.resolve([]);
      return db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', contactIds).execute();
    },

    async findContact(tenantId: string, contactId: string) {
      return (await contactById(q, tenantId, contactId))[0];
    },

    async findOrganization(tenantId: string, organizationId: string) {
      return (await organizationById(q, tenantId, organizationId))[0];
    },

    /** A contact's address as AICC shows one: the default shipping one if marked, else the oldest. */
    async findPrimaryAddress(tenantId: string, contactId: string) {
      return (await primaryAddress(q, tenantId, contactId))[0];
    },
  };
}

/** What only a change may do: locked reads, and the writes a trace goes with. */
function contactsChanges(tx: Tx) {
  const db = tx.db;
  return {
    /** The contact a change is about to be based on, locked against concurrent changes of it until the transaction ends. */
    findContactForChange(tenantId: string, contactId: string) {
      return lockedForChange(tx, db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', contactId)).executeTakeFirst();
    },
  };
}

export const createContactsRepository = repository(contactsQueries, contactsChanges);

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
