import { authorize } from '../permissions/checks.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TenantContext } from '../auth/service.js';
import { advanceChangeSequence } from '../db/counters.js';
import type { Store, Tx } from '../db/store.js';
import type { AddressesTable, ContactsTable, OrganizationsTable } from '../db/tables.js';
import { fitRows, nextStart, partialPage } from '../lists/reply-bound.js';
import { formatWireDate } from '../wire/dates.js';
import { ApiError } from '../wire/errors.js';
import { newId } from '../wire/ids.js';
import { ADDRESS_COLUMNS, columnsOf, CONTACT_COLUMNS, ORGANIZATION_COLUMNS } from './columns.js';
import { createContactsRepository } from './repository.js';
import type {
  Address, ContactInfo, CreateContactInput, CustomerInfo, Organization, OrganizationInput, UpdateContactInput,
} from './schemas.js';

function toAddress(row: Selectable<AddressesTable>): Address {
  return {
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    addressLine3: row.address_line3,
    addressLine4: row.address_line4,
    addressLine5: row.address_line5,
    addtionalAddress: row.additional_address,
    area: row.area,
    block: row.block,
    buildingNo: row.building_no,
    city: row.city,
    country: row.country,
    defaultBillingAddress: row.default_billing_address === 1,
    defaultShippingAddress: row.default_shipping_address === 1,
    firstName: row.first_name,
    id: row.id,
    label: row.label,
    lastName: row.last_name,
    middleName: row.middle_name,
    phoneNumber1: row.phone_number1,
    phoneNumber2: row.phone_number2,
    province: row.province,
    roomNo: row.room_no,
    street: row.street,
    subjectId: row.subject_id,
    title: row.title,
    town: row.town,
    zip: row.zip,
  };
}

function toOrganization(row: Selectable<OrganizationsTable>): Organization {
  return {
    description: row.description,
    email: row.email,
    fax: row.fax,
    fixedPhone: row.fixed_phone,
    id: row.id,
    industry: row.industry,
    logo: row.logo,
    organizationName: row.organization_name,
    scale: row.scale,
    summary: row.summary,
    website: row.website,
  };
}

function parseBindAccounts(json: string): unknown[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed : [];
}

function toContactInfo(
  row: Selectable<ContactsTable>,
  address: Selectable<AddressesTable> | undefined,
  organization: Selectable<OrganizationsTable> | undefined,
  timeZone: string,
): ContactInfo {
  return {
    address: address ? toAddress(address) : null,
    age: row.age,
    bindAccount: parseBindAccounts(row.bind_accounts_json),
    birthDay: row.birth_day,
    cellPhone1: row.cell_phone1,
    cellPhone2: row.cell_phone2,
    cellPhone3: row.cell_phone3,
    channel: row.channel,
    createdDate: formatWireDate(row.created_at, timeZone),
    customFied: row.custom_field,
    customerName: row.customer_name,
    description: row.description,
    email: row.email,
    email1: row.email1,
    email2: row.email2,
    fax: row.fax,
    firstName: row.first_name,
    gender: row.gender,
    id: row.id,
    lastModifiedDate: formatWireDate(row.last_modified_at, timeZone),
    lastName: row.last_name,
    level: row.level,
    middleName: row.middle_name,
    name: row.name,
    nickName: row.nick_name,
    organization: organization ? toOrganization(organization) : null,
    organizationId: row.organization_id,
    phone: row.phone,
    phone1: row.phone1,
    phone2: row.phone2,
    phone3: row.phone3,
    picture: row.picture,
    remark: row.remark,
    status: row.status,
    title: row.title,
    website: row.website,
  };
}

/** The `customerInfo` object of task and case detail; null when there is no contact (or it has gone). */
export async function loadCustomerInfo(store: Store, tenantId: string, contactId: string | null, timeZone: string): Promise<CustomerInfo | null> {
  return (await loadCustomer(store, tenantId, contactId, timeZone)).info;
}

/**
 * `customerInfo` with the contact's version (which every change of it, its address or its organization moves), for a
 * detail response's version stamp; both null when there is no contact. The address is read beside the contact, not
 * after it: on PostgreSQL each step is a round trip.
 */
export async function loadCustomer(
  store: Store, tenantId: string, contactId: string | null, timeZone: string,
): Promise<{ info: CustomerInfo | null; version: Selectable<ContactsTable>['version'] | null }> {
  if (!contactId) return { info: null, version: null };
  const repository = createContactsRepository(store);
  const [contact, address] = await Promise.all([repository.findContact(tenantId, contactId), repository.findPrimaryAddress(tenantId, contactId)]);
  if (!contact) return { info: null, version: null };
  const organization = contact.organization_id ? await repository.findOrganization(tenantId, contact.organization_id) : undefined;
  return { info: { customerInfo: toContactInfo(contact, address, organization, timeZone) }, version: contact.version };
}

function notFound(contactId: string): ApiError {
  return new ApiError('recordNotFound', `contact ${contactId} does not exist`);
}

/** opencase extension: a contact of the caller's tenant as `customerInfo` shows it. */
export async function getContact(store: Store, tenant: TenantContext, contactId: string): Promise<CustomerInfo> {
  await authorize(store, tenant, 'contact.read');
  const info = await loadCustomerInfo(store, tenant.tenantId, contactId, tenant.timeZone);
  if (!info) throw notFound(contactId);
  return info;
}

/**
 * opencase extension: contacts newest first, each as `customerInfo.customerInfo` shows it, with the total, as many as
 * a reply of `replyLimitBytes` holds (then `partial` says so: lists/reply-bound.ts). The page's accounts are sized
 * before its rows are read: a row stored before bindAccount had a bound holds up to the body limit of them, and
 * reading 41 of 1 MB for a page of 20 cost another tenant's task detail 2.7 s (p50) under 4 callers (issue 13).
 */
export async function listContacts(
  store: Store, tenant: TenantContext, start: number, limit: number, customerName: string | undefined, replyLimitBytes: number,
): Promise<{ page: { contacts: ContactInfo[]; count: number }; partial: string | undefined }> {
  await authorize(store, tenant, 'contact.read');
  const repository = createContactsRepository(store);
  const [count, sizes] = await Promise.all([
    repository.countContacts(tenant.tenantId, customerName),
    repository.listContactSizes(tenant.tenantId, start, limit, customerName),
  ]);
  let accounts = 0;
  const read = sizes.filter((size, index) => {
    accounts += Number(size.accounts_bytes);
    return index === 0 || accounts <= replyLimitBytes;
  }).map((size) => size.id);
  const byId = new Map((await repository.findContacts(tenant.tenantId, read)).map((row) => [row.id, row]));
  const rows = read.flatMap((id) => byId.get(id) ?? []);
  const contacts: ContactInfo[] = [];
  for (const row of rows) {
    const [address, organization] = await Promise.all([
      repository.findPrimaryAddress(tenant.tenantId, row.id),
      row.organization_id ? repository.findOrganization(tenant.tenantId, row.organization_id) : undefined,
    ]);
    contacts.push(toContactInfo(row, address, organization, tenant.timeZone));
  }
  const fitted = fitRows(contacts, replyLimitBytes, nextStart(start));
  const cut = fitted.rows.length < sizes.length;
  return {
    page: { contacts: fitted.rows, count },
    partial: cut ? partialPage(fitted.rows.length, sizes.length, replyLimitBytes, nextStart(start)) : undefined,
  };
}

/** The organization a write names: an existing one by id, or a new one from its fields (not both). */
async function organizationFor(tx: Tx, tenantId: string, input: { organizationId?: string | null; organization?: OrganizationInput }, now: number) {
  if (input.organization && input.organizationId) throw new ApiError('invalidRequest', 'send organizationId or organization, not both');
  const repository = createContactsRepository(tx);
  if (input.organization) {
    const id = newId('organization');
    await repository.insertOrganization({
      ...(columnsOf(input.organization, ORGANIZATION_COLUMNS) as Insertable<OrganizationsTable>), tenant_id: tenantId, id, created_at: now,
    });
    return id;
  }
  if (input.organizationId && !(await repository.findOrganization(tenantId, input.organizationId))) {
    throw new ApiError('invalidRequest', `organizationId ${input.organizationId} is not an organization of this tenant`);
  }
  return input.organizationId;
}

/** opencase extension: a contact, with its address and organization when given, in one transaction. */
export async function createContact(store: Store, tenant: TenantContext, input: CreateContactInput, now: number): Promise<{ contactId: string }> {
  await authorize(store, tenant, 'contact.write');
  return store.transaction(async (tx) => {
    const repository = createContactsRepository(tx);
    const organizationId = await organizationFor(tx, tenant.tenantId, input, now);
    const contactId = newId('contact');
    await repository.insertContact({
      ...(columnsOf(input, CONTACT_COLUMNS) as Insertable<ContactsTable>),
      tenant_id: tenant.tenantId,
      id: contactId,
      customer_name: input.customerName,
      organization_id: organizationId ?? null,
      bind_accounts_json: JSON.stringify(input.bindAccount ?? []),
      created_at: now,
      last_modified_at: now,
    });
    if (input.address) {
      await repository.insertAddress({
        ...(columnsOf(input.address, ADDRESS_COLUMNS) as Insertable<AddressesTable>), tenant_id: tenant.tenantId, id: newId('address'), subject_id: contactId, created_at: now,
      });
    }
    return { contactId };
  });
}

/** opencase extension: changes the fields sent (null clears); `address` updates the contact's address or adds one. */
export async function updateContact(store: Store, tenant: TenantContext, contactId: string, input: UpdateContactInput, now: number): Promise<void> {
  await authorize(store, tenant, 'contact.write');
  await store.transaction(async (tx) => {
    const repository = createContactsRepository(tx);
    // Locked first, then its address, then the change sequence (docs/semantics.md, "Lock order"): two updates of one
    // contact queue here, so the second sees the address the first may add instead of adding another.
    if (!(await repository.findContactForChange(tenant.tenantId, contactId))) throw notFound(contactId);
    const organizationId = await organizationFor(tx, tenant.tenantId, input, now);
    await repository.updateContact(tenant.tenantId, contactId, {
      ...(columnsOf(input, CONTACT_COLUMNS) as Updateable<ContactsTable>),
      ...(organizationId !== undefined && { organization_id: organizationId }),
      ...(input.bindAccount !== undefined && { bind_accounts_json: JSON.stringify(input.bindAccount) }),
      last_modified_at: now,
    });
    const addressColumns = input.address ? columnsOf(input.address, ADDRESS_COLUMNS) : {};
    // An empty address object changes nothing (found by the fuzz tests: it reached the database as an empty UPDATE).
    if (Object.keys(addressColumns).length > 0) {
      const current = await repository.findPrimaryAddress(tenant.tenantId, contactId);
      const columns = addressColumns;
      if (current) await repository.updateAddress(tenant.tenantId, current.id, columns as Updateable<AddressesTable>);
      else await repository.insertAddress({ ...(columns as Insertable<AddressesTable>), tenant_id: tenant.tenantId, id: newId('address'), subject_id: contactId, created_at: now });
    }
    await advanceChangeSequence(tx, tenant.tenantId);
  });
}
