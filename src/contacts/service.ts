import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { AddressesTable, ContactsTable, OrganizationsTable } from '../db/tables.js';
import { formatWireDate } from '../wire/dates.js';
import { createContactsRepository } from './repository.js';
import type { Address, ContactInfo, CustomerInfo, Organization } from './schemas.js';

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
export async function loadCustomerInfo(db: Db, tenantId: string, contactId: string | null, timeZone: string): Promise<CustomerInfo | null> {
  if (!contactId) return null;
  const repository = createContactsRepository(db);
  const contact = await repository.findContact(tenantId, contactId);
  if (!contact) return null;
  const [address, organization] = await Promise.all([
    repository.findPrimaryAddress(tenantId, contactId),
    contact.organization_id ? repository.findOrganization(tenantId, contact.organization_id) : undefined,
  ]);
  return { customerInfo: toContactInfo(contact, address, organization, timeZone) };
}
