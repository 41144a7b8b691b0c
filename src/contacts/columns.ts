import type { AddressesTable, ContactsTable, OrganizationsTable } from '../db/tables.js';
import type { AddressInput, CreateContactInput, OrganizationInput } from './schemas.js';

// Wire names to columns for the contact extension's writes (reads map explicitly in service.ts).

type ScalarContactKey = Exclude<keyof CreateContactInput, 'bindAccount' | 'organization' | 'address'>;

export const CONTACT_COLUMNS: Record<ScalarContactKey, keyof ContactsTable> = {
  customerName: 'customer_name', name: 'name', firstName: 'first_name', middleName: 'middle_name', lastName: 'last_name',
  nickName: 'nick_name', title: 'title', gender: 'gender', age: 'age', birthDay: 'birth_day', cellPhone1: 'cell_phone1',
  cellPhone2: 'cell_phone2', cellPhone3: 'cell_phone3', phone: 'phone', phone1: 'phone1', phone2: 'phone2', phone3: 'phone3',
  email: 'email', email1: 'email1', email2: 'email2', fax: 'fax', website: 'website', picture: 'picture', channel: 'channel',
  level: 'level', status: 'status', remark: 'remark', description: 'description', customFied: 'custom_field', organizationId: 'organization_id',
};

export const ADDRESS_COLUMNS: Record<keyof AddressInput, keyof AddressesTable> = {
  addressLine1: 'address_line1', addressLine2: 'address_line2', addressLine3: 'address_line3', addressLine4: 'address_line4',
  addressLine5: 'address_line5', addtionalAddress: 'additional_address', area: 'area', block: 'block', buildingNo: 'building_no',
  city: 'city', country: 'country', defaultBillingAddress: 'default_billing_address', defaultShippingAddress: 'default_shipping_address',
  firstName: 'first_name', label: 'label', lastName: 'last_name', middleName: 'middle_name', phoneNumber1: 'phone_number1',
  phoneNumber2: 'phone_number2', province: 'province', roomNo: 'room_no', street: 'street', title: 'title', town: 'town', zip: 'zip',
};

export const ORGANIZATION_COLUMNS: Record<keyof OrganizationInput, keyof OrganizationsTable> = {
  organizationName: 'organization_name', description: 'description', email: 'email', fax: 'fax', fixedPhone: 'fixed_phone',
  industry: 'industry', logo: 'logo', scale: 'scale', summary: 'summary', website: 'website',
};

/** The columns for the wire fields present in `input` (booleans as 0/1); absent fields are left out. */
export function columnsOf<K extends string, C extends string>(input: Partial<Record<K, unknown>>, columns: Record<K, C>): Partial<Record<C, unknown>> {
  const out: Partial<Record<C, unknown>> = {};
  for (const key of Object.keys(columns) as K[]) {
    const value = input[key];
    if (value !== undefined) out[columns[key]] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return out;
}
