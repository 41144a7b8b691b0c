import type { Selectable } from 'kysely';
import type { CasesTable } from '../db/tables.js';
import { formatWireDate } from '../wire/dates.js';
import { formatSerialNumber } from '../wire/numbers.js';
import type { CaseInfo } from './schemas.js';

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
