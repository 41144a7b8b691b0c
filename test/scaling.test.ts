import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CLIENT, DEMO_USER } from '../src/demo/records.js';
import { fetchTokenOverHttp, startCliServer, type CliServer } from './cli-helpers.js';
import { AICC, TEST_BACKEND, testDatabase } from './helpers.js';

const CREATES = 1000;
const IN_FLIGHT = 64;

/** Several stateless processes on one database, as a load balancer would spread an integration's calls. */
describe(`two server processes on one ${TEST_BACKEND} database`, () => {
  let servers: CliServer[] = [];
  let removeDb: () => Promise<void>;
  let tokens: string[] = [];

  before(async () => {
    const database = await testDatabase();
    removeDb = database.remove;
    servers = await Promise.all([startCliServer(['--demo', '--db', database.location]), startCliServer(['--demo', '--db', database.location])]);
    tokens = await Promise.all(servers.map((server) => fetchTokenOverHttp(server.url, DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret)));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await removeDb();
  });

  const post = (server: number, token: string, path: string, body: unknown) => fetch(`${servers[server]?.url}${AICC}/${path}`, {
    method: 'POST', headers: { 'access-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  it(`${CREATES} concurrent creates split between them give ${CREATES} distinct task numbers and no error`, async () => {
    const taskIds: string[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < CREATES) {
        const i = next++;
        // Each process also accepts the token the other issued: tokens live in the shared database.
        const response = await post(i % 2, tokens[(i >> 1) % 2] ?? '', 'task', { taskInfo: { title: `load ${i}`, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
        const body = await response.json() as { resCode: string; result?: { taskId: string } };
        if (response.status !== 200 || !body.result) failures.push(`${response.status} ${JSON.stringify(body)}`);
        else taskIds.push(body.result.taskId);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    assert.deepEqual(failures.slice(0, 5), []);
    assert.equal(new Set(taskIds).size, CREATES);

    const numbers = new Set<string>();
    for (let start = 0; start < CREATES + 1; start += 100) {
      const response = await post(1, tokens[0] ?? '', 'task/list', { start, limit: 100, creatorId: DEMO_USER.id });
      const { result } = await response.json() as { result: { count: number; taskList: Array<{ taskNo: string }> } };
      assert.equal(result.count, CREATES + 1, 'the created tasks and the demo task');
      for (const task of result.taskList) numbers.add(task.taskNo);
    }
    assert.equal(numbers.size, CREATES + 1, 'every task number distinct');
  });

  it('each process reads what the other wrote, at once', async () => {
    for (const [writer, reader] of [[0, 1], [1, 0]] as const) {
      const created = await post(writer, tokens[writer] ?? '', 'task', { taskInfo: { title: `written by ${writer}`, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
      const { result } = await created.json() as { result: { taskId: string } };
      const read = await fetch(`${servers[reader]?.url}${AICC}/task/${result.taskId}`, { headers: { 'access-token': tokens[reader] ?? '' } });
      assert.equal(read.status, 200);
      assert.equal((await read.json() as { result: { taskInfo: { title: string } } }).result.taskInfo.title, `written by ${writer}`);
      // The reader has that detail cached now; a change through the writer shows on the reader's next read.
      const changed = await post(writer, tokens[writer] ?? '', 'task/status/update', { id: result.taskId, status: 'Completed', creatorId: DEMO_USER.id });
      assert.equal(changed.status, 200);
      const reread = await fetch(`${servers[reader]?.url}${AICC}/task/${result.taskId}`, { headers: { 'access-token': tokens[reader] ?? '' } });
      assert.equal((await reread.json() as { result: { taskInfo: { status: string } } }).result.taskInfo.status, 'Completed');
    }
  });

  it("each process's task lists show the other's changes at once", async () => {
    const pending = { start: 0, limit: 5, creatorId: DEMO_USER.id, status: 'Pending' };
    const countOn = async (server: 0 | 1) => {
      const response = await post(server, tokens[server] ?? '', 'task/list', pending);
      return (await response.json() as { result: { count: number } }).result.count;
    };
    for (const [writer, reader] of [[0, 1], [1, 0]] as const) {
      const before = await countOn(reader);
      assert.equal(await countOn(reader), before, 'answered twice alike (the second from the cache)');
      const created = await post(writer, tokens[writer] ?? '', 'task', { taskInfo: { title: `listed by ${writer}`, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } });
      assert.equal(created.status, 200);
      assert.equal(await countOn(reader), before + 1);
    }
  });
});
