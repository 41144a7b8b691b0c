import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REPLY_LIMIT } from '../../src/config.js';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';
import { PARTIAL_HEADER } from '../../src/lists/reply-bound.js';
import { AICC, useTestApp, tokenCalls } from '../helpers.js';

/**
 * A record's history has no bound of its own (every change adds a trace, each up to hundreds of KB at the field
 * bounds): task and case detail keep the newest traces and tasks that fit the reply limit, say so, and the export
 * has every trace. Text is written in characters that are 6 bytes each in JSON (`\u0001`), as at the worst.
 */
describe(`details with more history than a reply of ${DEFAULT_REPLY_LIMIT} bytes holds`, () => {
  const t = useTestApp();
  const U = DEMO_USER.id;
  const { ok } = tokenCalls(t);
  const text = (character: string, length: number) => character.repeat(length);
  type Trace = { type: string; description: string | null };

  it('task detail keeps the newest traces, oldest first, says how many of how many, built and cached alike', async () => {
    const taskId = (await ok('POST', `${AICC}/task`, { taskInfo: { title: 'long', description: text('\u0001', 20000), ownerId: U, creatorId: U } }))
      .json<{ result: { taskId: string } }>().result.taskId;
    // Each modify writes a trace whose description holds both texts: about 280 KB in the reply.
    for (let i = 0; i < 6; i++) await ok('POST', `${AICC}/task/modify`, { taskInfo: { id: taskId, description: text(String.fromCharCode(2 + i), 20000) } });
    const whole: Trace[] = [];
    for (let after = 0, more = true; more;) {
      const page = (await ok('GET', `/opencase/v1/traces?after=${after}&limit=100`)).json<{ result: { nextCursor: string; traces: Array<Trace & { objectId: string }> } }>().result;
      whole.push(...page.traces.filter((trace) => trace.objectId === taskId));
      more = page.traces.length > 0;
      after = Number(page.nextCursor);
    }
    assert.equal(whole.length, 7);
    for (const pass of ['built', 'cached']) {
      const detail = await ok('GET', `${AICC}/task/${taskId}`);
      assert.ok(detail.rawPayload.length <= DEFAULT_REPLY_LIMIT, `${pass}: ${detail.rawPayload.length} bytes`);
      const shown = detail.json<{ result: { taskTrace: Trace[] } }>().result.taskTrace;
      assert.ok(shown.length > 0 && shown.length < whole.length, `${pass}: ${shown.length} traces`);
      assert.deepEqual(shown.map((trace) => trace.description), whole.slice(-shown.length).map((trace) => trace.description), pass);
      assert.match(String(detail.headers[PARTIAL_HEADER]), new RegExp(`^taskTrace holds the newest ${shown.length} of 7: .* every trace is in GET /opencase/v1/traces`), pass);
    }
    // A task of a short history is whole, and says nothing.
    const short = (await ok('POST', `${AICC}/task`, { taskInfo: { title: 'short', ownerId: U, creatorId: U } })).json<{ result: { taskId: string } }>().result.taskId;
    assert.equal((await ok('GET', `${AICC}/task/${short}`)).headers[PARTIAL_HEADER], undefined);
  });

  it('case detail keeps the newest tasks, then the newest traces in what is left, and says so', async () => {
    const caseId = (await ok('POST', `${AICC}/case`, {
      caseInfo: { title: 'many tasks', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: U, creatorId: U, contactId: DEMO_CONTACT.id },
    })).json<{ result: { caseId: string } }>().result.caseId;
    const made: string[] = [];
    for (let i = 0; i < 10; i++) {
      made.push((await ok('POST', `${AICC}/task`, { taskInfo: { title: `task ${i}`, description: text('\u0001', 20000), ownerId: U, creatorId: U, type: 'Case', relateId: caseId } }))
        .json<{ result: { taskId: string } }>().result.taskId);
      t.now.value += 1000;
    }
    const detail = await ok('GET', `${AICC}/case/${caseId}`);
    assert.ok(detail.rawPayload.length <= DEFAULT_REPLY_LIMIT, `${detail.rawPayload.length} bytes`);
    const [{ tasks, caseTrace }] = detail.json<{ result: [{ tasks: Array<{ id: string }>; caseTrace: Trace[] }] }>().result;
    assert.ok(tasks.length > 0 && tasks.length < made.length, `${tasks.length} tasks`);
    assert.deepEqual(tasks.map((task) => task.id), made.slice(-tasks.length));
    assert.ok(caseTrace.length > 0);
    assert.match(String(detail.headers[PARTIAL_HEADER]), new RegExp(`^tasks holds the newest ${tasks.length} of 10: `));
    // Every task is still in task/list, by the case.
    const listed = (await ok('POST', `${AICC}/task/list`, { start: 0, limit: 100, creatorId: U, type: 'Case', relateId: caseId })).json<{ result: { count: number } }>().result;
    assert.equal(listed.count, 10);
  });
});
