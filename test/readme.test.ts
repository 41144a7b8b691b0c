import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startCliServer, type CliServer } from './cli-helpers.js';
import { tempDir } from './helpers.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

/** The README's curl examples, run as written with bash and curl against a real demo server (its port swapped in). */
describe('the README examples', () => {
  let server: CliServer;
  let remove: () => void;
  before(async () => {
    const dir = tempDir();
    remove = dir.remove;
    server = await startCliServer(['--demo', '--db', join(dir.dir, 'readme.db')]);
  });
  after(async () => {
    await server.stop();
    remove();
  });

  it('"Try it" prints the documentation\'s example, then every "Common calls" line answers resCode "0"', async () => {
    const tryIt = shellBlocks.find((block) => block.includes('TOKEN=$(curl'));
    const common = shellBlocks.find((block) => block.includes('BASE='));
    assert.ok(tryIt && common, 'the README has both blocks');
    const script = `set -euo pipefail\n${tryIt}\necho\n${common.replace(/\ncurl/g, '\necho\ncurl')}\necho\n`.replaceAll('http://127.0.0.1:8080', server.url);
    const { stdout } = await promisify(execFile)('bash', ['-c', script], { maxBuffer: 10 * 1024 * 1024 });
    const replies = stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { resCode: string });
    const example: unknown = JSON.parse(readFileSync(new URL('../src/demo/task-detail-example.json', import.meta.url), 'utf8'));
    assert.deepEqual(replies[0], example);
    assert.equal(replies.length, 1 + (common.match(/^curl /gm) ?? []).length);
    for (const reply of replies) assert.equal(reply.resCode, '0', JSON.stringify(reply).slice(0, 200));
  });
});
