import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { WIRE_CONTENT_TYPE } from '../../src/wire/envelope.js';
import { assertErrorEnvelope, fetchToken, startTestApp, TASK_PATH } from '../helpers.js';

describe('internal errors', () => {
  it('a server-side failure is a 500 envelope with no details, and the details go to the log', async () => {
    const t = await startTestApp();
    try {
      const token = await fetchToken(t.app);
      // Break the store under the running app: every query now fails inside the server.
      await t.database.db.schema.dropTable('task_traces').execute();
      const response = await t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
      assert.equal(response.statusCode, 500);
      assert.equal(response.headers['content-type'], WIRE_CONTENT_TYPE);
      const error = assertErrorEnvelope(response.body);
      assert.deepEqual(error, { resCode: '500001', resMsg: 'internal error' });
      assert.ok(!response.body.includes('task_traces'));
      assert.ok(t.logs.lines.some((line) => /no such table: task_traces|relation \\"task_traces\\" does not exist/.test(line)), 'the cause is logged');
    } finally {
      await t.close();
    }
  });
});
