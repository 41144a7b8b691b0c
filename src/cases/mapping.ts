import type { Selectable } from 'kysely';
import type { CasesTable } from '../db/tables.js';
import { formatWireDate } from '../wire/dates.js';
import { formatSerialNumber } from '../wire/numbers.js';
import type { CaseDetailInfo, CaseInfo, CaseListItem } from './schemas.js';

export function toCaseInfo(row: Selectable<CasesTable>, timeZone: string): CaseInfo {
  return {
    attachment: row.attachment,
    caseNo: formatSerialNumber(row.case_no),
    closedDate: formatWireDate(row.closed_at, timeZone),
    contactId: row.contact_id,
    contactPhone: row.contact_phone,
    createdDate: formatWireDate(row.created_at, timeZone),
    creatorId: row.creator_id,
    description: row.description,
    dueDate: formatWireDate(row.due_at, timeZone),
    extternalNo: row.external_no,
    id: row.id,
    isUpgraded: row.is_upgraded === 1,
    origin: row.origin,
    ownerId: row.owner_id,
    parentId: row.parent_id,
    priority: row.priority,
    reason: row.reason,
    state: row.state,
    status: row.status,
    stayDate: formatWireDate(row.stay_at, timeZone),
    suspendAccumulatedTime: row.suspend_accumulated_minutes,
    suspendDate: formatWireDate(row.suspended_at, timeZone),
    title: row.title,
    type: row.type_id,
  };
}

/** The AppCube object type AICC's case list names in `type.__objectType`. */
export const CASE_TYPE_OBJECT = 'AICC__CaseType__CST';

export function toCaseListItem(row: Selectable<CasesTable> & { type_name: string | null }, timeZone: string): CaseListItem {
  const { attachment: _attachment, description: _description, ...listed } = toCaseInfo(row, timeZone);
  return {
    ...listed,
    isCanced: row.is_cancelled === 1,
    isSuspend: row.suspended_at !== null,
    'type.__objectType': CASE_TYPE_OBJECT,
    'type.name': row.type_name,
    typeName: row.type_name,
  };
}

/** 查询工单详情's caseInfo: the case, the names of its creator and owner, and the platform's raw keys (see schemas.ts). */
export function toCaseDetailInfo(
  row: Selectable<CasesTable> & { type_name: string | null; creator_name: string | null; owner_name: string | null }, timeZone: string,
): CaseDetailInfo {
  return {
    ...toCaseInfo(row, timeZone),
    creatorName: row.creator_name,
    ownerName: row.owner_name,
    AICC__IsCanced__CST: row.is_cancelled === 1,
    AICC__IsSuspend__CST: row.suspended_at !== null,
    'AICC__Origin__CST.name': row.origin,
    'AICC__Priority__CST.name': row.priority,
    'AICC__Reason__CST.name': row.reason,
    'AICC__State__CST.name': row.state,
    'AICC__Status__CST.name': row.status,
    'AICC__Type__CST.__objectType': CASE_TYPE_OBJECT,
    'AICC__Type__CST.name': row.type_name,
  };
}
