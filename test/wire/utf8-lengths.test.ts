import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_USER } from '../../src/demo/records.js';
import { DOCUMENT_PATH } from '../../src/openapi/document.js';
import { MAX_UTF8_BYTES } from '../../src/wire/bytes.js';
import { assertErrorEnvelope, callExtension, postAicc, resultOf, useTestApp } from '../helpers.js';

/**
 * AICC's tables give text lengths in bytes (长度(字节)), not characters: a title is 128 bytes of UTF-8, so 42 Chinese
 * characters and "ab" (126 + 2) are taken and 43 Chinese characters (129 bytes) are refused, as AICC refuses them.
 */
const CJK = '工';
const U = DEMO_USER.id;
/** `characters` Chinese characters (3 bytes each) and `ascii` letters after them. */
const text = (characters: number, ascii = '') => `${CJK.repeat(characters)}${ascii}`;
const AT_128 = text(42, 'ab');
const OVER_128 = text(43);
const bytesRule = (field: string, bytes: number, limit: number) => `${field} is ${bytes} bytes of UTF-8; at most ${limit} bytes (a Chinese character takes 3)`;

describe('AICC text lengths are bytes of UTF-8', () => {
  const t = useTestApp();

  const count = async (table: 'tasks' | 'cases' | 'case_types') =>
    Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  /** The call refused with a 400 in the envelope (resCode 400001, as every validation error), its message returned. */
  async function refused(response: { statusCode: number; body: string }): Promise<string> {
    assert.equal(response.statusCode, 400, response.body);
    const { resCode, resMsg } = assertErrorEnvelope(response.body);
    assert.equal(resCode, '400001');
    return resMsg;
  }

  const taskInfo = (title: string) => ({ taskInfo: { title, ownerId: U, creatorId: U } });
  const caseInfo = (fields: Record<string, string>) => ({
    caseInfo: { title: 't', description: 'd', type: DEMO_CASE_TYPE.id, isAtuoAssigned: false, ownerId: U, creatorId: U, contactId: DEMO_CONTACT.id, ...fields },
  });

  it('task create: a title of 42 Chinese characters and "ab" (128 bytes) is taken and read back; 43 (129 bytes) is a 400 naming taskInfo.title, nothing written', async () => {
    assert.equal(Buffer.byteLength(AT_128), 128);
    const { taskId } = resultOf<{ taskId: string }>(await postAicc(t.app, t.token, 'task', taskInfo(AT_128)));
    const detail = await t.app.inject({ method: 'GET', url: `/service/AICC__Case/1.0.0/openapi/task/${taskId}`, headers: { 'access-token': t.token } });
    assert.equal(resultOf<{ taskInfo: { title: string } }>(detail).taskInfo.title, AT_128);

    const before = await count('tasks');
    assert.equal(await refused(await postAicc(t.app, t.token, 'task', taskInfo(OVER_128))), bytesRule('taskInfo.title', 129, 128));
    assert.equal(await count('tasks'), before);
  });

  it('the bound is the same for every script: 128 ASCII letters and 32 four-byte characters are taken, one byte more of either is refused in bytes', async () => {
    for (const title of ['x'.repeat(128), '😀'.repeat(32), `${'😀'.repeat(31)}${text(1, 'a')}`]) {
      assert.equal((await postAicc(t.app, t.token, 'task', taskInfo(title))).statusCode, 200, title);
    }
    assert.equal(await refused(await postAicc(t.app, t.token, 'task', taskInfo('x'.repeat(129)))), bytesRule('taskInfo.title', 129, 128));
    assert.equal(await refused(await postAicc(t.app, t.token, 'task', taskInfo(`${'😀'.repeat(32)}x`))), bytesRule('taskInfo.title', 129, 128));
    // Other rules of the field are unchanged: an empty title is still "must not be empty", a number still a type error.
    assert.equal(await refused(await postAicc(t.app, t.token, 'task', taskInfo(''))), 'taskInfo.title must not be empty');
    assert.equal(await refused(await postAicc(t.app, t.token, 'task', { taskInfo: { title: 5, ownerId: U, creatorId: U } })), 'taskInfo.title must be a string');
  });

  it('case create: title 128 bytes, description 20000 bytes (6666 Chinese characters and "ab"); one byte more of either is a 400, nothing written', async () => {
    const description = text(6666, 'ab');
    assert.equal(Buffer.byteLength(description), 20000);
    resultOf(await postAicc(t.app, t.token, 'case', caseInfo({ title: AT_128, description })));

    const before = await count('cases');
    assert.equal(await refused(await postAicc(t.app, t.token, 'case', caseInfo({ title: OVER_128 }))), bytesRule('caseInfo.title', 129, 128));
    assert.equal(await refused(await postAicc(t.app, t.token, 'case', caseInfo({ description: text(6667) }))), bytesRule('caseInfo.description', 20001, 20000));
    // contactPhone is 20 bytes: six Chinese characters and "ab" are taken, seven are not.
    resultOf(await postAicc(t.app, t.token, 'case', caseInfo({ contactPhone: text(6, 'ab') })));
    assert.equal(await refused(await postAicc(t.app, t.token, 'case', caseInfo({ contactPhone: text(7) }))), bytesRule('caseInfo.contactPhone', 21, 20));
    assert.equal(await count('cases'), before + 1);
  });

  it('the list filters: case/list\'s, cases/search\'s and task/list\'s title and caseType/list\'s typeName take 128 bytes and refuse 129', async () => {
    const lists: Array<[string, (filter: Record<string, string>) => Promise<{ statusCode: number; body: string }>, string]> = [
      ['case/list', (filter) => postAicc(t.app, t.token, 'case/list', { start: 0, limit: 1, ...filter }), 'title'],
      ['task/list', (filter) => postAicc(t.app, t.token, 'task/list', { start: 0, limit: 1, creatorId: U, ...filter }), 'title'],
      ['caseType/list', (filter) => postAicc(t.app, t.token, 'caseType/list', { start: 0, limit: 1, ...filter }), 'typeName'],
      ['cases/search', (filter) => callExtension(t, 'POST', 'cases/search', { start: 0, limit: 1, ...filter }), 'title'],
    ];
    for (const [call, list, field] of lists) {
      const taken = await list({ [field]: AT_128 });
      assert.equal(taken.statusCode, 200, `${call}: ${taken.body}`);
      assert.equal((JSON.parse(taken.body) as { resCode: string }).resCode, '0', call);
      assert.equal(await refused(await list({ [field]: OVER_128 })), bytesRule(field, 129, 128), call);
    }
    // case/list's status filter is a status (128 bytes), and contactPhone 20 bytes.
    assert.equal(await refused(await postAicc(t.app, t.token, 'case/list', { start: 0, limit: 1, status: OVER_128 })), bytesRule('status', 129, 128));
    assert.equal(await refused(await postAicc(t.app, t.token, 'case/list', { start: 0, limit: 1, contactPhone: text(7) })), bytesRule('contactPhone', 21, 20));
  });

  it('remarks are 2000 bytes, and a case type\'s name and each status of its flow 128 bytes, as the AICC calls that name them take them', async () => {
    const { caseId } = resultOf<{ caseId: string }>(await postAicc(t.app, t.token, 'case', caseInfo({})));
    assert.equal(await refused(await postAicc(t.app, t.token, 'case/cancel', { id: caseId, creatorId: U, remark: text(667) })), bytesRule('remark', 2001, 2000));
    resultOf(await postAicc(t.app, t.token, 'case/cancel', { id: caseId, creatorId: U, remark: text(666, 'ab') }));

    const before = await count('case_types');
    assert.equal(await refused(await callExtension(t, 'POST', 'case-types', { typeName: OVER_128, caseStatus: 'New,Completed' })), bytesRule('typeName', 129, 128));
    assert.match(await refused(await callExtension(t, 'POST', 'case-types', { typeName: 'long status', caseStatus: `${OVER_128},Completed` })),
      /^caseStatus must list statuses of 1 to 128 bytes of UTF-8 \(a Chinese character takes 3\), separated by commas; one is 129 bytes$/);
    assert.equal(await count('case_types'), before);
    const { caseTypeId } = resultOf<{ caseTypeId: string }>(await callExtension(t, 'POST', 'case-types', { typeName: AT_128, caseStatus: `${AT_128},Completed` }));
    const flowCase = resultOf<{ caseId: string }>(await postAicc(t.app, t.token, 'case', caseInfo({ type: caseTypeId }))).caseId;
    resultOf(await postAicc(t.app, t.token, 'status/update', { id: flowCase, creatorId: U, status: AT_128 }));
    assert.equal(await refused(await postAicc(t.app, t.token, 'status/update', { id: flowCase, creatorId: U, status: OVER_128 })), bytesRule('status', 129, 128));
  });

  it('the OpenAPI document gives both bounds: maxLength (a true bound in characters too) and x-maxUtf8Bytes, the one AICC means', async () => {
    const document = (await t.app.inject({ method: 'GET', url: DOCUMENT_PATH })).json<{
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, { properties: Record<string, Record<string, unknown>> }> } }> } } }>;
    }>();
    const body = document.paths['/service/AICC__Case/1.0.0/openapi/task']?.post.requestBody.content['application/json']?.schema;
    const title = body?.properties.taskInfo?.properties.title;
    assert.equal(title?.maxLength, 128);
    assert.equal(title?.[MAX_UTF8_BYTES], 128);
    assert.equal(title?.description, 'at most 128 bytes of UTF-8 (a Chinese character takes 3)');
    assert.match((document as unknown as { info: { description: string } }).info.description, /Text lengths of the AICC calls are bytes of UTF-8/);
  });
});
