import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startCliServer } from './cli-helpers.js';
import { taskDetailExample, tempDir } from './helpers.js';

describe('serve --demo', () => {
  it('prints a banner whose "Try it" lines work as pasted, and where the API reference is', async () => {
    const dir = tempDir();
    const server = await startCliServer(['--demo', '--db', join(dir.dir, 'banner.db')]);
    try {
      // The banner comes with the listening line, possibly in a later chunk of output.
      for (let waited = 0; !server.output().includes('API reference:') && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const lines = server.output().split('\n');
      const pasted = lines.filter((line) => line.startsWith('  TOKEN=') || line.startsWith('  curl ')).map((line) => line.trim());
      assert.equal(pasted.length, 2, server.output());
      const { stdout } = await promisify(execFile)('bash', ['-c', `set -euo pipefail\n${pasted.join('\n')}`]);
      assert.deepEqual(JSON.parse(stdout), taskDetailExample());

      const reference = /^API reference: (http:\/\/\S+) \(OpenAPI document: (http:\/\/\S+)\)$/m.exec(server.output());
      assert.ok(reference?.[1] && reference[2], server.output());
      const page = await fetch(reference[1]);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal((await fetch(reference[2])).status, 200);
    } finally {
      await server.stop();
      dir.remove();
    }
  });
});
