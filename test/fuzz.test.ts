import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { TOKEN_PATH } from '../src/auth/routes.js';
import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TASK_ID, DEMO_TENANT, DEMO_USER } from '../src/demo/records.js';
import { CHANGES_PATH } from '../src/changes/routes.js';
import { DOCUMENT_PATH } from '../src/openapi/document.js';
import { assertErrorEnvelope, fetchToken, startTestApp, TEST_BACKEND, type TestApp } from './helpers.js';

/**
 * Property-based fuzzing of every registered route: generated paths, headers and bodies, from plausible to hostile.
 * Whatever comes in: never a 5xx, always a JSON envelope (the OAuth2 error body on the token route), never a stack
 * trace, and a rejected call changes nothing. OPENCASE_FUZZ_RUNS sets how many requests (CI: 10,000 per backend);
 * OPENCASE_FUZZ_SEED replays a failure (fast-check prints the seed and the shrunk request that failed).
 */
const RUNS = Number(process.env.OPENCASE_FUZZ_RUNS ?? 2000);
const SEED = process.env.OPENCASE_FUZZ_SEED === undefined ? undefined : Number(process.env.OPENCASE_FUZZ_SEED);

/** Field names the API knows, so that generated bodies reach validation and the services, not just the parser. */
const FIELDS = ['id', 'taskId', 'caseId', 'title', 'description', 'status', 'ownerId', 'ownerType', 'creatorId', 'priority', 'type', 'relateId',
  'contactId', 'dueDate', 'attachment', 'remark', 'start', 'limit', 'classification', 'createdDateFrom', 'createdDateTo', 'typeName',
  'caseStatus', 'isStrctOrder', 'customerName', 'email', 'address', 'organization', 'organizationId', 'processInfo', 'taskInfo', 'caseInfo',
  'name', 'grant_type', 'client_id', 'client_secret', 'resumenType', 'isAtuoAssigned', 'origin', 'bindAccount', 'startTime', 'endTime', 'caseTypeId'];
const KNOWN_IDS = [DEMO_TASK_ID, DEMO_CASE.id, DEMO_CONTACT.id, DEMO_USER.id, DEMO_TENANT.id];

const idLike = fc.oneof(
  fc.constantFrom(...KNOWN_IDS),
  fc.stringMatching(/^[A-Za-z0-9]{20}$/),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '%00', '..%2F..%2Fetc%2Fpasswd', "' OR 1=1 --", '%E4%BD%A0', 'x'.repeat(5000), '%', '%zz'),
);

const scalar = fc.oneof(
  fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom(...KNOWN_IDS, 'Pending', 'Processing', 'Completed', 'Case', 'High', 'Todo', 'Follow', 'queue', 'user', '2024-01-02 03:04:05', '2023-02-30', '0000-01-01', '9999-12-31',
    '2024-13-45 25:61:61', 'x'.repeat(30_000), -1, 0, 101, 1e308, '__proto__', 'constructor', 'r\u0000', '\u0000',
    // AICC's lengths are bytes: 128 bytes of Chinese and letters (taken as a title), 129 (refused), and a lone surrogate.
    `${'工'.repeat(42)}ab`, '工'.repeat(43), '工'.repeat(6667), '\ud800'.repeat(43)),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 4 }), tie('object')),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 8 }),
})).value;

/** A valid body for each route that takes one (keyed by the route's method and URL tail), the seed of the mutations. */
const USER = DEMO_USER.id;
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /task': { taskInfo: { title: 'fuzz', ownerId: USER, creatorId: USER, priority: 'Low', type: 'Case', relateId: DEMO_CASE.id, contactId: DEMO_CONTACT.id, dueDate: '2030-01-01 00:00:00' } },
  'POST /task/list': { start: 0, limit: 20, creatorId: USER, title: 'test', status: 'Pending', classification: 'Todo' },
  'POST /task/modify': { taskInfo: { id: DEMO_TASK_ID, title: 'fuzzed', description: 'd', priority: 'High' } },
  'POST /task/transfer': { id: DEMO_TASK_ID, ownerId: USER, creatorId: USER },
  'POST /task/status/update': { id: DEMO_TASK_ID, status: 'Processing', creatorId: USER },
  'POST /task/process': { taskId: DEMO_TASK_ID, creatorId: USER, processInfo: { type: 'Iternal', title: 't', description: 'd' } },
  'POST /task/:id': { id: DEMO_TASK_ID },
  'POST /case': { caseInfo: { title: 'fuzz', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: USER, creatorId: USER, contactId: DEMO_CONTACT.id } },
  'POST /case/list': { start: 0, limit: 20, creatorId: USER, classification: 'Follow', resumenType: 'newCases' },
  'POST /case/modify': { caseInfo: { id: DEMO_CASE.id, title: 't', description: 'd', creatorId: USER } },
  'POST /case/transfer': { id: DEMO_CASE.id, ownerId: USER, ownerType: 'user', creatorId: USER, remark: 'r' },
  'POST /case/process': { caseId: DEMO_CASE.id, creatorId: USER, processInfo: { type: 'Email', title: 't', description: 'd', toAddress: 'a@b.c' } },
  'POST /case/cancel': { id: DEMO_CASE.id, creatorId: USER, remark: 'r' },
  'POST /status/update': { id: DEMO_CASE.id, status: 'Completed', creatorId: USER },
  'POST /caseType/list': { start: 0, limit: 20, typeName: 'Demo', status: 'Active' },
  'POST /statistics/case/report': { start: 0, limit: 31, caseTypeId: DEMO_CASE_TYPE.id, startTime: '2023-07-01', endTime: '2023-07-31' },
  'POST /caseType/:id': { id: DEMO_CASE_TYPE.id },
  'POST /users': { name: 'fuzz agent' },
  'POST /queues': { name: 'fuzz queue' },
  'POST /contacts': { customerName: 'fuzz', email: 'f@z.z', address: { city: 'Shenzhen' }, organization: { organizationName: 'F' } },
  'PATCH /contacts/:id': { email: 'g@z.z', address: { zip: '518000' } },
  'POST /case-types': { typeName: 'Fuzz', caseStatus: 'New,Completed', isStrctOrder: true },
  'PATCH /case-types/:id': { caseStatus: 'tttttt,Completed' },
  'POST /cases/:id/suspend': { creatorId: USER, remark: 'r' },
  'POST /cases/:id/resume': { creatorId: USER, remark: 'r' },
  'POST /cases/:id/follow': { creatorId: USER },
  'POST /cases/:id/unfollow': { creatorId: USER },
};

function validBodyFor(method: string, url: string): Record<string, unknown> | undefined {
  const tail = url.replace(/^\/service\/AICC__Case\/1\.0\.0\/openapi|^\/opencase\/v1/, '');
  return VALID_BODIES[`${method} ${tail}`];
}

/** One change to a valid body: a field (top level or one level down) set to something else, removed, or joined by another. */
const mutation = fc.record({
  kind: fc.constantFrom('set', 'set', 'set', 'remove', 'add'),
  pick: fc.nat(),
  nested: fc.boolean(),
  key: fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 })),
  replacement: fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: value }),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(valid: Record<string, unknown>, mutations: Mutation[]): string {
  const copy = structuredClone(valid);
  for (const m of mutations) {
    let target: Record<string, unknown> = copy;
    const nestedKeys = Object.keys(copy).filter((key) => typeof copy[key] === 'object' && copy[key] !== null);
    if (m.nested && nestedKeys.length > 0) target = copy[nestedKeys[m.pick % nestedKeys.length] as string] as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys.length > 0 && m.kind !== 'add' ? keys[m.pick % keys.length] as string : m.key;
    if (m.kind === 'remove') delete target[key];
    else target[key] = m.replacement;
  }
  return JSON.stringify(copy);
}

/** Bodies for routes with no valid example, and the hostile ones for every route. */
const otherBody = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), scalar, { maxKeys: 8 }).map((object) => JSON.stringify(object)) },
  { weight: 2, arbitrary: value.map((anything) => JSON.stringify(anything) ?? 'null') },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '{', '{"a":', '[]', 'null', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`, `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, '\u0000\u0001', '\ud800'),
  },
);

const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'application/json', 'application/json;charset=UTF-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/json; charset=latin1', '', 'application/xml') });

describe(`fuzzing every route with ${RUNS} generated requests, on ${TEST_BACKEND}`, () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    // Thousands of calls a second on one token: the rate limit (tested on its own) would answer most of them.
    t = await startTestApp({ demo: true, env: { OPENCASE_RATE_LIMIT: '0' } });
    token = await fetchToken(t.app);
  });
  after(() => t.close());

  /** What a rejected request must leave as it was: the tenant's change sequence (every change moves it) and the row counts. */
  async function fingerprint(): Promise<string> {
    const db = t.database.db;
    const counts = await Promise.all((['tasks', 'cases', 'contacts', 'users', 'queues', 'case_types', 'task_traces', 'case_traces', 'access_tokens', 'api_apps'] as const)
      .map(async (table) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    const sequence = await db.selectFrom('tenant_counters').select(['name', 'value']).where('tenant_id', '=', DEMO_TENANT.id).orderBy('name').execute();
    return JSON.stringify([counts, sequence]);
  }

  it('never answers 5xx, always a JSON envelope without a stack trace, and a rejected call changes nothing', { timeout: 30 * 60_000 }, async (context) => {
    const statuses = new Map<number, number>();
    // Every route of the API; /metrics (Prometheus text) and /openapi.json (the document) answer no envelope, by design,
    // and the change stream, once accepted, never ends by itself (test/changes/stream.test.ts tests its refusals).
    const routes = t.app.registeredRoutes.filter((route) => route.url !== '/metrics' && route.url !== DOCUMENT_PATH && route.url !== CHANGES_PATH);
    assert.ok(routes.length >= 30, `${routes.length} routes registered`);
    const request = fc.record({
      route: fc.constantFrom(...routes),
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') }),
      pathId: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN_IDS) }, { weight: 2, arbitrary: idLike }),
      query: fc.option(fc.dictionary(fc.constantFrom('start', 'limit', 'after', 'customerName', 'status', 'x'),
        fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('\u0000', 'a\u0000b'))), { freq: 2 }),
      tokenKind: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'missing', 'garbage', 'empty'),
      contentType,
      bodyKind: fc.constantFrom('mutated', 'mutated', 'mutated', 'mutated', 'valid', 'other', 'other', 'none'),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      otherBody,
      extraHeader: fc.option(fc.tuple(fc.constantFrom('authorization', 'x-forwarded-for', 'accept', 'content-length', 'transfer-encoding'), fc.string({ maxLength: 40 }))),
    });

    await fc.assert(fc.asyncProperty(request, async (r) => {
      const path = r.route.url.replace(/:[A-Za-z]+/g, () => encodeURIComponent(r.pathId).replace(/%25/g, '%'));
      const query = r.query ? `?${new URLSearchParams(r.query).toString()}` : '';
      const headers: Record<string, string> = {};
      if (r.tokenKind === 'valid') headers['access-token'] = token;
      if (r.tokenKind === 'garbage') headers['access-token'] = 'x'.repeat(43);
      if (r.tokenKind === 'empty') headers['access-token'] = '';
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.extraHeader && r.extraHeader[0] !== 'content-length' && r.extraHeader[0] !== 'transfer-encoding') headers[r.extraHeader[0]] = r.extraHeader[1];
      const method = (r.method ?? r.route.method) as InjectOptions['method'];
      const valid = validBodyFor(r.route.method, r.route.url);
      const payload = r.bodyKind === 'none' ? undefined
        : valid && r.bodyKind === 'valid' ? JSON.stringify(valid)
          : valid && r.bodyKind === 'mutated' ? mutate(valid, r.mutations)
            : r.otherBody;
      const before = await fingerprint();
      const response = await t.app.inject({ method, url: `${path}${query}`, headers, ...(payload !== undefined && method !== 'GET' && { payload }) });

      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      const where = `${method} ${path}${query} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
      assert.ok(response.statusCode < 500, `5xx: ${where}`);
      assert.doesNotMatch(response.body, /\bat .+:\d+:\d+|node_modules/, `stack trace: ${where}`);
      const parsed = JSON.parse(response.body) as Record<string, unknown>;
      if (response.statusCode >= 400) {
        if (r.route.url === TOKEN_PATH && method === 'POST') assert.deepEqual(Object.keys(parsed), ['error', 'error_description'], where);
        else assertErrorEnvelope(response.body);
        assert.equal(await fingerprint(), before, `a rejected call changed something: ${where}`);
      } else {
        assert.ok(r.route.url === TOKEN_PATH ? typeof parsed.access_token === 'string' : parsed.resCode === '0', where);
      }
    }), { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) });
    const tally = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`).join(', ');
    context.diagnostic(`fuzzed ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests on ${TEST_BACKEND} (${tally})`);
  });
});
