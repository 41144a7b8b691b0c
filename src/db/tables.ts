import type { Generated } from 'kysely';
import type { WireProfile } from '../wire/profile.js';

/**
 * Row types as the database holds them. Instants are epoch milliseconds, flags 0/1; `wire/` turns them into
 * AICC's shapes. Keep in step with migrations/.
 */
export interface TenantsTable {
  id: string;
  name: string;
  time_zone: string;
  created_at: number;
  /** The wire profile's switches (wire/profile.ts), one column each. */
  wire_case_detail_result: Generated<WireProfile['caseDetailResult']>;
  wire_task_list_result: Generated<WireProfile['taskListResult']>;
  wire_success_message: Generated<WireProfile['successMessage']>;
  wire_unknown_fields: Generated<WireProfile['unknownFields']>;
}

/** Who a user is allowed to be (permissions/table.ts). */
export type Role = 'agent' | 'supervisor' | 'admin';
export type UserStatus = 'active' | 'disabled';

export interface UsersTable {
  tenant_id: string;
  id: string;
  name: string;
  created_at: number;
  /** Unique in the tenant; null for a user who cannot sign in (an API app's machine user). */
  login: string | null;
  /** `scrypt$N$r$p$salt$key` (auth/secrets.ts); null until a password is set. */
  password_hash: string | null;
  status: Generated<UserStatus>;
  role: Generated<Role>;
}

export interface ApiAppsTable {
  tenant_id: string;
  id: string;
  name: string;
  client_id: string;
  client_secret_hash: string;
  user_id: string;
  created_at: number;
  revoked_at: number | null;
  /** Null: acts as any user with every permission (AICC's machine-to-machine interface); else limited to the role. */
  role: Role | null;
}

export interface AccessTokensTable {
  token_hash: string;
  tenant_id: string;
  app_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface OrganizationsTable {
  tenant_id: string;
  id: string;
  organization_name: string;
  description: string | null;
  email: string | null;
  fax: string | null;
  fixed_phone: string | null;
  industry: string | null;
  logo: string | null;
  scale: string | null;
  summary: string | null;
  website: string | null;
  created_at: number;
}

export interface ContactsTable {
  tenant_id: string;
  id: string;
  customer_name: string | null;
  name: string | null;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  nick_name: string | null;
  title: string | null;
  gender: string | null;
  age: number | null;
  birth_day: string | null;
  cell_phone1: string | null;
  cell_phone2: string | null;
  cell_phone3: string | null;
  phone: string | null;
  phone1: string | null;
  phone2: string | null;
  phone3: string | null;
  email: string | null;
  email1: string | null;
  email2: string | null;
  fax: string | null;
  website: string | null;
  picture: string | null;
  channel: string | null;
  level: string | null;
  status: string | null;
  remark: string | null;
  description: string | null;
  custom_field: string | null;
  bind_accounts_json: Generated<string>;
  organization_id: string | null;
  created_at: number;
  last_modified_at: number;
  version: Generated<number>;
  /** When its personal data was erased on request (contacts/erase.ts); null if never. */
  erased_at: number | null;
}

export interface AddressesTable {
  tenant_id: string;
  id: string;
  subject_id: string;
  label: string | null;
  title: string | null;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  country: string | null;
  province: string | null;
  city: string | null;
  town: string | null;
  area: string | null;
  street: string | null;
  block: string | null;
  building_no: string | null;
  room_no: string | null;
  address_line1: string | null;
  address_line2: string | null;
  address_line3: string | null;
  address_line4: string | null;
  address_line5: string | null;
  additional_address: string | null;
  zip: string | null;
  phone_number1: string | null;
  phone_number2: string | null;
  default_billing_address: Generated<number>;
  default_shipping_address: Generated<number>;
  created_at: number;
}

export interface CaseTypesTable {
  tenant_id: string;
  id: string;
  type_name: string;
  description: string | null;
  status: string;
  /** The flow's statuses in order, comma-separated as AICC's `caseStatus` shows them. */
  case_statuses: string;
  template_id: string | null;
  content_template_id: string | null;
  parent_id: string | null;
  is_strict_order: Generated<number>;
  creator_id: string | null;
  created_at: number;
  last_modified_by: string | null;
  last_modified_at: number;
}

export interface CasesTable {
  tenant_id: string;
  id: string;
  case_no: number;
  type_id: string;
  title: string | null;
  description: string;
  status: string;
  state: string;
  priority: string | null;
  origin: string | null;
  parent_id: string | null;
  owner_id: string | null;
  owner_type: Generated<string>;
  contact_id: string | null;
  contact_phone: string | null;
  creator_id: string | null;
  external_no: string | null;
  reason: string | null;
  is_upgraded: Generated<number>;
  is_cancelled: Generated<number>;
  /** Closed by 关闭工单: final, every change refused (see cases/service.ts). */
  is_closed: Generated<number>;
  attachment: string | null;
  due_at: number | null;
  created_at: number;
  last_modified_at: number;
  stay_at: number | null;
  closed_at: number | null;
  suspended_at: number | null;
  suspend_accumulated_minutes: number | null;
  cancelled_at: number | null;
  be_id: string | null;
  reopen_count: Generated<number>;
  transfer_count: Generated<number>;
  trace_count: Generated<number>;
}

export interface TasksTable {
  tenant_id: string;
  id: string;
  task_no: number;
  title: string;
  description: string | null;
  relate_type: string | null;
  relate_id: string | null;
  owner_id: string;
  contact_id: string | null;
  priority: string | null;
  status: string;
  attachment: string | null;
  creator_id: string;
  creator_name: string;
  due_at: number | null;
  created_at: number;
  last_modified_at: number;
  stay_at: number | null;
  closed_at: number | null;
  trace_count: Generated<number>;
}

/** The columns of both trace tables (see the migration's createTraceTable). */
interface TraceColumns {
  tenant_id: string;
  id: string;
  position: number;
  seq: number;
  type: string;
  creator_id: string;
  creator_name: string;
  related_id: string | null;
  title: string | null;
  description: string | null;
  attachment: string | null;
  changes_json: string | null;
  created_at: number;
  /** How the change came in: `app:<appId>` (an API app's token) or `user:<userId>` (a signed-in user's session); null before issue 15. */
  acted_via: string | null;
}

export interface TaskTracesTable extends TraceColumns {
  task_id: string;
}

export interface CaseTracesTable extends TraceColumns {
  case_id: string;
}

export interface CaseFollowersTable {
  tenant_id: string;
  case_id: string;
  user_id: string;
  created_at: number;
}

export interface QueueMembersTable {
  tenant_id: string;
  queue_id: string;
  user_id: string;
  created_at: number;
}

/** A sign-in: its access tokens live 15 minutes, its refresh tokens rotate, the session ends at expires_at. */
export interface SessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

export interface SessionRefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: number;
  /** Set when the token was exchanged for the next one: presenting it again is reuse, and ends the session. */
  replaced_at: number | null;
}

export interface SessionTokensTable {
  token_hash: string;
  session_id: string;
  created_at: number;
  expires_at: number;
}

export interface PasswordLinksTable {
  token_hash: string;
  tenant_id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface QueuesTable {
  tenant_id: string;
  id: string;
  name: string;
  created_at: number;
}

/**
 * Case statistics by tenant, case type and calendar day (in the tenant's zone), kept by every case change in its own
 * transaction (see statistics/changes.ts). The *_delta columns are differences: the open (overdue) cases at the end of
 * day D are the sum of open_delta (over_delta) over the days up to D.
 */
export interface CaseStatisticsTable {
  tenant_id: string;
  /** YYYY-MM-DD, which sorts as the days do. */
  day: string;
  type_id: string;
  new_cases: number;
  finished_cases: number;
  /** The sum of (closed − created) of the cases finished that day, in milliseconds. */
  finished_duration_ms: number;
  open_delta: number;
  over_delta: number;
}

export interface CaseTemplatesTable {
  tenant_id: string;
  id: string;
  name: string;
  description: string | null;
  /** The fields in order (TemplateFieldInfo[] as JSON). */
  fields_json: string;
  created_at: number;
  last_modified_at: number;
}

/** A case's value of one template field, in canonical text (case-templates/values.ts); no row means unset. */
export interface CaseFieldValuesTable {
  tenant_id: string;
  case_id: string;
  field: string;
  value: string;
}

export interface TenantCountersTable {
  tenant_id: string;
  name: string;
  value: number;
}

/** A write's Idempotency-Key and its first reply (idempotency/). */
export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  /** `POST /opencase/v1/cases/:id/suspend`: the route's method and pattern. */
  route: string;
  /** SHA-256 of the method, the URL and the body: the same key with another request is refused. */
  request_hash: string;
  state: 'pending' | 'committed' | 'done';
  reply_status: number | null;
  reply_type: string | null;
  /** The reply's X-Opencase-Partial header, when its list was cut at the reply limit. */
  reply_partial: string | null;
  reply_body: string | null;
  claimed_at: number;
  expires_at: number;
}

export interface WebhooksTable {
  tenant_id: string;
  id: string;
  url: string;
  /** A JSON array: event types (`task.created`), `case.*`, `*`. */
  event_types: string;
  description: string | null;
  active: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  /** The highest seq of the tenant's feed the endpoint is done with. */
  cursor: number;
  lease_owner: string | null;
  lease_until: number | null;
  failures: Generated<number>;
  next_attempt_at: number | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  tenant_id: string;
  /** `msg_…`: the `webhook-id` of every attempt. */
  id: string;
  webhook_id: string;
  seq: number;
  event_type: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  first_attempt_at: number;
  last_attempt_at: number;
  delivered_at: number | null;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  api_apps: ApiAppsTable;
  access_tokens: AccessTokensTable;
  organizations: OrganizationsTable;
  contacts: ContactsTable;
  idempotency_keys: IdempotencyKeysTable;
  addresses: AddressesTable;
  case_types: CaseTypesTable;
  cases: CasesTable;
  tasks: TasksTable;
  task_traces: TaskTracesTable;
  case_traces: CaseTracesTable;
  case_followers: CaseFollowersTable;
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  sessions: SessionsTable;
  session_refresh_tokens: SessionRefreshTokensTable;
  session_tokens: SessionTokensTable;
  password_links: PasswordLinksTable;
  tenant_counters: TenantCountersTable;
  case_templates: CaseTemplatesTable;
  case_field_values: CaseFieldValuesTable;
  case_statistics: CaseStatisticsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
