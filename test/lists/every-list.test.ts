import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CASE_TYPE, DEMO_CONTACT } from '../../src/demo/records.js';
import { PARTIAL_HEADER } from '../../src/lists/reply-bound.js';
import { AICC, useTestApp } from '../helpers.js';

const LIMIT = 64 * 1024;
const C = '\u0001';

/**
 * Every list route stops at the reply limit, set here to its least (64 KiB) so that a few rows at their bounds pass
 * it: the page within the limit, the header saying where to go on, `count` exact, and paging on reaches every row.
 * (Lists of large rows are in worst-case-pages.test.ts, at the default limit.)
 */
describe(`every list at OPENCASE_REPLY_LIMIT=${LIMIT}`, () => {
  const t = useTestApp({ env: { OPENCASE_REPLY_LIMIT: String(LIMIT) } });
  const send = (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({
    method, url, headers: { 'access-token': t.token }, ...(payload !== undefined && { payload: payload as object }),
  });
  const ok = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const response = await send(method, url, payload);
    assert.equal(response.statusCode, 200, `${method} ${url}: ${response.body.slice(0, 300)}`);
    return response.json<{ result: Record<string, unknown> }>().result;
  };

  /** Pages through a list, checking each page; the rows it saw, by a key of theirs. */
  async function pageThrough(name: string, page: (start: number) => Promise<{ rows: unknown[]; count: number; bytes: number; partial: unknown }>) {
    let cut = 0;
    let seen = 0;
    for (let start = 0, count = Infinity; start < count;) {
      const got = await page(start);
      count = got.count;
      assert.ok(got.bytes <= LIMIT, `${name}: a reply of ${got.bytes} bytes`);
      assert.ok(got.rows.length > 0, `${name}: an empty page at ${start} of ${count}`);
      start += got.rows.length;
      seen += got.rows.length;
      if (start < count && got.rows.length < 100) {
        assert.match(String(got.partial), new RegExp(`continue at start=${start}$`), name);
        cut++;
      }
    }
    assert.ok(cut > 0, `${name}: no page was cut; make its rows larger`);
    return seen;
  }

  const get = (path: string, key: string) => async (start: number) => {
    const response = await send('GET', `/opencase/v1/${path}${path.includes('?') ? '&' : '?'}start=${start}&limit=100`);
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    const result = response.json<{ result: Record<string, unknown[]> & { count: number } }>().result;
    return { rows: result[key] ?? [], count: result.count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] };
  };

  it('users and queues', async () => {
    for (let i = 0; i < 100; i++) {
      await ok('POST', '/opencase/v1/users', { name: C.repeat(128) });
      await ok('POST', '/opencase/v1/queues', { name: C.repeat(128) });
    }
    assert.equal(await pageThrough('users', get('users', 'users')), 101);
    assert.equal(await pageThrough('queues', get('queues', 'queues')), 100);
  });

  it('case types, templates and the statistics report', async () => {
    const fields = Array.from({ length: 50 }, (_, i) => ({ name: `AICC__f${i}__CST`, label: C.repeat(128), type: 'text' }));
    for (let i = 0; i < 2; i++) await ok('POST', '/opencase/v1/case-templates', { name: `${i}`, description: C.repeat(2000), fields });
    assert.equal(await pageThrough('case-templates', get('case-templates', 'templates')), 2);

    let typeId = '';
    // A flow of 2,000 characters: statuses of 128 characters at most, of control characters a flow does not trim.
    const caseStatus = `${Array.from({ length: 15 }, (_, j) => String.fromCharCode(0x0e + j).repeat(128)).join(',')},${C.repeat(54)},Completed`;
    for (let i = 0; i < 3; i++) {
      typeId = String((await ok('POST', '/opencase/v1/case-types', { typeName: String.fromCharCode(0x0e + i).repeat(128), description: C.repeat(2000), caseStatus })).caseTypeId);
    }
    assert.ok(await pageThrough('caseType/list', async (start) => {
      const response = await send('POST', `${AICC}/caseType/list`, { start, limit: 100 });
      const result = response.json<{ result: { caseTypes: unknown[]; count: number } }>().result;
      return { rows: result.caseTypes, count: result.count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] };
    }) >= 3);

    // A day of the report names its case type: 128 characters of 6 bytes, 100 days.
    assert.equal(await pageThrough('statistics/case/report', async (start) => {
      const response = await send('POST', `${AICC}/statistics/case/report`, { start, limit: 100, caseTypeId: typeId, startTime: '2024-01-01', endTime: '2024-04-09' });
      const result = response.json<{ result: { caseStatisticsList: unknown[]; count: number } }>().result;
      return { rows: result.caseStatisticsList, count: result.count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] };
    }), 100);
  });

  it('contacts, task/list, case/list and the trace export', async () => {
    const user = String((await ok('POST', '/opencase/v1/users', { name: 'agent' })).userId);
    for (let i = 0; i < 4; i++) {
      await ok('POST', '/opencase/v1/contacts', { customerName: C.repeat(128), description: C.repeat(2000), remark: C.repeat(2000), customFied: C.repeat(4000) });
      const { taskId } = await ok('POST', `${AICC}/task`, { taskInfo: { title: C.repeat(128), description: C.repeat(5000), ownerId: user, creatorId: user } });
      // Its trace holds both descriptions: about 70 KB in the export, more than the limit: alone on its page.
      await ok('POST', `${AICC}/task/modify`, { taskInfo: { id: taskId, description: '\u0002'.repeat(5000) } });
    }
    assert.ok(await pageThrough('contacts', get('contacts', 'contacts')) >= 4);
    assert.equal(await pageThrough('task/list', async (start) => {
      const response = await send('POST', `${AICC}/task/list`, { start, limit: 100, creatorId: user, ownerId: user });
      const result = response.json<{ result: { taskList: unknown[]; count: number } }>().result;
      return { rows: result.taskList, count: result.count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] };
    }), 4);

    const typeId = DEMO_CASE_TYPE.id;
    const contactId = DEMO_CONTACT.id;
    // case/list rows carry no description: a row of a 128-character title is about 1 KB, so 80 of them pass 64 KiB.
    for (let i = 0; i < 80; i++) {
      await ok('POST', `${AICC}/case`, { caseInfo: { title: C.repeat(128), description: 'd', type: typeId, isAtuoAssigned: false, ownerId: user, creatorId: user, contactId, contactPhone: C.repeat(20) } });
    }
    assert.equal(await pageThrough('case/list', async (start) => {
      const response = await send('POST', `${AICC}/case/list`, { start, limit: 100, type: typeId });
      const [result] = response.json<{ result: Array<{ caseList: unknown[]; count: number }> }>().result as [{ caseList: unknown[]; count: number }];
      return { rows: result.caseList, count: result.count, bytes: response.rawPayload.length, partial: response.headers[PARTIAL_HEADER] };
    }), 81);

    // The export goes on from its nextCursor; the header says the same place.
    let traces = 0;
    let cut = 0;
    for (let after = '0'; ;) {
      const response = await send('GET', `/opencase/v1/traces?after=${after}&limit=100`);
      const page = response.json<{ result: { nextCursor: string; traces: unknown[] } }>().result;
      if (page.traces.length === 0) break;
      assert.ok(response.rawPayload.length <= LIMIT || page.traces.length === 1, `traces: ${response.rawPayload.length} bytes`);
      if (response.headers[PARTIAL_HEADER] !== undefined) {
        assert.match(String(response.headers[PARTIAL_HEADER]), new RegExp(`continue at after=${page.nextCursor}$`));
        cut++;
      }
      traces += page.traces.length;
      after = page.nextCursor;
    }
    assert.ok(cut > 0 && traces >= 4 + 80);
  });
});
