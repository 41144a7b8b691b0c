import type { Insertable } from 'kysely';
import { hashClientSecret } from '../auth/secrets.js';
import { createAuthRepository } from '../auth/repository.js';
import { createCaseTypesRepository } from '../case-types/repository.js';
import { createCasesRepository } from '../cases/repository.js';
import { createContactsRepository } from '../contacts/repository.js';
import { advanceSerialTo } from '../db/counters.js';
import type { Store } from '../db/store.js';
import type { CasesTable } from '../db/tables.js';
import { countNewCase } from '../statistics/changes.js';
import { writeTaskTrace } from '../tasks/changes.js';
import { createTasksRepository } from '../tasks/repository.js';
import { createUsersRepository } from '../users/repository.js';
import { parseWireDate } from '../wire/dates.js';
import { newId } from '../wire/ids.js';
import { callerLabel } from '../permissions/caller.js';
import {
  DEMO_ADDRESS, DEMO_CASE, DEMO_CASE_TYPE, DEMO_CLIENT, DEMO_CONTACT, DEMO_ORGANIZATION, DEMO_TASK, DEMO_TENANT, DEMO_USER,
} from './records.js';

function at(wallClock: string): number {
  const instant = parseWireDate(wallClock, DEMO_TENANT.timeZone);
  if (instant === null) throw new Error(`demo date ${wallClock} is not a valid date`);
  return instant;
}

/**
 * Creates the demo tenant unless it exists, in one transaction that starts by claiming the tenant's id: two
 * processes starting at once on one database (SQLite or PostgreSQL) create it exactly once. Returns whether this
 * call created it.
 */
export async function ensureDemoTenant(store: Store, now: number): Promise<boolean> {
  // Every `serve --demo` start (and every worker) lands here: skip the scrypt hash when the tenant is there already.
  // The claim below still decides when two processes race past this check.
  if (await createAuthRepository(store).findTenant(DEMO_TENANT.id)) return false;
  const secretHash = await hashClientSecret(DEMO_CLIENT.clientSecret);
  return store.transaction(async (tx) => {
    const auth = createAuthRepository(tx);
    const tenant_id = DEMO_TENANT.id;
    if (!(await auth.insertTenantIfAbsent({ id: tenant_id, name: DEMO_TENANT.name, time_zone: DEMO_TENANT.timeZone, created_at: now }))) return false;

    const demoAppId = newId('apiApp');
    await createUsersRepository(tx).insertUser({ tenant_id, id: DEMO_USER.id, name: DEMO_USER.name, created_at: at(DEMO_USER.createdDate), role: 'admin' });
    await auth.insertApiApp({
      tenant_id, id: demoAppId, name: 'demo', client_id: DEMO_CLIENT.clientId, client_secret_hash: secretHash, user_id: DEMO_USER.id, created_at: now,
    });

    const contacts = createContactsRepository(tx);
    await contacts.insertOrganization({
      tenant_id, id: DEMO_ORGANIZATION.id, organization_name: DEMO_ORGANIZATION.organizationName, created_at: at(DEMO_ORGANIZATION.createdDate),
    });
    await contacts.insertContact({
      tenant_id,
      id: DEMO_CONTACT.id,
      customer_name: DEMO_CONTACT.customerName,
      cell_phone1: DEMO_CONTACT.cellPhone1,
      email: DEMO_CONTACT.email,
      organization_id: DEMO_ORGANIZATION.id,
      bind_accounts_json: '[]',
      created_at: at(DEMO_CONTACT.createdDate),
      last_modified_at: at(DEMO_CONTACT.lastModifiedDate),
    });
    await contacts.insertAddress({ tenant_id, id: DEMO_ADDRESS.id, subject_id: DEMO_CONTACT.id, created_at: at(DEMO_ADDRESS.createdDate) });

    await createCaseTypesRepository(tx).insertCaseType({
      tenant_id,
      id: DEMO_CASE_TYPE.id,
      type_name: DEMO_CASE_TYPE.typeName,
      description: DEMO_CASE_TYPE.description,
      status: 'Active',
      case_statuses: DEMO_CASE_TYPE.caseStatuses.join(','),
      creator_id: DEMO_USER.id,
      created_at: at(DEMO_CASE_TYPE.createdDate),
      last_modified_by: DEMO_USER.id,
      last_modified_at: at(DEMO_CASE_TYPE.createdDate),
    });

    const demoCase: Insertable<CasesTable> = {
      tenant_id,
      id: DEMO_CASE.id,
      case_no: DEMO_CASE.caseNo,
      type_id: DEMO_CASE_TYPE.id,
      title: DEMO_CASE.title,
      description: DEMO_CASE.description,
      status: DEMO_CASE.status,
      state: DEMO_CASE.state,
      priority: DEMO_CASE.priority,
      origin: DEMO_CASE.origin,
      owner_id: DEMO_USER.id,
      contact_id: DEMO_CONTACT.id,
      creator_id: DEMO_USER.id,
      attachment: DEMO_CASE.attachment,
      due_at: at(DEMO_CASE.dueDate),
      created_at: at(DEMO_CASE.createdDate),
      last_modified_at: at(DEMO_CASE.createdDate),
    };
    await createCasesRepository(tx).insertCase(demoCase);
    await advanceSerialTo(tx, tenant_id, 'case_no', DEMO_CASE.caseNo);
    // The demo case counts in the statistics as a created one does.
    await countNewCase(tx, tenant_id, DEMO_TENANT.timeZone, demoCase);

    const tasks = createTasksRepository(tx);
    const createdAt = at(DEMO_TASK.createdDate);
    await tasks.insertTask({
      tenant_id,
      id: DEMO_TASK.id,
      task_no: DEMO_TASK.taskNo,
      title: DEMO_TASK.title,
      description: DEMO_TASK.description,
      relate_type: DEMO_TASK.relateType,
      relate_id: DEMO_CASE.id,
      owner_id: DEMO_USER.id,
      contact_id: DEMO_CONTACT.id,
      priority: DEMO_TASK.priority,
      status: DEMO_TASK.status,
      attachment: DEMO_TASK.attachment,
      creator_id: DEMO_USER.id,
      creator_name: DEMO_TASK.creatorName,
      due_at: at(DEMO_TASK.dueDate),
      created_at: createdAt,
      last_modified_at: createdAt,
      trace_count: 1,
    });
    await writeTaskTrace(tx, tenant_id, DEMO_TASK.id, 1, {
      type: 'CreateTask', operator: { id: DEMO_USER.id, name: DEMO_TASK.creatorName, via: callerLabel({ kind: 'app', appId: demoAppId }) }, changes: [],
    }, createdAt);
    await advanceSerialTo(tx, tenant_id, 'task_no', DEMO_TASK.taskNo);
    return true;
  });
}
