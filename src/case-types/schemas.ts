import { Type, type Static } from 'typebox';
import { Utf8Text } from '../wire/bytes.js';
import { Envelope } from '../wire/envelope.js';
import { CASE_TYPE_STATUSES } from '../wire/enums.js';
import { WireId } from '../wire/ids.js';
import { alphabetical, ListStart, Nullable, StringEnum } from '../wire/schema.js';

const Text = Nullable(Type.String());

/**
 * A case type's name, as caseType/list's typeName filter bounds it (AICC's table: 128 bytes), and each status of its
 * flow, as status/update and case/list take one (128 bytes): a name or status the AICC calls could not name is refused.
 */
export const CASE_TYPE_NAME_BYTES = 128;
export const CASE_STATUS_BYTES = 128;
const TypeName = Utf8Text(CASE_TYPE_NAME_BYTES, { minLength: 1 });

/**
 * caseType/list items and caseType/{id}'s caseTypeInfo. AICC's tables spell `tempalteId`, `contentTempalteId` and
 * `isStrctOrder` (sic), its captured example `templateId`, `contentTemplateId`, `isStrictOrder`: both spellings are
 * sent, with equal values, so that a client written from either works.
 */
const Spellings = {
  contentTempalteId: Text,
  contentTemplateId: Text,
  isStrctOrder: Type.Boolean(),
  isStrictOrder: Type.Boolean(),
  tempalteId: Text,
  templateId: Text,
};

export const CaseTypeListItem = Type.Object(alphabetical({
  ...Spellings,
  caseStatus: Type.String(),
  description: Text,
  id: Type.String(),
  parentId: Text,
  status: Type.String(),
  templateName: Text,
  typeName: Type.String(),
}));
export type CaseTypeListItem = Static<typeof CaseTypeListItem>;

export const CaseTypeInfo = Type.Object(alphabetical({
  ...Spellings,
  caseStatus: Type.String(),
  createdDate: Type.String(),
  creatorName: Text,
  description: Text,
  id: Type.String(),
  lastModifiedDate: Type.String(),
  lastModifiedName: Text,
  parentId: Text,
  status: Type.String(),
  templateName: Text,
  typeName: Type.String(),
}));
export type CaseTypeInfo = Static<typeof CaseTypeInfo>;

export const ListCaseTypesBody = Type.Object({
  start: ListStart,
  limit: Type.Integer({ minimum: 1, maximum: 100 }),
  typeName: Type.Optional(Utf8Text(CASE_TYPE_NAME_BYTES)),
  status: Type.Optional(StringEnum(CASE_TYPE_STATUSES)),
});
export type ListCaseTypesInput = Static<typeof ListCaseTypesBody>;

export const ListCaseTypesResponse = Envelope(Type.Object({ caseTypes: Type.Array(CaseTypeListItem), count: Type.Integer() }));

export const CaseTypeIdParams = Type.Object({ id: WireId });
export const CaseTypeDetailBody = Type.Object({ id: Type.Optional(WireId) });
export const CaseTypeDetailResponse = Envelope(Type.Object({ caseTypeInfo: CaseTypeInfo }));

/** Either spelling of the template and strict-order fields (see Spellings); both at once must agree. */
const SpellingInputs = {
  isStrctOrder: Type.Optional(Type.Boolean()),
  isStrictOrder: Type.Optional(Type.Boolean()),
  templateId: Type.Optional(Nullable(WireId)),
  tempalteId: Type.Optional(Nullable(WireId)),
  contentTemplateId: Type.Optional(Nullable(WireId)),
  contentTempalteId: Type.Optional(Nullable(WireId)),
};

/** opencase extension: a case type and its flow. `caseStatus` lists the flow's statuses in order, comma-separated. */
export const CreateCaseTypeBody = Type.Object({
  typeName: TypeName,
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  status: Type.Optional(StringEnum(CASE_TYPE_STATUSES)),
  caseStatus: Type.String({ minLength: 1, maxLength: 2000 }),
  ...SpellingInputs,
  parentId: Type.Optional(Nullable(WireId)),
  creatorId: Type.Optional(WireId),
});
export type CreateCaseTypeInput = Static<typeof CreateCaseTypeBody>;

export const UpdateCaseTypeBody = Type.Object({
  typeName: Type.Optional(TypeName),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  status: Type.Optional(StringEnum(CASE_TYPE_STATUSES)),
  caseStatus: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  ...SpellingInputs,
  parentId: Type.Optional(Nullable(WireId)),
  creatorId: Type.Optional(WireId),
});
export type UpdateCaseTypeInput = Static<typeof UpdateCaseTypeBody>;

export const CaseTypeCreatedResponse = Envelope(Type.Object({ caseTypeId: Type.String() }));
