import type { Insertable, Updateable } from 'kysely';
import { containsIgnoringCase } from '../db/like.js';
import type { Db } from '../db/database.js';
import type { AddressesTable, ContactsTable, OrganizationsTable } from '../db/tables.js';

export function createContactsRepository(db: Db) {
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

    async updateContact(tenantId: string, contactId: string, patch: Updateable<ContactsTable>): Promise<void> {
      await db.updateTable('contacts').set(patch).where('tenant_id', '=', tenantId).where('id', '=', contactId).execute();
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

    /** Newest first; customerName is a case-insensitive contains . */
    listContacts(tenantId: string, start: number, limit: number, nameContains?: string) {
      let query = db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId);
      if (nameContains !== undefined) query = query.where(containsIgnoringCase('customer_name', nameContains));
      return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(start).execute();
    },

    findContact(tenantId: string, contactId: string) {
      return db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', contactId).executeTakeFirst();
    },

    findOrganization(tenantId: string, organizationId: string) {
      return db.selectFrom('organizations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', organizationId).executeTakeFirst();
    },

    /** A contact's address as AICC shows one: the default shipping one if marked, else the oldest. */
    findPrimaryAddress(tenantId: string, contactId: string) {
      return db.selectFrom('addresses').selectAll()
        .where('tenant_id', '=', tenantId)
        .where('subject_id', '=', contactId)
        .orderBy('default_shipping_address', 'desc')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
    },
  };
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
