import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/**
 * A quick measurement, all in one run: start-up time to the first task-detail answer (new database, then the
 * same database again), task-detail and task-create throughput on SQLite and, when OPENCASE_BENCH_PG_URL names an
 * empty PostgreSQL database, on PostgreSQL, beside a bare node:http server replying the same detail bytes.
 * `npm run bench:quick [-- SECONDS]` (it builds first).
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

const CREATE_BODY = JSON.stringify({ taskInfo: { title: 'bench', ownerId: '10gg00000148QvgpaLAm', creatorId: '10gg00000148QvgpaLAm', priority: 'Low' } });

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

async function load(url: string, headers: Record<string, string>, post?: string) {
  const request = post ? { method: 'POST' as const, body: post, headers: { ...headers, 'content-type': 'application/json' } } : { headers };
  await autocannon({ url, connections: CONNECTIONS, duration: 2, ...request }); // warm-up
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, ...request });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors at ${url}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

type Figures = { rps: number; p50: number; p99: number };

/** Detail and create on one backend, each with its own fresh server process. */
async function measure(db: string) {
  const server = await startOpencase(db);
  const accessToken = await token(server.url);
  const detail = await load(`${server.url}${DETAIL_PATH}`, { 'access-token': accessToken });
  const create = await load(`${server.url}/service/AICC__Case/1.0.0/openapi/task`, { 'access-token': accessToken }, CREATE_BODY);
  await stop(server.child);
  return { detail, create };
}

const dir = mkdtempSync(join(tmpdir(), 'opencase-bench-'));
try {
  const db = join(dir, 'bench.db');
  const fresh = await startOpencase(db);
  await stop(fresh.child);
  const again = await startOpencase(db);
  const bodyFile = join(dir, 'detail.json');
  writeFileSync(bodyFile, Buffer.from(await (await fetch(`${again.url}${DETAIL_PATH}`, { headers: { 'access-token': await token(again.url) } })).arrayBuffer()));
  await stop(again.child);

  const sqlite = await measure(db);
  const pgUrl = process.env.OPENCASE_BENCH_PG_URL;
  const postgres = pgUrl ? await measure(pgUrl) : undefined;

  const ceilingChild = spawn(process.execPath, ['--import', 'tsx', 'bench/ceiling-server.ts', bodyFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = (await waitForLine(ceilingChild, /listening (\d+)/))[1];
  const ceiling = await load(`http://127.0.0.1:${port}${DETAIL_PATH}`, {});
  await stop(ceilingChild);

  const row = (name: string, r: Figures, ratio = true) =>
    `| ${name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${ratio ? (r.rps / ceiling.rps).toFixed(3) : '–'} |`;
  process.stdout.write([
    `machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, node ${process.version}; autocannon ${CONNECTIONS} connections, ${SECONDS} s after a 2 s warm-up`,
    '',
    '| start-up (SQLite) | to listening (ms) | to first task-detail answer, token call included (ms) |',
    '|---|---|---|',
    `| new database (migrate + demo seed) | ${Math.round(fresh.listenMs)} | ${Math.round(fresh.firstAnswerMs)} |`,
    `| existing database | ${Math.round(again.listenMs)} | ${Math.round(again.firstAnswerMs)} |`,
    '',
    '| scenario | req/s | p50 (ms) | p99 (ms) | ratio to ceiling |',
    '|---|---|---|---|---|',
    row('ceiling: bare node:http, the same detail bytes', ceiling),
    row('GET task detail, SQLite', sqlite.detail),
    ...(postgres ? [row('GET task detail, PostgreSQL', postgres.detail)] : []),
    row('POST task (create), SQLite', sqlite.create, false),
    ...(postgres ? [row('POST task (create), PostgreSQL', postgres.create, false)] : []),
    ...(postgres ? [] : ['', 'PostgreSQL not measured: set OPENCASE_BENCH_PG_URL to an empty database to add it.']),
    '',
  ].join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
