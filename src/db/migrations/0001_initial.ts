import type { Kysely } from 'kysely';

/**
 * The first schema: every table the task-detail answer reads, and the tenancy and credentials behind it.
 * Every row carries tenant_id and every record table is keyed by (tenant_id, id), so that a lookup by id is
 * always also a lookup within one tenant, on the primary key. Instants are epoch milliseconds (bigint);
 * flags are 0/1 integers so that both dialects read them the same way.
 */
/** The history of tasks or of cases: one table each, of one shape. Rows are only ever inserted. */
async function createTraceTable(db: Kysely<unknown>, table: 'task_traces' | 'case_traces', recordColumn: 'task_id' | 'case_id'): Promise<void> {
  await db.schema.createTable(table)
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn(recordColumn, 'text', (c) => c.notNull())
    // 1, 2, 3… within the record: the order of its history, independent of clock resolution.
    .addColumn('position', 'integer', (c) => c.notNull())
    // The tenant-wide order of all traces, task and case alike, taken from a counter row under lock so that it
    // is also commit order: the trace export's cursor never passes a trace that commits later.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('creator_name', 'text', (c) => c.notNull())
    .addColumn('related_id', 'text')
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    .addColumn('attachment', 'text')
    // What the change did, field by field: [{"field","from","to"}] in wire values; null when nothing was changed.
    .addColumn('changes_json', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk`, ['tenant_id', 'id'])
    .addUniqueConstraint(`${table}_position_unique`, ['tenant_id', recordColumn, 'position'])
    .addUniqueConstraint(`${table}_seq_unique`, ['tenant_id', 'seq'])
    .execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('users')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema.createTable('api_apps')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('client_secret_hash', 'text', (c) => c.notNull())
    // The machine user the app acts as (AICC binds each OAuth record to one): the operator when a call names none.
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addPrimaryKeyConstraint('api_apps_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema.createTable('access_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('access_tokens_app_idx').on('access_tokens').columns(['tenant_id', 'app_id']).execute();
  await db.schema.createIndex('access_tokens_expiry_idx').on('access_tokens').column('expires_at').execute();

  await db.schema.createTable('organizations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('organization_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('email', 'text')
    .addColumn('fax', 'text')
    .addColumn('fixed_phone', 'text')
    .addColumn('industry', 'text')
    .addColumn('logo', 'text')
    .addColumn('scale', 'text')
    .addColumn('summary', 'text')
    .addColumn('website', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organizations_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema.createTable('contacts')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'text')
    .addColumn('name', 'text')
    .addColumn('first_name', 'text')
    .addColumn('middle_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('nick_name', 'text')
    .addColumn('title', 'text')
    .addColumn('gender', 'text')
    .addColumn('age', 'integer')
    .addColumn('birth_day', 'text')
    .addColumn('cell_phone1', 'text')
    .addColumn('cell_phone2', 'text')
    .addColumn('cell_phone3', 'text')
    .addColumn('phone', 'text')
    .addColumn('phone1', 'text')
    .addColumn('phone2', 'text')
    .addColumn('phone3', 'text')
    .addColumn('email', 'text')
    .addColumn('email1', 'text')
    .addColumn('email2', 'text')
    .addColumn('fax', 'text')
    .addColumn('website', 'text')
    .addColumn('picture', 'text')
    .addColumn('channel', 'text')
    .addColumn('level', 'text')
    .addColumn('status', 'text')
    .addColumn('remark', 'text')
    .addColumn('description', 'text')
    .addColumn('custom_field', 'text')
    .addColumn('bind_accounts_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('organization_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    // Bumped by every change of the contact, its address or its organization: part of a detail response's stamp.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('contacts_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema.createTable('addresses')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('title', 'text')
    .addColumn('first_name', 'text')
    .addColumn('middle_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('country', 'text')
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('town', 'text')
    .addColumn('area', 'text')
    .addColumn('street', 'text')
    .addColumn('block', 'text')
    .addColumn('building_no', 'text')
    .addColumn('room_no', 'text')
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('address_line3', 'text')
    .addColumn('address_line4', 'text')
    .addColumn('address_line5', 'text')
    .addColumn('additional_address', 'text')
    .addColumn('zip', 'text')
    .addColumn('phone_number1', 'text')
    .addColumn('phone_number2', 'text')
    .addColumn('default_billing_address', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_shipping_address', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('addresses_pk', ['tenant_id', 'id'])
    .execute();
  // Matches findPrimaryAddress's order, so the contact's address is read from the index without a sort.
  await db.schema.createIndex('addresses_subject_idx').on('addresses')
    .columns(['tenant_id', 'subject_id', 'default_shipping_address desc', 'created_at', 'id']).execute();

  await db.schema.createTable('case_types')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('case_statuses', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text')
    .addColumn('content_template_id', 'text')
    .addColumn('parent_id', 'text')
    .addColumn('is_strict_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('creator_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_by', 'text')
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_types_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('case_types_name_unique', ['tenant_id', 'type_name'])
    .execute();

  await db.schema.createTable('cases')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('case_no', 'bigint', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'text')
    .addColumn('origin', 'text')
    .addColumn('parent_id', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('owner_type', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('contact_id', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('creator_id', 'text')
    .addColumn('external_no', 'text')
    .addColumn('reason', 'text')
    .addColumn('is_upgraded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attachment', 'text')
    .addColumn('due_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addColumn('stay_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('suspended_at', 'bigint')
    .addColumn('suspend_accumulated_minutes', 'integer')
    .addColumn('cancelled_at', 'bigint')
    .addColumn('be_id', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transfer_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Same role as tasks.trace_count: the next trace's position, taken under the row's lock.
    .addColumn('trace_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('cases_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('cases_case_no_unique', ['tenant_id', 'case_no'])
    .execute();
  await db.schema.createIndex('cases_created_idx').on('cases').columns(['tenant_id', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('cases_owner_idx').on('cases').columns(['tenant_id', 'owner_id', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('cases_creator_idx').on('cases').columns(['tenant_id', 'creator_id', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('cases_contact_idx').on('cases').columns(['tenant_id', 'contact_id', 'created_at desc']).execute();

  await createTraceTable(db, 'case_traces', 'case_id');

  // Who follows which case: the `isFollower` of case detail and the Follow classification of case/list.
  await db.schema.createTable('case_followers')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_followers_pk', ['tenant_id', 'case_id', 'user_id'])
    .execute();
  await db.schema.createIndex('case_followers_user_idx').on('case_followers').columns(['tenant_id', 'user_id']).execute();

  // Queues a case can be transferred to (case/transfer with ownerType "queue").
  await db.schema.createTable('queues')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('queues_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema.createTable('tasks')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('task_no', 'bigint', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('relate_type', 'text')
    .addColumn('relate_id', 'text')
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('priority', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attachment', 'text')
    .addColumn('creator_id', 'text', (c) => c.notNull())
    // The creator's name as recorded when the task was made: history is not rewritten by a later rename.
    .addColumn('creator_name', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addColumn('stay_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    // Traces written so far: advanced by the UPDATE that records a change, which also locks the row on
    // PostgreSQL, so the next trace's position is never taken twice.
    .addColumn('trace_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('tasks_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('tasks_task_no_unique', ['tenant_id', 'task_no'])
    .execute();
  await db.schema.createIndex('tasks_relate_idx').on('tasks').columns(['tenant_id', 'relate_id']).execute();
  // Lists are newest first within a tenant, alone or filtered by owner, creator or status.
  await db.schema.createIndex('tasks_created_idx').on('tasks').columns(['tenant_id', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('tasks_owner_idx').on('tasks').columns(['tenant_id', 'owner_id', 'status', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('tasks_creator_idx').on('tasks').columns(['tenant_id', 'creator_id', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('tasks_status_idx').on('tasks').columns(['tenant_id', 'status', 'created_at desc', 'id desc']).execute();

  await createTraceTable(db, 'task_traces', 'task_id');

  // Task and case numbers: one row per tenant and sequence, advanced under the write lock, never max()+1.
  await db.schema.createTable('tenant_counters')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_counters_pk', ['tenant_id', 'name'])
    .execute();
}
