import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLIENT, DEMO_USER } from '../src/demo/records.js';
import { fetchTokenOverHttp, startCliServer } from './cli-helpers.js';
import { AICC, testDatabase, TEST_BACKEND } from './helpers.js';

const WRITERS = 16;
const KILL_AFTER_ACKNOWLEDGED = 150;

/**
 * A real server is killed with SIGKILL while clients keep writing; restarted on the same database, it must show every
 * write it acknowledged, each with its trace. Group commit acknowledges a change only after the shared commit (with
 * synchronous=FULL on SQLite) returned, so nothing acknowledged can be lost.
 */
describe(`a server killed with SIGKILL under concurrent writes, on ${TEST_BACKEND}`, () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.remove());

  it('loses no acknowledged create and no acknowledged status change, and every one has its trace', { timeout: 120_000 }, async (context) => {
    const first = await startCliServer(['--demo', '--db', database.location], { OPENCASE_LOG_LEVEL: 'warn' });
    const token = await fetchTokenOverHttp(first.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
    const post = (path: string, body: unknown) => fetch(`${first.url}${AICC}/${path}`, {
      method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });

    const created: string[] = [];
    const completed: string[] = [];
    let acknowledged = 0;
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const response = await post('task', { taskInfo: { title: `crash ${w}-${i}`, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
          if (response.status !== 200) continue;
          const taskId = ((await response.json()) as { result: { taskId: string } }).result.taskId;
          created.push(taskId);
          acknowledged++;
          const update = await post('task/status/update', { id: taskId, status: 'Processing', creatorId: DEMO_USER.id });
          if (update.status === 200) {
            await update.arrayBuffer();
            completed.push(taskId);
            acknowledged++;
          }
        } catch {
          // The connection died with the server: whatever was not acknowledged may or may not have landed.
        }
        if (acknowledged >= KILL_AFTER_ACKNOWLEDGED && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
    assert.equal(first.child.signalCode, 'SIGKILL');
    assert.ok(created.length > 0 && completed.length > 0, 'writes were acknowledged before the kill');

    const second = await startCliServer(['--db', database.location], { OPENCASE_LOG_LEVEL: 'warn' });
    try {
      const again = await fetchTokenOverHttp(second.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret);
      const detail = async (taskId: string) => {
        const response = await fetch(`${second.url}${AICC}/task/${taskId}`, { headers: { 'access-token': again } });
        assert.equal(response.status, 200, `acknowledged task ${taskId} is missing after the crash`);
        return ((await response.json()) as { result: { taskInfo: { status: string }; taskTrace: Array<{ type: string }> } }).result;
      };
      for (const taskId of created) {
        const { taskInfo, taskTrace } = await detail(taskId);
        assert.equal(taskTrace[0]?.type, 'CreateTask');
        if (completed.includes(taskId)) {
          assert.equal(taskInfo.status, 'Processing', `acknowledged status change of ${taskId} is lost`);
          assert.equal(taskTrace.filter((trace) => trace.type === 'StatusUpdate').length, 1);
        }
      }
      context.diagnostic(`${created.length} creates and ${completed.length} status changes acknowledged before SIGKILL, all found with their traces`);
    } finally {
      await second.stop();
    }
  });
});
