import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BIND_ACCOUNT_MAX_BYTES, BIND_ACCOUNT_MAX_DEPTH, MAX_BIND_ACCOUNTS } from '../../src/contacts/schemas.js';
import { MAX_TEMPLATE_FIELDS, MAX_TEMPLATE_FIELDS_BYTES } from '../../src/case-templates/schemas.js';
import { ListCasesBody } from '../../src/cases/schemas.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';
import { MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_UTF8_BYTES } from '../../src/wire/bytes.js';
import { QUERY_TEXT_PATTERN } from '../../src/wire/schema.js';
import { AICC, assertErrorEnvelope, useTestApp } from '../helpers.js';

/** A JSON schema as the OpenAPI document shows a route's body or parameter. */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  maxLength?: number;
  pattern?: string;
  maxItems?: number;
  maxProperties?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  [MAX_JSON_BYTES]?: number;
  [MAX_JSON_DEPTH]?: number;
  [MAX_UTF8_BYTES]?: number;
}

interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  parameters?: Array<{ in: string; name: string; schema: Schema }>;
}

/** A pattern that bounds a string's length by itself: anchored, with no `*`, `+` or open `{n,}`. */
function boundedPattern(pattern: string | undefined): boolean {
  return pattern !== undefined && pattern.startsWith('^') && pattern.endsWith('$') && !/[*+]|\{\d+,\}/.test(pattern);
}

/**
 * A string leaf bounded by maxLength, by where it sits (`["caseInfo", "title"]`, `["fields", 0, "options", 0]`), and
 * for AICC's fields by bytes of UTF-8 as well (the same number).
 */
interface StringLeaf {
  path: Array<string | number>;
  maxLength: number;
  maxBytes: number | undefined;
  pattern: string | undefined;
}

/**
 * What in a schema has no bound: a string without maxLength (or an enum, or a pattern that bounds it), an array
 * without maxItems, an object open to keys it does not list without maxProperties, a value of any JSON without a size
 * and a depth bound. The string leaves are collected on the way, for the boundary test below.
 */
function unbounded(node: Schema, path: Array<string | number>, leaves: StringLeaf[]): string[] {
  const where = path.map((part) => (typeof part === 'number' ? '[]' : `.${part}`)).join('').replace(/^\./, '') || '(the body)';
  const found: string[] = [];
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) found.push(...unbounded(branch, path, leaves));
  if (node.enum !== undefined || node.const !== undefined) return found;
  const types = node.type === undefined ? [] : [node.type].flat();
  if (types.length === 0) {
    if (node.anyOf || node.oneOf || node.allOf) return found;
    if (node[MAX_JSON_BYTES] === undefined || node[MAX_JSON_DEPTH] === undefined) found.push(`${where}: any JSON without ${MAX_JSON_BYTES} and ${MAX_JSON_DEPTH}`);
    return found;
  }
  if (types.includes('string')) {
    if (node.maxLength !== undefined) leaves.push({ path, maxLength: node.maxLength, maxBytes: node[MAX_UTF8_BYTES], pattern: node.pattern });
    else if (!boundedPattern(node.pattern)) found.push(`${where}: a string without maxLength`);
  }
  if (types.includes('array')) {
    if (node.maxItems === undefined) found.push(`${where}: an array without maxItems`);
    if (node.items) found.push(...unbounded(node.items, [...path, 0], leaves));
    else found.push(`${where}: an array of anything`);
  }
  if (types.includes('object')) {
    for (const [key, child] of Object.entries(node.properties ?? {})) found.push(...unbounded(child, [...path, key], leaves));
    for (const [pattern, child] of Object.entries(node.patternProperties ?? {})) {
      if (!boundedPattern(pattern)) found.push(`${where}: keys matching ${pattern}, a pattern of no bounded length`);
      found.push(...unbounded(child, [...path, `<${pattern}>`], []));
    }
    // Objects that list their properties are closed to others when their route is registered (wire/unknown-fields.ts).
    const open = node.patternProperties !== undefined || !node.properties || (node.additionalProperties !== undefined && node.additionalProperties !== false);
    if (open && node.maxProperties === undefined) found.push(`${where}: an object open to more keys, without maxProperties`);
  }
  return found;
}

/** Every request schema of every route in the app's OpenAPI document, by `METHOD /path` and part. */
function requestSchemas(document: { paths: Record<string, Record<string, Operation>> }) {
  const schemas: Array<{ route: string; part: 'body' | 'query' | 'path'; name: string; schema: Schema }> = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const route = `${method.toUpperCase()} ${path}`;
      for (const media of Object.values(operation.requestBody?.content ?? {})) schemas.push({ route, part: 'body', name: '', schema: media.schema });
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' || parameter.in === 'path') schemas.push({ route, part: parameter.in, name: parameter.name, schema: parameter.schema });
      }
    }
  }
  return schemas;
}

const U = DEMO_USER.id;

type Reply = Awaited<ReturnType<ReturnType<typeof useTestApp>['app']['inject']>>;

/** The `index`th of a run of 4-byte characters: each test fills its field with its own, so unique names stay unique. */
const wide = (index: number) => String.fromCodePoint(0x1f600 + (index % 80));

describe('bounds of every field a request stores', () => {
  const t = useTestApp();
  const inject = async (method: string, url: string, payload?: unknown) => t.app.inject({
    method: method as 'POST', url, headers: { 'access-token': t.token }, ...(payload !== undefined && { payload: payload as object }),
  });
  const ok = async (method: string, url: string, payload?: unknown) => {
    const response = await inject(method, url, payload);
    assert.equal(response.statusCode, 200, `${method} ${url}: ${response.body}`);
    return (response.json() as { result?: Record<string, string> }).result ?? {};
  };

  const document = async () => {
    await t.app.ready();
    return (t.app as unknown as { swagger(): { paths: Record<string, Record<string, Operation>> } }).swagger();
  };

  it('walks every route\'s body, query and path schema: no string, array, open object or free JSON value is unbounded', async () => {
    const found = requestSchemas(await document()).flatMap(({ route, part, name, schema }) =>
      unbounded(schema, name ? [name] : [], []).map((problem) => `${route} ${part}: ${problem}`));
    assert.deepEqual(found, []);
  });

  // A status of 128 bytes (32 four-byte characters), in a flow of its own, so that status/update and reopen can move to it.
  const longStatus = wide(7).repeat(32);
  let flowTypeId = '';
  const newTask = async () => (await ok('POST', `${AICC}/task`, { taskInfo: { title: 't', ownerId: U, creatorId: U } })).taskId ?? '';
  const newCase = async (type: string = DEMO_CASE_TYPE.id) => (await ok('POST', `${AICC}/case`, {
    caseInfo: { title: 't', description: 'd', type, isAtuoAssigned: false, ownerId: U, creatorId: U, contactId: DEMO_CONTACT.id },
  })).caseId ?? '';
  const closedCase = async () => {
    const id = await newCase(flowTypeId);
    await ok('POST', `${AICC}/status/update`, { id, creatorId: U, status: 'Completed' });
    await ok('POST', `${AICC}/close`, { caseId: id, creatorId: U });
    return id;
  };
  /** A flow of `length` characters: statuses of up to 128 bytes (32 four-byte characters), distinct, ending with Completed. */
  const flowOf = (length: number) => {
    const statuses: string[] = [];
    let left = length - 'Completed'.length;
    for (let i = 0; left > 0; i++) {
      const size = Math.min(32, left - 1);
      statuses.push(wide(i).repeat(size));
      left -= size + 1;
    }
    return [...statuses, 'Completed'].join(',');
  };

  /** A password of 1024 four-byte characters, the most a password may be. */
  const LONG_PASSWORD = wide(70).repeat(1024);
  let person = { login: '', token: '' };
  /** A new user with a login, and a set-password link's token for it. */
  const personWithLink = async () => {
    const login = `person.${Math.random()}`;
    const { userId } = await ok('POST', '/opencase/v1/users', { name: 'p', login });
    return { login, token: (await ok('POST', `/opencase/v1/users/${userId}/password-link`)).token ?? '' };
  };

  const webhookUrl = (length: number) => `https://hooks.example.com/${'p'.repeat(length - 'https://hooks.example.com/'.length)}`;
  /** For each route that stores what it is sent: a fresh valid request, and fillers for fields with a rule of their own. */
  const routes: Record<string, { url: () => Promise<string> | string; body: () => Promise<object> | object; fill?: Record<string, (length: number) => string> }> = {
    'POST /service/AICC__Case/1.0.0/openapi/task': { url: () => `${AICC}/task`, body: () => ({ taskInfo: { title: 't', ownerId: U, creatorId: U } }) },
    'POST /service/AICC__Case/1.0.0/openapi/task/list': { url: () => `${AICC}/task/list`, body: () => ({ start: 0, limit: 1, creatorId: U }) },
    'POST /service/AICC__Case/1.0.0/openapi/task/modify': { url: () => `${AICC}/task/modify`, body: async () => ({ taskInfo: { id: await newTask(), creatorId: U } }) },
    'POST /service/AICC__Case/1.0.0/openapi/task/process': {
      url: () => `${AICC}/task/process`, body: async () => ({ taskId: await newTask(), creatorId: U, processInfo: { type: 'Iternal', title: 't', description: 'd' } }),
    },
    'POST /service/AICC__Case/1.0.0/openapi/case': {
      url: () => `${AICC}/case`,
      body: () => ({ caseInfo: { title: 't', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: U, creatorId: U, contactId: DEMO_CONTACT.id } }),
    },
    'POST /service/AICC__Case/1.0.0/openapi/case/list': { url: () => `${AICC}/case/list`, body: () => ({ start: 0, limit: 1 }), fill: { status: () => longStatus } },
    'POST /service/AICC__Case/1.0.0/openapi/case/modify': {
      url: () => `${AICC}/case/modify`, body: async () => ({ caseInfo: { id: await newCase(), title: 't', description: 'd', creatorId: U } }),
    },
    'POST /service/AICC__Case/1.0.0/openapi/case/transfer': {
      url: () => `${AICC}/case/transfer`, body: async () => ({ id: await newCase(), ownerId: U, creatorId: U, remark: 'r' }),
    },
    'POST /service/AICC__Case/1.0.0/openapi/case/process': {
      url: () => `${AICC}/case/process`, body: async () => ({ caseId: await newCase(), creatorId: U, processInfo: { type: 'Iternal', title: 't', description: 'd' } }),
    },
    'POST /service/AICC__Case/1.0.0/openapi/case/cancel': { url: () => `${AICC}/case/cancel`, body: async () => ({ id: await newCase(), creatorId: U, remark: 'r' }) },
    'POST /service/AICC__Case/1.0.0/openapi/close': {
      url: () => `${AICC}/close`,
      body: async () => {
        const caseId = await newCase();
        await ok('POST', `${AICC}/status/update`, { id: caseId, creatorId: U, status: 'Completed' });
        return { caseId, creatorId: U };
      },
    },
    'POST /service/AICC__Case/1.0.0/openapi/status/update': {
      url: () => `${AICC}/status/update`, body: async () => ({ id: await newCase(flowTypeId), creatorId: U, status: 'Completed' }), fill: { status: () => longStatus },
    },
    'POST /service/AICC__Case/1.0.0/openapi/caseType/list': { url: () => `${AICC}/caseType/list`, body: () => ({ start: 0, limit: 1 }) },
    'POST /opencase/v1/users': { url: () => '/opencase/v1/users', body: () => ({ name: 'n' }) },
    'POST /opencase/v1/queues': { url: () => '/opencase/v1/queues', body: () => ({ name: 'n' }) },
    'POST /opencase/v1/contacts': { url: () => '/opencase/v1/contacts', body: () => ({ customerName: 'c', address: {}, organization: { organizationName: 'o' } }) },
    'PATCH /opencase/v1/contacts/{id}': {
      url: async () => `/opencase/v1/contacts/${(await ok('POST', '/opencase/v1/contacts', { customerName: 'c' })).contactId}`,
      body: () => ({ address: {}, organization: { organizationName: 'o' } }),
    },
    'POST /opencase/v1/case-types': { url: () => '/opencase/v1/case-types', body: () => ({ typeName: `type ${Math.random()}`, caseStatus: 'New,Completed' }), fill: { caseStatus: flowOf } },
    'PATCH /opencase/v1/case-types/{id}': {
      url: async () => `/opencase/v1/case-types/${(await ok('POST', '/opencase/v1/case-types', { typeName: `type ${Math.random()}`, caseStatus: 'New,Completed' })).caseTypeId}`,
      body: () => ({}),
      fill: { caseStatus: flowOf },
    },
    'POST /opencase/v1/case-templates': {
      url: () => '/opencase/v1/case-templates', body: () => ({ name: `template ${Math.random()}`, fields: [{ name: 'AICC__f__CST', type: 'select', options: ['a'] }] }),
    },
    'PATCH /opencase/v1/case-templates/{id}': {
      url: async () => `/opencase/v1/case-templates/${(await ok('POST', '/opencase/v1/case-templates', { name: `template ${Math.random()}`, fields: [{ name: 'AICC__f__CST', type: 'text' }] })).templateId}`,
      body: () => ({ fields: [{ name: 'AICC__f__CST', type: 'select', options: ['a'] }] }),
    },
    'POST /opencase/v1/cases/{id}/suspend': { url: async () => `/opencase/v1/cases/${await newCase()}/suspend`, body: () => ({ creatorId: U }) },
    'POST /opencase/v1/cases/{id}/resume': {
      url: async () => {
        const id = await newCase();
        await ok('POST', `/opencase/v1/cases/${id}/suspend`, { creatorId: U });
        return `/opencase/v1/cases/${id}/resume`;
      },
      body: () => ({ creatorId: U }),
    },
    'POST /opencase/v1/cases/{id}/reopen': { url: async () => `/opencase/v1/cases/${await closedCase()}/reopen`, body: () => ({ creatorId: U }), fill: { status: () => longStatus } },
    // A status change (its status in the long flow) with a remark: both texts the bulk body takes, at once.
    'POST /opencase/v1/cases/search': { url: () => '/opencase/v1/cases/search', body: () => ({ start: 0, limit: 1 }), fill: { status: () => longStatus } },
    'POST /opencase/v1/cases/bulk': {
      url: () => '/opencase/v1/cases/bulk', body: async () => ({ ids: [await newCase(flowTypeId)], action: 'status', status: 'Completed', creatorId: U, remark: 'r' }),
      fill: { status: () => longStatus },
    },
    'GET /opencase/v1/contacts': { url: () => '/opencase/v1/contacts', body: () => ({}) },
    // A URL of any length up to its bound: a host, then a path of that many characters.
    'POST /opencase/v1/webhooks': { url: () => '/opencase/v1/webhooks', body: () => ({ url: 'https://hooks.example.com/', active: false }), fill: { url: webhookUrl } },
    'PATCH /opencase/v1/webhooks/{id}': {
      url: async () => `/opencase/v1/webhooks/${(await ok('POST', '/opencase/v1/webhooks', { url: 'https://hooks.example.com/', active: false })).webhookId}`,
      body: () => ({}),
      fill: { url: webhookUrl },
    },
    'PATCH /opencase/v1/users/{id}': { url: async () => `/opencase/v1/users/${(await ok('POST', '/opencase/v1/users', { name: 'n' })).userId}`, body: () => ({}) },
    // A password at its bound signs in: the user is given it through a set-password link first.
    'POST /opencase/v1/session': {
      url: async () => {
        person = await personWithLink();
        await ok('POST', '/opencase/v1/password', { token: person.token, password: LONG_PASSWORD });
        return '/opencase/v1/session';
      },
      body: () => ({ login: person.login, password: 'placeholder' }),
      fill: { password: () => LONG_PASSWORD },
    },
    'POST /opencase/v1/password': {
      url: async () => {
        person = await personWithLink();
        return '/opencase/v1/password';
      },
      body: () => ({ token: person.token, password: 'placeholder' }),
    },
  };

  /** Sets `value` at `path` in a copy of `body`, making the objects and arrays on the way. */
  function withValue(body: object, path: Array<string | number>, value: string): object {
    const copy = structuredClone(body) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = path[index + 1];
      node[part] ??= typeof next === 'number' ? [] : {};
      if (part === 'fields' && Array.isArray(node[part]) && (node[part] as unknown[]).length === 0) (node[part] as unknown[]).push({ name: 'AICC__f__CST', type: 'select', options: ['a'] });
      node = node[part] as Record<string | number, unknown>;
    });
    return copy;
  }

  const fieldName = (path: Array<string | number>) => path.reduce<string>((joined, part) => (typeof part === 'number' ? `${joined}[${part}]` : joined ? `${joined}.${part}` : part), '');

  /** Text of exactly `bytes` bytes of UTF-8: 4-byte characters, and ASCII letters for the rest. */
  const wideBytes = (index: number, bytes: number) => `${wide(index).repeat(Math.floor(bytes / 4))}${'x'.repeat(bytes % 4)}`;

  it('takes every string at its bound in 4-byte characters (or, for AICC\'s fields, in bytes of UTF-8), and refuses one more naming the field and the bound', async () => {
    flowTypeId = (await ok('POST', '/opencase/v1/case-types', { typeName: 'long status flow', caseStatus: `Start,${longStatus},Completed` })).caseTypeId ?? '';
    let index = 0;
    const checked: string[] = [];
    const aiccInCharacters: string[] = [];
    for (const { route, part, name, schema } of requestSchemas(await document())) {
      const setup = routes[route];
      const leaves: StringLeaf[] = [];
      unbounded(schema, name ? [name] : [], leaves);
      // Text under a pattern of its own (ids, dates, template field names) is bounded by the pattern, tested with it.
      const texts = leaves.filter((leaf) => leaf.pattern === undefined || leaf.pattern === QUERY_TEXT_PATTERN);
      if (texts.length === 0 || part === 'path' || route.includes('/oauth2/')) continue;
      assert.ok(setup, `${route} stores text fields: give it a valid request in this test`);
      for (const leaf of texts) {
        const field = fieldName(leaf.path);
        const last = String(leaf.path.at(-1));
        // AICC's fields count bytes of UTF-8: at the bound, then a byte more; opencase's own count characters.
        const bytes = leaf.maxBytes;
        if (bytes === undefined && route.includes(AICC)) aiccInCharacters.push(`${route} ${field}`);
        const atBound: string = setup.fill?.[last]?.(leaf.maxLength) ?? (bytes === undefined ? wide(index++).repeat(leaf.maxLength) : wideBytes(index++, bytes));
        const over = bytes === undefined ? wide(index++).repeat(leaf.maxLength + 1) : `${wideBytes(index++, bytes)}x`;
        const unit = bytes === undefined ? `${leaf.maxLength} characters` : `${bytes} bytes`;
        const send = async (value: string): Promise<Reply> => {
          const url = await setup.url();
          if (part === 'query') return inject('GET', `${url}?${name}=${encodeURIComponent(value)}`);
          return inject(route.split(' ')[0] ?? 'POST', url, withValue(await setup.body(), leaf.path, value));
        };
        const accepted: Reply = await send(atBound);
        assert.equal(accepted.statusCode, 200, `${route} ${field} at ${unit} (${Buffer.byteLength(atBound)} bytes): ${accepted.body}`);
        const refused: Reply = await send(over);
        assert.equal(refused.statusCode, 400, `${route} ${field} past ${unit}: ${refused.body}`);
        assert.equal(assertErrorEnvelope(refused.body).resMsg, bytes === undefined
          ? `${field} must be at most ${leaf.maxLength} characters`
          : `${field} is ${bytes + 1} bytes of UTF-8; at most ${bytes} bytes (a Chinese character takes 3)`, route);
        if (bytes !== undefined) assert.equal(leaf.maxLength, bytes, `${route} ${field}: maxLength is the byte bound too`);
        checked.push(`${route} ${field}`);
      }
    }
    // AICC's tables give every text length in bytes: no AICC call's text field is bounded in characters only.
    assert.deepEqual(aiccInCharacters, []);
    // The walk reached the fields of every kind of record: tasks, cases, case types, templates, contacts, users, queues, traces' remarks.
    for (const expected of ['task taskInfo.title', 'task/modify taskInfo.description', 'case caseInfo.attachment', 'case/transfer remark', 'case/process processInfo.toAddress',
      'case-types caseStatus', 'case-templates fields[0].options[0]', 'contacts customFied', 'contacts address.addressLine1', 'contacts organization.summary',
      'users name', 'queues name', '{id}/reopen status', 'contacts customerName']) {
      assert.ok(checked.some((entry) => entry.includes(expected)), `${expected} was not checked (checked: ${checked.length})`);
    }
  });

  it(`bindAccount: 1 MB in one item is refused naming the item and the bound; ${BIND_ACCOUNT_MAX_BYTES} bytes, ${BIND_ACCOUNT_MAX_DEPTH} levels and ${MAX_BIND_ACCOUNTS} items are taken, one more of each refused`, async () => {
    const post = (bindAccount: unknown) => inject('POST', '/opencase/v1/contacts', { customerName: 'accounts', bindAccount });
    const patch = async (bindAccount: unknown) => inject('PATCH', `/opencase/v1/contacts/${(await ok('POST', '/opencase/v1/contacts', { customerName: 'p' })).contactId}`, { bindAccount });
    const megabyte = { channel: 'WEB', account: 'x'.repeat(1_000_000) };
    for (const write of [post, patch]) {
      const huge = await write([{ channel: 'WEB', account: 'b1' }, {}, {}, megabyte]);
      assert.equal(huge.statusCode, 400);
      assert.equal(assertErrorEnvelope(huge.body).resMsg, `bindAccount[3] is ${JSON.stringify(megabyte).length} bytes as JSON; at most ${BIND_ACCOUNT_MAX_BYTES} bytes`);
    }
    // An item of exactly the bound: a string of 4-byte characters, and its quotes.
    const atBound = `${'x'.repeat((BIND_ACCOUNT_MAX_BYTES - 2) % 4)}${'😀'.repeat(Math.floor((BIND_ACCOUNT_MAX_BYTES - 2) / 4))}`;
    assert.equal(Buffer.byteLength(JSON.stringify(atBound)), BIND_ACCOUNT_MAX_BYTES);
    assert.equal((await post([atBound])).statusCode, 200);
    const over = await post([`${atBound}x`]);
    assert.equal(assertErrorEnvelope(over.body).resMsg, `bindAccount[0] is ${BIND_ACCOUNT_MAX_BYTES + 1} bytes as JSON; at most ${BIND_ACCOUNT_MAX_BYTES} bytes`);

    const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : { a: nest(levels - 1) });
    assert.equal((await post([nest(BIND_ACCOUNT_MAX_DEPTH)])).statusCode, 200);
    const deep = await post(['ok', nest(BIND_ACCOUNT_MAX_DEPTH + 1)]);
    assert.equal(deep.statusCode, 400);
    assert.equal(assertErrorEnvelope(deep.body).resMsg, `bindAccount[1] nests ${BIND_ACCOUNT_MAX_DEPTH + 1} levels deep; at most ${BIND_ACCOUNT_MAX_DEPTH} levels`);

    const stored = await ok('POST', '/opencase/v1/contacts', { customerName: 'fifty', bindAccount: Array.from({ length: MAX_BIND_ACCOUNTS }, (_, i) => ({ account: i })) });
    const read = (await ok('GET', `/opencase/v1/contacts/${stored.contactId}`)) as unknown as { customerInfo: { bindAccount: unknown[] } };
    assert.equal(read.customerInfo.bindAccount.length, MAX_BIND_ACCOUNTS);
    const tooMany = await post(Array.from({ length: MAX_BIND_ACCOUNTS + 1 }, () => ({})));
    assert.equal(assertErrorEnvelope(tooMany.body).resMsg, `bindAccount must have at most ${MAX_BIND_ACCOUNTS} items`);
  });

  it(`a template's fields are at most ${MAX_TEMPLATE_FIELDS_BYTES} bytes of JSON; a case's template fields at most a template's number beside its own`, async () => {
    const fieldsOf = (optionLength: number) => Array.from({ length: 50 }, (_, i) => ({
      name: `AICC__f${i}__CST`, type: 'select', options: Array.from({ length: 10 }, (_, j) => `${j}`.padEnd(optionLength, 'o')),
    }));
    const measure = (fields: unknown) => Buffer.byteLength(JSON.stringify(fields));
    // Options long enough to pass the bound by a few bytes, then a byte shorter each until it fits.
    let length = 128;
    while (measure(fieldsOf(length - 1)) > MAX_TEMPLATE_FIELDS_BYTES) length--;
    const over = await inject('POST', '/opencase/v1/case-templates', { name: 'too big', fields: fieldsOf(length) });
    assert.equal(over.statusCode, 400);
    assert.equal(assertErrorEnvelope(over.body).resMsg, `fields is ${measure(fieldsOf(length))} bytes as JSON; at most ${MAX_TEMPLATE_FIELDS_BYTES} bytes`);
    assert.equal((await inject('POST', '/opencase/v1/case-templates', { name: 'just fits', fields: fieldsOf(length - 1) })).statusCode, 200);

    // A text field's maxLength counts characters as the schemas do: 10 of 4 bytes each are 10, not 20 UTF-16 units.
    const templateId = (await ok('POST', '/opencase/v1/case-templates', { name: 'short text', fields: [{ name: 'AICC__t__CST', type: 'text', maxLength: 10 }] })).templateId;
    const type = (await ok('POST', '/opencase/v1/case-types', { typeName: 'short text', caseStatus: 'New,Completed', templateId })).caseTypeId;
    const caseWith = (value: string) => inject('POST', `${AICC}/case`, {
      caseInfo: { title: 't', description: 'd', type, isAtuoAssigned: false, ownerId: U, creatorId: U, contactId: DEMO_CONTACT.id, AICC__t__CST: value },
    });
    assert.equal((await caseWith('😀'.repeat(10))).statusCode, 200);
    assert.equal(assertErrorEnvelope((await caseWith('😀'.repeat(11))).body).resMsg, 'caseInfo.AICC__t__CST must be at most 10 characters');

    // case/list's own 20 fields and 50 template fields: one key more is refused before any is looked up.
    const most = (ListCasesBody as { maxProperties?: number }).maxProperties ?? 0;
    assert.equal(most, Object.keys(ListCasesBody.properties).length + MAX_TEMPLATE_FIELDS);
    const templateFields = Object.fromEntries(Array.from({ length: most - 1 }, (_, i) => [`AICC__x${i}__CST`, 'v']));
    const crowded = await inject('POST', `${AICC}/case/list`, { start: 0, limit: 1, ...templateFields });
    assert.equal(crowded.statusCode, 400);
    assert.equal(assertErrorEnvelope(crowded.body).resMsg, `body must have at most ${most} fields`);
  });
});
