import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createApiApp } from '../../src/auth/service.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TENANT } from '../../src/demo/records.js';
import type { Role } from '../../src/db/tables.js';
import { PERMISSIONS, ROLES, type Action } from '../../src/permissions/table.js';
import { createUser } from '../../src/users/service.js';
import { AICC, fetchToken, useTestApp } from '../helpers.js';

const EXT = '/opencase/v1';
type Json = Record<string, unknown>;

/** Who calls: a signed-in user of each role, an API app limited to the agent role, and an API app without a role. */
type CallerName = Role | 'agentApp' | 'app';
const CALLERS: CallerName[] = [...ROLES, 'agentApp', 'app'];

/**
 * Which record a call is made on: one its acting user owns, one a queue it is a member of owns, or another user's.
 * Calls on no record run once, as `none`.
 */
type Ownership = 'own' | 'queue' | 'other';

/** What a call needs: a token, the user it acts as (sent as creatorId only by API apps), and a fresh record. */
interface CallContext {
  token: string;
  /** The acting user's id. */
  actor: string;
  /** For API apps: `{creatorId: actor}` where the call takes one; a session sends nothing and acts as itself. */
  as: (field?: string) => Json;
  caseId: string;
  taskId: string;
  /** A user that is not the actor, to transfer to. */
  someoneElse: string;
  unique: string;
}

interface MatrixRoute {
  action: Action;
  name: string;
  /** The record the call is made on, prepared (by the tenant's unrestricted app) in the state the call needs. */
  record: 'case' | 'cancelledCase' | 'suspendedCase' | 'caseAtLastStatus' | 'closedCase' | 'task' | 'none';
  call: (c: CallContext) => Promise<LightMyRequestResponse>;
}

describe('permissions: every AICC and extension route × role × own record or another\'s (docs/security.md)', () => {
  const t = useTestApp();
  const users = {} as Record<'agent' | 'agentB' | 'supervisor' | 'admin', string>;
  const tokens = {} as Record<CallerName, string>;
  let queueId = '';
  let templateId = '';
  let caseTypeId = '';
  let contactId = '';
  let counter = 0;

  const inject = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: Json) => t.app.inject({
    method, url, headers: { 'access-token': token, ...(payload !== undefined && { 'content-type': 'application/json' }) },
    ...(payload !== undefined && { payload }),
  });
  /** A call of the tenant's unrestricted API app, which must succeed: the matrix's setup. */
  async function setup(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: Json): Promise<Json> {
    const response = await inject(t.token, method, url, payload);
    const body = response.json<{ resCode: string; resMsg: string; result?: Json }>();
    assert.equal(body.resCode, '0', `setup ${method} ${url}: ${body.resMsg}`);
    return body.result ?? {};
  }

  async function newCase(ownerId: string, ownerType: 'user' | 'queue' = 'user'): Promise<string> {
    const { caseId } = await setup('POST', `${AICC}/case`, {
      caseInfo: { title: `case ${++counter}`, description: 'd', type: DEMO_CASE_TYPE.id, ownerId: users.admin, isAtuoAssigned: false, contactId: DEMO_CONTACT.id },
    }) as { caseId: string };
    await setup('POST', `${AICC}/case/transfer`, { id: caseId, ownerId, ownerType, creatorId: users.admin, remark: 'setup' });
    return caseId;
  }

  async function prepare(record: MatrixRoute['record'], ownerId: string, ownerType: 'user' | 'queue'): Promise<{ caseId: string; taskId: string }> {
    if (record === 'none') return { caseId: '', taskId: '' };
    if (record === 'task') {
      const { taskId } = await setup('POST', `${AICC}/task`, { taskInfo: { title: `task ${++counter}`, ownerId, creatorId: users.admin } }) as { taskId: string };
      return { caseId: '', taskId };
    }
    const caseId = await newCase(ownerId, ownerType);
    if (record === 'cancelledCase') await setup('POST', `${AICC}/case/cancel`, { id: caseId, creatorId: users.admin, remark: 'setup' });
    if (record === 'suspendedCase') await setup('POST', `${EXT}/cases/${caseId}/suspend`, { creatorId: users.admin });
    if (record === 'caseAtLastStatus' || record === 'closedCase') {
      await setup('POST', `${AICC}/status/update`, { id: caseId, status: 'Completed', creatorId: users.admin });
    }
    if (record === 'closedCase') await setup('POST', `${AICC}/close`, { caseId, creatorId: users.admin });
    return { caseId, taskId: '' };
  }

  const ROUTES: MatrixRoute[] = [
    { action: 'case.read', name: 'POST case/list', record: 'none', call: (c) => inject(c.token, 'POST', `${AICC}/case/list`, { start: 0, limit: 1 }) },
    { action: 'case.read', name: 'POST cases/search', record: 'none', call: (c) => inject(c.token, 'POST', `${EXT}/cases/search`, { start: 0, limit: 1, view: 'mine' }) },
    { action: 'case.read', name: 'GET case/{id}', record: 'case', call: (c) => inject(c.token, 'GET', `${AICC}/case/${c.caseId}`) },
    {
      action: 'case.create', name: 'POST case', record: 'none', call: (c) => inject(c.token, 'POST', `${AICC}/case`, {
        caseInfo: { title: 't', description: 'd', type: DEMO_CASE_TYPE.id, ownerId: c.actor, isAtuoAssigned: false, contactId: DEMO_CONTACT.id, ...c.as() },
      }),
    },
    {
      action: 'case.modify', name: 'POST case/modify', record: 'case',
      call: (c) => inject(c.token, 'POST', `${AICC}/case/modify`, { caseInfo: { id: c.caseId, title: 'changed', description: 'd', ...c.as() } }),
    },
    {
      action: 'case.transfer', name: 'POST case/transfer', record: 'case',
      call: (c) => inject(c.token, 'POST', `${AICC}/case/transfer`, { id: c.caseId, ownerId: c.someoneElse, remark: 'r', ...c.as() }),
    },
    {
      action: 'case.process', name: 'POST case/process', record: 'case',
      call: (c) => inject(c.token, 'POST', `${AICC}/case/process`, { caseId: c.caseId, processInfo: { type: 'Iternal', title: 'n', description: 'd' }, ...c.as() }),
    },
    {
      action: 'case.status', name: 'POST status/update', record: 'case',
      call: (c) => inject(c.token, 'POST', `${AICC}/status/update`, { id: c.caseId, status: 'Completed', ...c.as() }),
    },
    { action: 'case.close', name: 'POST close', record: 'caseAtLastStatus', call: (c) => inject(c.token, 'POST', `${AICC}/close`, { caseId: c.caseId, ...c.as() }) },
    { action: 'case.cancel', name: 'POST case/cancel', record: 'case', call: (c) => inject(c.token, 'POST', `${AICC}/case/cancel`, { id: c.caseId, remark: 'r', ...c.as() }) },
    { action: 'case.cancel', name: 'POST cases/{id}/resume (cancelled)', record: 'cancelledCase', call: (c) => inject(c.token, 'POST', `${EXT}/cases/${c.caseId}/resume`, c.as()) },
    { action: 'case.suspend', name: 'POST cases/{id}/suspend', record: 'case', call: (c) => inject(c.token, 'POST', `${EXT}/cases/${c.caseId}/suspend`, c.as()) },
    { action: 'case.suspend', name: 'POST cases/{id}/resume (suspended)', record: 'suspendedCase', call: (c) => inject(c.token, 'POST', `${EXT}/cases/${c.caseId}/resume`, c.as()) },
    { action: 'case.reopen', name: 'POST cases/{id}/reopen', record: 'closedCase', call: (c) => inject(c.token, 'POST', `${EXT}/cases/${c.caseId}/reopen`, c.as()) },
    { action: 'case.follow', name: 'POST cases/{id}/follow', record: 'case', call: (c) => inject(c.token, 'POST', `${EXT}/cases/${c.caseId}/follow`, c.as('userId')) },
    { action: 'case.follow', name: 'POST cases/{id}/unfollow', record: 'case', call: (c) => inject(c.token, 'POST', `${EXT}/cases/${c.caseId}/unfollow`, c.as('userId')) },

    { action: 'task.read', name: 'POST task/list', record: 'none', call: (c) => inject(c.token, 'POST', `${AICC}/task/list`, { start: 0, limit: 1, ...c.as() }) },
    { action: 'task.read', name: 'GET task/{id}', record: 'task', call: (c) => inject(c.token, 'GET', `${AICC}/task/${c.taskId}`) },
    { action: 'task.create', name: 'POST task', record: 'none', call: (c) => inject(c.token, 'POST', `${AICC}/task`, { taskInfo: { title: 't', ownerId: c.actor, ...c.as() } }) },
    { action: 'task.modify', name: 'POST task/modify', record: 'task', call: (c) => inject(c.token, 'POST', `${AICC}/task/modify`, { taskInfo: { id: c.taskId, title: 'changed', ...c.as() } }) },
    { action: 'task.transfer', name: 'POST task/transfer', record: 'task', call: (c) => inject(c.token, 'POST', `${AICC}/task/transfer`, { id: c.taskId, ownerId: c.someoneElse, ...c.as() }) },
    { action: 'task.status', name: 'POST task/status/update', record: 'task', call: (c) => inject(c.token, 'POST', `${AICC}/task/status/update`, { id: c.taskId, status: 'Completed', ...c.as() }) },
    {
      action: 'task.process', name: 'POST task/process', record: 'task',
      call: (c) => inject(c.token, 'POST', `${AICC}/task/process`, { taskId: c.taskId, processInfo: { type: 'Iternal', title: 'n', description: 'd' }, ...c.as() }),
    },

    { action: 'statistics.read', name: 'GET statistics/case/current', record: 'none', call: (c) => inject(c.token, 'GET', `${AICC}/statistics/case/current`) },
    { action: 'statistics.read', name: 'POST statistics/case/report', record: 'none', call: (c) => inject(c.token, 'POST', `${AICC}/statistics/case/report`, { start: 0, limit: 1 }) },

    { action: 'caseType.read', name: 'POST caseType/list', record: 'none', call: (c) => inject(c.token, 'POST', `${AICC}/caseType/list`, { start: 0, limit: 1 }) },
    { action: 'caseType.read', name: 'GET caseType/{id}', record: 'none', call: (c) => inject(c.token, 'GET', `${AICC}/caseType/${DEMO_CASE_TYPE.id}`) },
    { action: 'caseType.write', name: 'POST case-types', record: 'none', call: (c) => inject(c.token, 'POST', `${EXT}/case-types`, { typeName: `type ${c.unique}`, caseStatus: 'Open,Completed', ...c.as() }) },
    { action: 'caseType.write', name: 'PATCH case-types/{id}', record: 'none', call: (c) => inject(c.token, 'PATCH', `${EXT}/case-types/${caseTypeId}`, { description: c.unique, ...c.as() }) },

    { action: 'template.read', name: 'GET case-templates', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/case-templates`) },
    { action: 'template.read', name: 'GET case-templates/{id}', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/case-templates/${templateId}`) },
    {
      action: 'template.write', name: 'POST case-templates', record: 'none',
      call: (c) => inject(c.token, 'POST', `${EXT}/case-templates`, { name: `template ${c.unique}`, fields: [{ name: 'AICC__note__CST', type: 'text' }] }),
    },
    { action: 'template.write', name: 'PATCH case-templates/{id}', record: 'none', call: (c) => inject(c.token, 'PATCH', `${EXT}/case-templates/${templateId}`, { description: c.unique }) },

    { action: 'contact.read', name: 'GET contacts', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/contacts?limit=1`) },
    { action: 'contact.read', name: 'GET contacts/{id}', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/contacts/${contactId}`) },
    { action: 'contact.write', name: 'POST contacts', record: 'none', call: (c) => inject(c.token, 'POST', `${EXT}/contacts`, { customerName: `contact ${c.unique}` }) },
    {
      action: 'contact.erase', name: 'POST contacts/{id}/erase', record: 'none',
      call: async (c) => {
        const { contactId: erased } = await setup('POST', `${EXT}/contacts`, { customerName: `to erase ${c.unique}` }) as { contactId: string };
        return inject(c.token, 'POST', `${EXT}/contacts/${erased}/erase`);
      },
    },
    { action: 'contact.write', name: 'PATCH contacts/{id}', record: 'none', call: (c) => inject(c.token, 'PATCH', `${EXT}/contacts/${contactId}`, { customerName: `contact ${c.unique}` }) },

    { action: 'webhook.manage', name: 'GET webhooks', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/webhooks`) },
    { action: 'webhook.manage', name: 'POST webhooks', record: 'none', call: (c) => inject(c.token, 'POST', `${EXT}/webhooks`, { url: `https://hooks.example.com/${c.unique}`, active: false }) },

    { action: 'queue.read', name: 'GET queues', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/queues`) },
    { action: 'queue.read', name: 'GET queues/{id}/members', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/queues/${queueId}/members`) },
    { action: 'queue.write', name: 'POST queues', record: 'none', call: (c) => inject(c.token, 'POST', `${EXT}/queues`, { name: `queue ${c.unique}` }) },
    { action: 'queue.write', name: 'PUT queues/{id}/members/{userId}', record: 'none', call: (c) => inject(c.token, 'PUT', `${EXT}/queues/${queueId}/members/${users.agentB}`) },
    { action: 'queue.write', name: 'DELETE queues/{id}/members/{userId}', record: 'none', call: (c) => inject(c.token, 'DELETE', `${EXT}/queues/${queueId}/members/${users.agentB}`) },

    { action: 'user.read', name: 'GET users', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/users`) },
    { action: 'user.read', name: 'GET users/{id}', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/users/${users.agentB}`) },
    { action: 'user.write', name: 'POST users', record: 'none', call: (c) => inject(c.token, 'POST', `${EXT}/users`, { name: `user ${c.unique}` }) },
    { action: 'user.write', name: 'PATCH users/{id}', record: 'none', call: (c) => inject(c.token, 'PATCH', `${EXT}/users/${users.agentB}`, { name: `agent B ${c.unique}` }) },
    { action: 'user.write', name: 'POST users/{id}/password-link', record: 'none', call: (c) => inject(c.token, 'POST', `${EXT}/users/${users.agentB}/password-link`) },

    { action: 'changes.read', name: 'GET traces', record: 'none', call: (c) => inject(c.token, 'GET', `${EXT}/traces?limit=1`) },
  ];

  before(async () => {
    const now = Date.now();
    const password = 'a long enough password';
    const make = async (name: string, login: string, role: Role) => (await createUser(t.database, DEMO_TENANT.id, { name, login, role, password }, now)).userId;
    users.agent = await make('Agent A', 'agent.a', 'agent');
    users.agentB = await make('Agent B', 'agent.b', 'agent');
    users.supervisor = await make('Supervisor', 'supervisor', 'supervisor');
    users.admin = await make('Admin', 'admin', 'admin');
    for (const [caller, login] of [['agent', 'agent.a'], ['supervisor', 'supervisor'], ['admin', 'admin']] as const) {
      const response = await t.app.inject({ method: 'POST', url: `${EXT}/session`, payload: { login, password } });
      assert.equal(response.statusCode, 200, response.body);
      tokens[caller] = response.json<{ result: { accessToken: string } }>().result.accessToken;
    }
    const limited = await createApiApp(t.database, { tenantId: DEMO_TENANT.id, name: 'agent app', role: 'agent' }, now);
    tokens.agentApp = await fetchToken(t.app, limited.clientId, limited.clientSecret);
    tokens.app = t.token;

    ({ queueId } = await setup('POST', `${EXT}/queues`, { name: 'Printers' }) as { queueId: string });
    await setup('PUT', `${EXT}/queues/${queueId}/members/${users.agent}`);
    ({ templateId } = await setup('POST', `${EXT}/case-templates`, { name: 'Matrix', fields: [{ name: 'AICC__note__CST', type: 'text' }] }) as { templateId: string });
    ({ caseTypeId } = await setup('POST', `${EXT}/case-types`, { typeName: 'Matrix', caseStatus: 'Open,Completed' }) as { caseTypeId: string });
    ({ contactId } = await setup('POST', `${EXT}/contacts`, { customerName: 'Matrix' }) as { contactId: string });
  });

  /** The user a caller acts as: a session's own user; the apps act as agent A. */
  const actorOf = (caller: CallerName): string => (caller === 'agentApp' || caller === 'app' ? users.agent : users[caller]);
  /** The role a caller's permissions come from; null: every permission. */
  const roleOf = (caller: CallerName): Role | null => (caller === 'agentApp' ? 'agent' : caller === 'app' ? null : caller);

  function expectedAllowed(action: Action, caller: CallerName, ownership: Ownership | 'none'): boolean {
    const role = roleOf(caller);
    if (role === null) return true;
    const scope = PERMISSIONS[action][role];
    return scope === 'any' || (scope === 'own' && (ownership === 'own' || ownership === 'queue'));
  }

  for (const route of ROUTES) {
    it(`${route.name} (${route.action})`, async () => {
      const ownerships: Array<Ownership | 'none'> = route.record === 'none' ? ['none'] : route.record === 'task' ? ['own', 'other'] : ['own', 'queue', 'other'];
      const outcomes: string[] = [];
      const wrong: string[] = [];
      for (const caller of CALLERS) {
        for (const ownership of ownerships) {
          const actor = actorOf(caller);
          const owner = ownership === 'other' ? users.agentB : ownership === 'queue' ? queueId : actor;
          const { caseId, taskId } = await prepare(route.record, owner, ownership === 'queue' ? 'queue' : 'user');
          const isApp = caller === 'agentApp' || caller === 'app';
          const response = await route.call({
            token: tokens[caller], actor, as: (field = 'creatorId') => (isApp ? { [field]: actor } : {}), caseId, taskId,
            someoneElse: users.supervisor === actor ? users.admin : users.supervisor, unique: `${++counter}`,
          });
          const body = response.json<{ resCode: string; resMsg: string }>();
          const allowed = expectedAllowed(route.action, caller, ownership);
          const seen = `${caller}/${ownership}: ${response.statusCode} ${body.resCode} ${body.resMsg}`;
          outcomes.push(seen);
          const right = allowed ? response.statusCode === 200 && body.resCode === '0' : response.statusCode === 403 && body.resCode === '403002';
          if (!right) wrong.push(`${seen} (expected ${allowed ? 'allowed' : 'a 403002'})`);
        }
      }
      assert.deepEqual(wrong, [], `every outcome:\n${outcomes.join('\n')}`);
    });
  }

  it('covers every action of the permission table that some role is refused', () => {
    const refusable = (Object.keys(PERMISSIONS) as Action[]).filter((action) => ROLES.some((role) => PERMISSIONS[action][role] !== 'any'));
    const covered = new Set(ROUTES.map((route) => route.action));
    assert.deepEqual(refusable.filter((action) => !covered.has(action)), []);
  });
});
