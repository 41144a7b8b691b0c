import { Type, type Static } from 'typebox';
import { BoundedJson } from '../wire/bytes.js';
import { WireDay } from '../wire/dates.js';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { Nullable, QueryInteger, QueryText } from '../wire/schema.js';

// Key order is alphabetical, as in AICC's example; fast-json-stringify writes keys in schema order.
// The misspellings `addtionalAddress` and `customFied` are AICC's own and kept on the wire.

const Text = Nullable(Type.String());

export const Address = Type.Object({
  addressLine1: Text,
  addressLine2: Text,
  addressLine3: Text,
  addressLine4: Text,
  addressLine5: Text,
  addtionalAddress: Text,
  area: Text,
  block: Text,
  buildingNo: Text,
  city: Text,
  country: Text,
  defaultBillingAddress: Type.Boolean(),
  defaultShippingAddress: Type.Boolean(),
  firstName: Text,
  id: Type.String(),
  label: Text,
  lastName: Text,
  middleName: Text,
  phoneNumber1: Text,
  phoneNumber2: Text,
  province: Text,
  roomNo: Text,
  street: Text,
  subjectId: Type.String(),
  title: Text,
  town: Text,
  zip: Text,
});
export type Address = Static<typeof Address>;

export const Organization = Type.Object({
  description: Text,
  email: Text,
  fax: Text,
  fixedPhone: Text,
  id: Type.String(),
  industry: Text,
  logo: Text,
  organizationName: Type.String(),
  scale: Text,
  summary: Text,
  website: Text,
});
export type Organization = Static<typeof Organization>;

/** The contact object AICC nests as `customerInfo.customerInfo` in task detail. */
export const ContactInfo = Type.Object({
  address: Nullable(Address),
  age: Nullable(Type.Integer()),
  bindAccount: Type.Array(Type.Unknown()),
  birthDay: Text,
  cellPhone1: Text,
  cellPhone2: Text,
  cellPhone3: Text,
  channel: Text,
  createdDate: Type.String(),
  customFied: Text,
  customerName: Text,
  description: Text,
  email: Text,
  email1: Text,
  email2: Text,
  fax: Text,
  firstName: Text,
  gender: Text,
  id: Type.String(),
  lastModifiedDate: Type.String(),
  lastName: Text,
  level: Text,
  middleName: Text,
  name: Text,
  nickName: Text,
  organization: Nullable(Organization),
  organizationId: Text,
  phone: Text,
  phone1: Text,
  phone2: Text,
  phone3: Text,
  picture: Text,
  remark: Text,
  status: Text,
  title: Text,
  website: Text,
});
export type ContactInfo = Static<typeof ContactInfo>;

export const CustomerInfo = Type.Object({ customerInfo: ContactInfo });
export type CustomerInfo = Static<typeof CustomerInfo>;

const Field = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })));

/** opencase extension: an address as written (the keys of AICC's address object, `addtionalAddress` included). */
export const AddressInput = Type.Object({
  addressLine1: Field(255), addressLine2: Field(255), addressLine3: Field(255), addressLine4: Field(255), addressLine5: Field(255),
  addtionalAddress: Field(255), area: Field(128), block: Field(128), buildingNo: Field(64), city: Field(128), country: Field(128),
  defaultBillingAddress: Type.Optional(Type.Boolean()), defaultShippingAddress: Type.Optional(Type.Boolean()),
  firstName: Field(128), label: Field(128), lastName: Field(128), middleName: Field(128), phoneNumber1: Field(32), phoneNumber2: Field(32),
  province: Field(128), roomNo: Field(64), street: Field(255), title: Field(128), town: Field(128), zip: Field(32),
});
export type AddressInput = Static<typeof AddressInput>;

export const OrganizationInput = Type.Object({
  organizationName: Type.String({ minLength: 1, maxLength: 255 }),
  description: Field(2000), email: Field(255), fax: Field(64), fixedPhone: Field(64), industry: Field(128), logo: Field(255),
  scale: Field(64), summary: Field(2000), website: Field(255),
});
export type OrganizationInput = Static<typeof OrganizationInput>;

/**
 * A contact's bound accounts are AICC's free JSON (its example shows `[]`; clients keep `{channel, account}` objects):
 * any JSON, bounded by its size and depth. Unbounded, 40 contacts of 1 MB made a contact list of 40 MB and took another
 * tenant's task detail from 2 ms to 0.4–1.3 s (p50) while 4 callers read it (issue 13, docs/security.md).
 */
export const MAX_BIND_ACCOUNTS = 50;
export const BIND_ACCOUNT_MAX_BYTES = 1024;
export const BIND_ACCOUNT_MAX_DEPTH = 4;
const BindAccount = BoundedJson({
  maxBytes: BIND_ACCOUNT_MAX_BYTES,
  maxDepth: BIND_ACCOUNT_MAX_DEPTH,
  description: `an account as the client keeps it, e.g. {"channel": "WEB", "account": "b1"}: any JSON, at most ${BIND_ACCOUNT_MAX_BYTES} bytes serialized, ${BIND_ACCOUNT_MAX_DEPTH} levels deep`,
});

const contactFields = {
  name: Field(128), firstName: Field(128), middleName: Field(128), lastName: Field(128), nickName: Field(128), title: Field(128),
  gender: Field(32), age: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 200 }))),
  birthDay: Type.Optional(Nullable(WireDay)),
  cellPhone1: Field(32), cellPhone2: Field(32), cellPhone3: Field(32), phone: Field(32), phone1: Field(32), phone2: Field(32), phone3: Field(32),
  email: Field(255), email1: Field(255), email2: Field(255), fax: Field(64), website: Field(255), picture: Field(255), channel: Field(64),
  level: Field(64), status: Field(64), remark: Field(2000), description: Field(2000), customFied: Field(4000),
  bindAccount: Type.Optional(Type.Array(BindAccount, { maxItems: MAX_BIND_ACCOUNTS })),
  organizationId: Type.Optional(Nullable(WireId)),
  organization: Type.Optional(OrganizationInput),
  address: Type.Optional(AddressInput),
};

/** opencase extension: a contact (the record behind `customerInfo`) with, optionally, its address and organization. */
export const CreateContactBody = Type.Object({ customerName: Type.String({ minLength: 1, maxLength: 128 }), ...contactFields });
export type CreateContactInput = Static<typeof CreateContactBody>;

/** Fields sent are changed, null clears; `address` updates the contact's address (creating it if it has none). */
export const UpdateContactBody = Type.Object({ customerName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })), ...contactFields });
export type UpdateContactInput = Static<typeof UpdateContactBody>;

export const ContactIdParams = Type.Object({ id: WireId });
export const ContactsQuery = Type.Object({
  start: Type.Optional(QueryInteger), limit: Type.Optional(QueryInteger), customerName: Type.Optional(QueryText(128)),
});
export const CreateContactResponse = Envelope(Type.Object({ contactId: Type.String() }));
export const ContactResponse = Envelope(CustomerInfo);
export const ListContactsResponse = Envelope(Type.Object({ contacts: Type.Array(ContactInfo), count: Type.Integer() }));

/** What an erasure did: the contact's cases whose phone copy was blanked, the traces redacted, the addresses removed. */
export const ErasedContact = Type.Object({
  contactId: Type.String(),
  casesChanged: Type.Integer({ description: 'cases whose copy of the phone was blanked, each with an EraseContact trace' }),
  tracesRedacted: Type.Integer({ description: 'earlier traces of its cases whose phone values now read [erased]' }),
  addressesRemoved: Type.Integer(),
});
export type ErasedContact = Static<typeof ErasedContact>;
export const EraseContactResponse = Envelope(ErasedContact);
