import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_TASK_ID } from '../../src/demo/records.js';
import { ON_POSTGRES, TASK_PATH, useTestApp } from '../helpers.js';

/** The value of one sample line of the Prometheus text, or undefined when there is no such line. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', { concurrency: false }, () => {
  const t = useTestApp();

  it('counts requests and their latency by route and resCode, token checks, and prepared-query timings', async () => {
    const detail = (token: string) => t.app.inject({ method: 'GET', url: `${TASK_PATH}/${DEMO_TASK_ID}`, headers: { 'access-token': token } });
    for (let i = 0; i < 3; i++) assert.equal((await detail(t.token)).statusCode, 200);
    assert.equal((await detail('x'.repeat(43))).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);

    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = response.body;
    const route = `${TASK_PATH}/:id`;
    assert.equal(sample(text, 'opencase_http_requests_total', `method="GET",route="${route}",status="200",resCode="0"`), 3);
    assert.equal(sample(text, 'opencase_http_requests_total', `method="GET",route="${route}",status="401",resCode="401002"`), 1);
    assert.equal(sample(text, 'opencase_http_requests_total', 'method="GET",route="unknown",status="404",resCode="404002"'), 1);
    assert.equal(sample(text, 'opencase_http_request_duration_seconds_count', `method="GET",route="${route}",resCode="0"`), 3);
    const hits = sample(text, 'opencase_token_checks_total', 'result="hit"') ?? 0;
    const misses = sample(text, 'opencase_token_checks_total', 'result="miss"') ?? 0;
    assert.equal(hits + misses, 4);
    // SQLite answers a token checked before from memory; so does PostgreSQL, but only while its change signal is
    // fresh (OPENCASE_CACHE_STALENESS_MS), which a test cannot count on.
    assert.ok(ON_POSTGRES || hits >= 2, `${hits} hits`);
    assert.ok((sample(text, 'opencase_db_query_duration_seconds_count', 'query="auth.tenantByTokenHash"') ?? 0) >= 1);
    assert.ok((sample(text, 'opencase_process_resident_memory_bytes', '') ?? Number(/^opencase_process_resident_memory_bytes (\d+)/m.exec(text)?.[1])) > 0);
  });
});
