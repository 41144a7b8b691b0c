import type { Role } from '../db/tables.js';

export type { Role };
export const ROLES = ['agent', 'supervisor', 'admin'] as const satisfies readonly Role[];

/**
 * What a role may do with an action: nothing; only on a record it owns (a case owned by the user or by a queue the user
 * is a member of, a task owned by the user: for a close, AICC's "current handler"); or on every record of the tenant.
 */
export type Scope = 'none' | 'own' | 'any';

/**
 * The one permission table (docs/security.md shows it; a test checks that the two agree). Every AICC and extension
 * call checks one of these actions in its service. AICC's rules hold exactly: "only the current owner, or a role with
 * the assign permission, may transfer a case" (§4.5); "the owner or an administrator handles a case" (§4.6); "the
 * current handler, or an administrator with the close permission, closes it" (§8.1). Supervisors and admins hold every
 * permission an agent holds, on every record. An API app created without a role holds every permission, acting as
 * any user of its tenant, as AICC's machine-to-machine interface does; one created with a role holds that role's.
 */
export const PERMISSIONS = {
  'case.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'case/list, case/{id}, cases/search' },
  'case.create': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'case' },
  'case.modify': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'case/modify, cases/bulk (priority)' },
  'case.transfer': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'case/transfer, cases/bulk (assign)' },
  'case.process': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'case/process' },
  'case.status': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'status/update, cases/bulk (status)' },
  'case.suspend': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'cases/{id}/suspend, cases/{id}/resume of a suspended case' },
  'case.close': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'close' },
  'case.cancel': { agent: 'none', supervisor: 'any', admin: 'any', calls: 'case/cancel, cases/{id}/resume of a cancelled case' },
  'case.reopen': { agent: 'none', supervisor: 'any', admin: 'any', calls: 'cases/{id}/reopen' },
  'case.follow': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'cases/{id}/follow, cases/{id}/unfollow (as oneself)' },
  'task.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'task/list, task/{id}' },
  'task.create': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'task' },
  'task.modify': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'task/modify' },
  'task.transfer': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'task/transfer' },
  'task.status': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'task/status/update' },
  'task.process': { agent: 'own', supervisor: 'any', admin: 'any', calls: 'task/process' },
  'statistics.read': { agent: 'none', supervisor: 'any', admin: 'any', calls: 'statistics/case/current, statistics/case/report' },
  'caseType.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'caseType/list, caseType/{id} (GET, POST)' },
  'caseType.write': { agent: 'none', supervisor: 'none', admin: 'any', calls: 'case-types (POST, PATCH)' },
  'template.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'case-templates (GET), case-templates/{id} (GET)' },
  'template.write': { agent: 'none', supervisor: 'none', admin: 'any', calls: 'case-templates (POST, PATCH)' },
  'contact.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'contacts (GET), contacts/{id} (GET)' },
  'contact.write': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'contacts (POST), contacts/{id} (PATCH)' },
  'contact.erase': { agent: 'none', supervisor: 'none', admin: 'any', calls: 'contacts/{id}/erase (personal data, on request)' },
  'queue.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'queues (GET), queues/{id}/members (GET)' },
  'queue.write': { agent: 'none', supervisor: 'any', admin: 'any', calls: 'queues (POST), queues/{id}/members/{userId} (PUT, DELETE)' },
  'user.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'users (GET), users/{id} (GET)' },
  'user.write': { agent: 'none', supervisor: 'none', admin: 'any', calls: 'users (POST, PATCH), users/{id}/password-link' },
  'changes.read': { agent: 'any', supervisor: 'any', admin: 'any', calls: 'traces, changes (the feed and its stream)' },
  'webhook.manage': { agent: 'none', supervisor: 'none', admin: 'any', calls: 'webhooks (POST, GET), webhooks/{id} (GET, PATCH, DELETE), webhooks/{id}/rotate-secret, ping, deliveries, deliveries/{id}/redeliver' },
} as const satisfies Record<string, Record<Role, Scope> & { calls: string }>;

export type Action = keyof typeof PERMISSIONS;

/** The roles that hold `action` on every record, for the refusal's "who may". */
export function rolesWithAny(action: Action): Role[] {
  return ROLES.filter((role) => PERMISSIONS[action][role] === 'any');
}
