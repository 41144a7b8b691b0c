import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { RestartBackoff, STABLE_AFTER_MS } from '../src/cluster.js';
import { testDatabase } from './helpers.js';

describe('replacing workers that die', () => {
  it('at once after a worker that lived; 1 s, 2 s, 4 s… at most 30 s over failed starts in a row', () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 8 }, () => backoff.next(500).delayMs);
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.deepEqual(backoff.next(STABLE_AFTER_MS), { delayMs: 0, failures: 0 }, 'a worker that lived resets the count');
    assert.equal(backoff.next(500).delayMs, 1000);
  });

  it('serve --workers 2 on a port another process holds: the workers fail at every start and are not forked again once a second', { timeout: 120_000 }, async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const database = await testDatabase();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--workers', '2', '--port', String(port), '--db', database.location], {
      cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, OPENCASE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exits: Array<{ at: number; line: string }> = [];
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (/worker \d+ exited/.test(line)) exits.push({ at: Date.now(), line });
    });
    try {
      // Until three workers have failed and 8 s have passed since the first: how long a start takes depends on the machine.
      for (const started = Date.now(); (exits.length < 3 || Date.now() - (exits[0]?.at ?? Date.now()) < 8000) && Date.now() - started < 100_000;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(exits.length >= 3, stderr);
      assert.match(stderr, /address already in use/, 'each worker says why it failed');
      // Each exit says why and how long until the next fork, doubling; a fork once a second would be no wait at all.
      const waits = exits.slice(0, 3).map(({ line }) => /starting another in (\d+) s/.exec(line)?.[1]);
      assert.deepEqual(waits, ['1', '2', '4'], stderr);
      assert.match(exits[0]?.line ?? '', /exited \(1\) before it listened; 1 failed start in a row/);
      // The waits bound the forks: in the 8 s after the first exit, the second, the two forked 1 s and 2 s later and at
      // most one more (forked 4 s after one of those failed) can have exited; with no wait, two workers starting in
      // about a second each had exited some 16 times.
      const first = exits[0]?.at ?? 0;
      assert.ok(exits.filter(({ at }) => at - first < 8000).length <= 5, stderr);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      holder.close();
      await database.remove();
    }
  });
});
