import { Type, type Static } from 'typebox';
import { Nullable } from '../wire/schema.js';

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
