import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TSchema } from 'typebox';
import { BIND_ACCOUNT_MAX_BYTES, CreateContactBody, MAX_BIND_ACCOUNTS } from '../../src/contacts/schemas.js';
import { DEFAULT_REPLY_LIMIT } from '../../src/config.js';
import { DEMO_CONTACT } from '../../src/demo/records.js';
import { PARTIAL_HEADER } from '../../src/lists/reply-bound.js';
import { AICC, ON_POSTGRES, useTestApp, tokenCalls } from '../helpers.js';

/**
 * The largest rows the field bounds allow, listed at the default reply limit: text at its bound in characters that
 * are 6 bytes each in JSON (`\u0001`), every list's rows at their largest. A page stays within the limit (or holds a
 * single row larger than it), says it stopped short, and paging on from where it says reaches every row once.
 */
const C = '\u0001';

/** README's "Bounds" table: the most one row of each list is as JSON (its reply with that row alone, envelope included). */
const STATED = {
  contact: 170_000, task: 125_000, case: 610_000, trace: 3_200_000, caseType: 30_000, template: 90_000, taskDetail: 420_000, caseDetail: 1_030_000,
};

/** A value at its largest for a TypeBox schema of the contact body: text at maxLength, objects with every field. */
function largest(schema: TSchema): unknown {
  const node = schema as { type?: string | string[]; maxLength?: number; maximum?: number; pattern?: string; properties?: Record<string, TSchema> };
  const types = [node.type ?? []].flat();
  if (node.maxLength !== undefined) return C.repeat(node.maxLength);
  if (types.includes('object') && node.properties) return Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, largest(child)]));
  if (types.includes('boolean')) return true;
  if (types.includes('integer')) return node.maximum ?? 0;
  return undefined;
}

describe(`lists at their largest stay within the reply limit (${DEFAULT_REPLY_LIMIT} bytes by default)`, () => {
  const t = useTestApp();
  const { ok } = tokenCalls(t);

  /**
   * Pages through a list from start 0: every reply within the limit unless it holds one row, a page short of the
   * limit asked for only with the header saying where to go on (and only there), every row once, `count` exact.
   */
  async function pageThrough(page: (start: number) => Promise<{ rows: Array<{ id?: string; taskId?: string }>; count: number; bytes: number; partial: string | undefined }>) {
    const seen: string[] = [];
    let start = 0;
    let largestReply = 0;
    let partials = 0;
    for (let count = Infinity; start < count;) {
      const got = await page(start);
      count = got.count;
      largestReply = Math.max(largestReply, got.bytes);
      assert.ok(got.bytes <= DEFAULT_REPLY_LIMIT || got.rows.length === 1, `a reply of ${got.bytes} bytes with ${got.rows.length} rows`);
      assert.ok(got.rows.length > 0, 'a page with no rows before the end');
      const end = start + got.rows.length;
      if (end < count && got.rows.length < 100) {
        assert.match(got.partial ?? '', new RegExp(`continue at start=${end}$`));
        partials++;
      } else {
        assert.equal(got.partial, undefined);
      }
      seen.push(...got.rows.map((row) => row.id ?? row.taskId ?? ''));
      start = end;
    }
    assert.equal(new Set(seen).size, seen.length, 'a row came twice');
    assert.equal(seen.length, start);
    return { seen, largestReply, partials };
  }

  it('contacts with every field at its bound, bindAccount full', async (context) => {
    const item = `xx${C.repeat((BIND_ACCOUNT_MAX_BYTES - 4) / 6)}`;
    assert.equal(Buffer.byteLength(JSON.stringify(item)), BIND_ACCOUNT_MAX_BYTES);
    const body = { ...(largest(CreateContactBody) as object), bindAccount: Array.from({ length: MAX_BIND_ACCOUNTS }, () => item), birthDay: '1990-01-01' };
    delete (body as { organizationId?: unknown }).organizationId;
    for (let i = 0; i < 8; i++) await ok('POST', '/opencase/v1/contacts', body);
    const { seen, largestReply, partials } = await pageThrough(async (start) => {
      const response = await ok('GET', `/opencase/v1/contacts?start=${start}&limit=100`);
      const { contacts, count } = (response.json() as { result: { contacts: Array<{ id: string }>; count: number } }).result;
      return { rows: contacts, count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] as string | undefined };
    });
    assert.ok(seen.includes(DEMO_CONTACT.id));
    assert.ok(partials > 0, 'the worst contacts fit one page: make more of them');
    const one = (await ok('GET', '/opencase/v1/contacts?limit=1')).rawPayload.length;
    assert.ok(one <= STATED.contact, `a contact is ${one} bytes: say so in README's Bounds`);
    context.diagnostic(`a contact at its largest: ${one} bytes; the largest page: ${largestReply} bytes`);
  });

  it('case types, templates and the details of a task and a case at their largest (with the trace of their creation)', async (context) => {
    // A template's fields at their bound in JSON: select options of \u0001, as many as fit in 64 KiB.
    const fields = Array.from({ length: 50 }, (_, i) => ({ name: `AICC__f${i}__CST`, label: C.repeat(128), type: 'text', maxLength: 2000 }));
    const templateId = (await ok('POST', '/opencase/v1/case-templates', { name: C.repeat(128), description: C.repeat(2000), fields }))
      .json<{ result: { templateId: string } }>().result.templateId;
    // Control characters that are no white space (a flow trims its statuses), 6 bytes each in JSON.
    const statuses = Array.from({ length: 15 }, (_, i) => String.fromCharCode(0x0e + i).repeat(128));
    const caseStatus = `${statuses.join(',')},${C.repeat(2000 - 15 * 129 - 'Completed'.length - 1)},Completed`;
    assert.equal(caseStatus.length, 2000);
    // Type names are unique in a tenant: this one is of \u0002, the case/list test's of \u0001.
    const typeId = (await ok('POST', '/opencase/v1/case-types', { typeName: '\u0002'.repeat(128), description: C.repeat(2000), caseStatus, templateId }))
      .json<{ result: { caseTypeId: string } }>().result.caseTypeId;
    const template = (await ok('GET', '/opencase/v1/case-templates?limit=1')).rawPayload.length;
    const caseType = (await ok('POST', `${AICC}/caseType/list`, { start: 0, limit: 1, typeName: '\u0002' })).rawPayload.length;

    const contact = { ...(largest(CreateContactBody) as object), birthDay: '1990-01-01', bindAccount: Array.from({ length: MAX_BIND_ACCOUNTS }, () => `xx${C.repeat((BIND_ACCOUNT_MAX_BYTES - 4) / 6)}`) };
    delete (contact as { organizationId?: unknown }).organizationId;
    const contactId = (await ok('POST', '/opencase/v1/contacts', contact)).json<{ result: { contactId: string } }>().result.contactId;
    const owner = (await ok('POST', '/opencase/v1/users', { name: C.repeat(128) })).json<{ result: { userId: string } }>().result.userId;
    const values = Object.fromEntries(fields.map((field) => [field.name, C.repeat(2000)]));
    const caseId = (await ok('POST', `${AICC}/case`, { caseInfo: {
      title: C.repeat(128), description: C.repeat(20000), type: typeId, isAtuoAssigned: false, ownerId: owner, creatorId: owner, contactId,
      contactPhone: C.repeat(20), attachment: C.repeat(255), ...values,
    } })).json<{ result: { caseId: string } }>().result.caseId;
    const taskId = (await ok('POST', `${AICC}/task`, { taskInfo: {
      title: C.repeat(128), description: C.repeat(20000), attachment: C.repeat(255), ownerId: owner, creatorId: owner, contactId, type: 'Case', relateId: caseId,
    } })).json<{ result: { taskId: string } }>().result.taskId;
    const taskDetail = (await ok('GET', `${AICC}/task/${taskId}`)).rawPayload.length;
    const caseDetail = (await ok('GET', `${AICC}/case/${caseId}`)).rawPayload.length;
    const measured = { template, caseType, taskDetail, caseDetail };
    for (const [what, bytes] of Object.entries(measured)) assert.ok(bytes <= STATED[what as keyof typeof STATED], `${what} is ${bytes} bytes: say so in README's Bounds`);
    context.diagnostic(JSON.stringify(measured));
  });

  it('task/list with tasks at their bounds, owned by a user whose name is at its bound', async (context) => {
    const owner = (await ok('POST', '/opencase/v1/users', { name: C.repeat(128) })).json<{ result: { userId: string } }>().result.userId;
    const taskInfo = { title: C.repeat(128), description: C.repeat(20000), attachment: C.repeat(255), ownerId: owner, creatorId: owner, priority: 'Critical', dueDate: '2030-01-01 00:00:00' };
    for (let i = 0; i < 10; i++) await ok('POST', `${AICC}/task`, { taskInfo });
    for (const pass of ['built', 'cached']) {
      const { seen, largestReply, partials } = await pageThrough(async (start) => {
        const response = await ok('POST', `${AICC}/task/list`, { start, limit: 100, creatorId: owner, ownerId: owner });
        const { taskList, count } = (response.json() as { result: { taskList: Array<{ taskId: string }>; count: number } }).result;
        return { rows: taskList, count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] as string | undefined };
      });
      assert.equal(seen.length, 10, pass);
      assert.ok(partials > 0, pass);
      context.diagnostic(`${pass}: the largest task/list page ${largestReply} bytes`);
    }
    const one = (await ok('POST', `${AICC}/task/list`, { start: 0, limit: 1, creatorId: owner, ownerId: owner })).rawPayload.length;
    assert.ok(one <= STATED.task, `a task is ${one} bytes: say so in README's Bounds`);
    context.diagnostic(`a task at its largest: ${one} bytes`);
  });

  it('case/list with 50 template text fields of 2,000 characters, a 128-character status and type name; the export of its traces', async (context) => {
    const fields = Array.from({ length: 50 }, (_, i) => ({ name: `AICC__field${i}__CST`, type: 'text', maxLength: 2000 }));
    const templateId = (await ok('POST', '/opencase/v1/case-templates', { name: 'largest', fields })).json<{ result: { templateId: string } }>().result.templateId;
    const status = C.repeat(128);
    const typeId = (await ok('POST', '/opencase/v1/case-types', { typeName: C.repeat(128), caseStatus: `${status},Completed`, templateId }))
      .json<{ result: { caseTypeId: string } }>().result.caseTypeId;
    const values = Object.fromEntries(fields.map((field) => [field.name, C.repeat(2000)]));
    const caseInfo = { title: C.repeat(128), description: C.repeat(20000), type: typeId, isAtuoAssigned: true, contactId: DEMO_CONTACT.id, contactPhone: C.repeat(20), attachment: C.repeat(255), ...values };
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await ok('POST', `${AICC}/case`, { caseInfo })).json<{ result: { caseId: string } }>().result.caseId);
    const { seen, largestReply, partials } = await pageThrough(async (start) => {
      const response = await ok('POST', `${AICC}/case/list`, { start, limit: 100, type: typeId });
      const [{ caseList, count }] = (response.json() as { result: Array<{ caseList: Array<{ id: string }>; count: number }> }).result as [{ caseList: Array<{ id: string }>; count: number }];
      return { rows: caseList, count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] as string | undefined };
    });
    assert.deepEqual(seen.sort(), made.sort());
    assert.ok(partials > 0);
    assert.ok(largestReply <= STATED.case, `a case is ${largestReply} bytes: say so in README's Bounds`);
    context.diagnostic(`a case at its largest, alone on its page: ${largestReply} bytes (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`);

    // The trace of a modify changing every field from its largest to another largest is the largest row of all: alone on its page.
    const other = '\u0002';
    const after = Number((await ok('GET', '/opencase/v1/traces?limit=100')).json<{ result: { nextCursor: string } }>().result.nextCursor);
    const [first] = made as [string];
    // A user of its own, so that the transfer below is a change (the first listed user may own the case already:
    // which one that is depended on the tests run before this one).
    const operator = (await ok('POST', '/opencase/v1/users', { name: 'operator' })).json<{ result: { userId: string } }>().result.userId;
    await ok('POST', `${AICC}/case/modify`, { caseInfo: {
      id: first, title: other.repeat(128), description: other.repeat(20000), contactPhone: other.repeat(20), attachment: other.repeat(255), creatorId: operator,
      ...Object.fromEntries(fields.map((field) => [field.name, other.repeat(2000)])),
    } });
    await ok('POST', `${AICC}/case/transfer`, { id: first, ownerId: operator, creatorId: operator, remark: C.repeat(2000) });
    const traces = await ok('GET', `/opencase/v1/traces?after=${after}&limit=100`);
    const page = traces.json<{ result: { nextCursor: string; traces: Array<{ seq: number; type: string }> } }>().result;
    assert.equal(page.traces.length, 1);
    assert.match(traces.headers[PARTIAL_HEADER] as string, new RegExp(`continue at after=${page.nextCursor}$`));
    assert.ok(traces.rawPayload.length <= STATED.trace, `the modify trace is ${traces.rawPayload.length} bytes: say so in README's Bounds`);
    context.diagnostic(`the exported modify trace, alone on its page: ${traces.rawPayload.length} bytes`);
    const rest = (await ok('GET', `/opencase/v1/traces?after=${page.nextCursor}&limit=100`)).json<{ result: { traces: Array<{ type: string }> } }>().result;
    assert.deepEqual(rest.traces.map((trace) => trace.type), ['TransferCase']);
  });
});
