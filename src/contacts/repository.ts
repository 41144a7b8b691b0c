import type { Insertable } from 'kysely';
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
