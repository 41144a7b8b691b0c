import { Type, type Static } from 'typebox';
import { Nullable } from '../wire/schema.js';

const Text = Nullable(Type.String());

/**
 * A case as task detail's `caseInfos` items show it: the 24 fields of the seed's table 6, alphabetical,
 * with AICC's misspelling `extternalNo` kept on the wire.
 */
export const CaseInfo = Type.Object({
  attachment: Text,
  caseNo: Type.String(),
  closedDate: Text,
  contactId: Text,
  contactPhone: Text,
  createdDate: Type.String(),
  creatorId: Text,
  description: Type.String(),
  dueDate: Text,
  extternalNo: Text,
  id: Type.String(),
  isUpgraded: Type.Boolean(),
  origin: Text,
  ownerId: Text,
  parentId: Text,
  priority: Text,
  reason: Text,
  state: Type.String(),
  status: Type.String(),
  stayDate: Text,
  suspendAccumulatedTime: Nullable(Type.Integer()),
  suspendDate: Text,
  title: Text,
  type: Type.String(),
});
export type CaseInfo = Static<typeof CaseInfo>;
