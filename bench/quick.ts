import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/**
 * A quick measurement for the core issue, all in one run: start-up time to the first task-detail answer
 * (new database, then the same database again) and task-detail throughput beside a bare node:http server
 * replying the same bytes. Needs `npm run build` first. `npm run bench:quick [-- SECONDS]`.
 * The full benchmark (generator, 1M tasks, lists, writes) is `npm run bench` once it exists.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 32;
const TOKEN_PATH = '/baas/auth/v1.0/oauth2/token';
const DETAIL_PATH = '/service/AICC__Case/1.0.0/openapi/task/ccqG0000014iXvGKONQO';

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

async function token(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function startOpencase(db: string): Promise<{ child: ChildProcess; url: string; listenMs: number; firstAnswerMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', 'serve', '--demo', '--db', db, '--port', '0'], {
    cwd: ROOT, env: { ...process.env, OPENCASE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const match = await waitForLine(child, /listening on (http:\/\/\S+)/);
  const listenMs = performance.now() - started;
  const url = match[1] ?? '';
  const detail = await fetch(`${url}${DETAIL_PATH}`, { headers: { 'access-token': await token(url) } });
  if (detail.status !== 200) throw new Error(`first answer was ${detail.status}`);
  await detail.arrayBuffer();
  return { child, url, listenMs, firstAnswerMs: performance.now() - started };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function load(url: string, headers: Record<string, string>) {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors at ${url}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const dir = mkdtempSync(join(tmpdir(), 'opencase-bench-'));
try {
  const db = join(dir, 'bench.db');
  const fresh = await startOpencase(db);
  await stop(fresh.child);
  const again = await startOpencase(db);

  const accessToken = await token(again.url);
  const bodyFile = join(dir, 'detail.json');
  writeFileSync(bodyFile, Buffer.from(await (await fetch(`${again.url}${DETAIL_PATH}`, { headers: { 'access-token': accessToken } })).arrayBuffer()));

  const opencase = await load(`${again.url}${DETAIL_PATH}`, { 'access-token': accessToken });
  await stop(again.child);

  const ceilingChild = spawn(process.execPath, ['--import', 'tsx', 'bench/ceiling-server.ts', bodyFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = (await waitForLine(ceilingChild, /listening (\d+)/))[1];
  const ceiling = await load(`http://127.0.0.1:${port}${DETAIL_PATH}`, {});
  await stop(ceilingChild);

  const row = (name: string, r: { rps: number; p50: number; p99: number }) =>
    `| ${name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${(r.rps / ceiling.rps).toFixed(2)} |`;
  process.stdout.write([
    `machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, node ${process.version}; autocannon ${CONNECTIONS} connections, ${SECONDS} s after a 2 s warm-up`,
    '',
    '| start-up | to listening (ms) | to first task-detail answer, token call included (ms) |',
    '|---|---|---|',
    `| new database (migrate + demo seed) | ${Math.round(fresh.listenMs)} | ${Math.round(fresh.firstAnswerMs)} |`,
    `| existing database | ${Math.round(again.listenMs)} | ${Math.round(again.firstAnswerMs)} |`,
    '',
    '| GET task detail | req/s | p50 (ms) | p99 (ms) | ratio to ceiling |',
    '|---|---|---|---|---|',
    row('opencase (SQLite)', opencase),
    row('ceiling: bare node:http, same bytes', ceiling),
    '',
  ].join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
