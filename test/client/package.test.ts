import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { tempDir, useTestApp } from '../helpers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Every file under a folder, with its size. */
function sizeOf(path: string): number {
  return statSync(path).isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0) : statSync(path).size;
}

describe('opencase-client, the typed client as a package of its own (packages/client)', () => {
  const t = useTestApp();
  const packed = tempDir();
  const project = tempDir();
  let tarball = '';
  let baseUrl = '';

  before(async () => {
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    // As the README says: npm pack builds it (its prepack) from the server's client code and schemas.
    const { stdout } = await run('npm', ['pack', '-w', 'opencase-client', '--pack-destination', packed.dir, '--silent'], { cwd: ROOT });
    tarball = join(packed.dir, stdout.trim().split('\n').at(-1) ?? '');
    writeFileSync(join(project.dir, 'package.json'), JSON.stringify({ name: 'an-integration', private: true, type: 'module' }));
    await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project.dir });
  }, { timeout: 120_000 });
  after(() => {
    packed.remove();
    project.remove();
  });

  it('installs alone: one package, no dependency, no server code', async () => {
    const installed = readdirSync(join(project.dir, 'node_modules')).filter((name) => !name.startsWith('.'));
    assert.deepEqual(installed, ['opencase-client']);
    const files = readdirSync(join(project.dir, 'node_modules', 'opencase-client', 'dist')).sort();
    assert.deepEqual(files, ['client.d.ts', 'client.js', 'errors.d.ts', 'errors.js', 'index.d.ts', 'index.js', 'paths.d.ts', 'paths.js', 'types.d.ts', 'types.js']);
    const bytes = sizeOf(join(project.dir, 'node_modules'));
    process.stdout.write(`# opencase-client installed: ${installed.length} package, ${bytes} bytes, tarball ${statSync(tarball).size} bytes\n`);
    assert.ok(bytes < 200_000, `${bytes} bytes`);
  });

  it('types a caller\'s code from the package alone, and calls a live opencase', async () => {
    const file = join(project.dir, 'call.ts');
    writeFileSync(file, `import { OpencaseClient, OpencaseError, type CreateCaseRequest, type TaskDetail } from 'opencase-client';
const client = new OpencaseClient({ baseUrl: process.argv[2] ?? '', clientId: 'demo-client', clientSecret: 'demo-secret' });
const detail: TaskDetail = await client.tasks.get('${DEMO_TASK_ID}');
const request: CreateCaseRequest = { caseInfo: { title: 't', description: 'd', type: 'x', contactId: 'y', isAtuoAssigned: true, AICC__serial__CST: 'a' } };
const refused = await client.cases.get('c6m80000014iXKHqDw3X').catch((error: OpencaseError) => error.resCode);
console.log(detail.taskInfo.title, request.caseInfo.title, refused);
`);
    // A wrong type is caught from the package's declarations alone (nothing else is installed in the project).
    writeFileSync(join(project.dir, 'wrong.ts'), `import type { CreateCaseRequest } from 'opencase-client';
const request: CreateCaseRequest = { caseInfo: { title: 1 } };
export { request };
`);
    const compile = (name: string) => run(process.execPath, [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), name], { cwd: project.dir });
    await compile('call.ts');
    const wrong = await compile('wrong.ts').then(() => '', (error: { stdout: string }) => error.stdout);
    assert.match(wrong, /wrong\.ts.*error TS2322/);
    // Node 20 runs it with its type annotations stripped by the compiler.
    await run(process.execPath, [TSC, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), 'call.ts'], { cwd: project.dir });
    const { stdout } = await run(process.execPath, ['call.js', baseUrl], { cwd: project.dir });
    assert.equal(stdout.trim(), 'test002 t 404001');
  });
});
