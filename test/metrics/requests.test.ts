import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { RequestMetrics } from '../../src/metrics/requests.js';

const COUNTER = { name: 'opencase_http_requests_total', help: 'Requests answered, by method, route, HTTP status and resCode' };
const HISTOGRAM = { name: 'opencase_http_request_duration_seconds', help: 'Time "from" the request\\to the reply\nby route', buckets: [0.0005, 0.001, 0.0025, 1] };

describe('request metrics', () => {
  it('write what prom-client writes for the same requests: series in first-seen order, buckets cumulative, labels escaped', async () => {
    const registry = new Registry();
    const counter = new Counter({ ...COUNTER, labelNames: ['method', 'route', 'status', 'resCode'] as const, registers: [registry] });
    const histogram = new Histogram({ ...HISTOGRAM, labelNames: ['method', 'route', 'resCode'] as const, registers: [registry] });
    const metrics = new RequestMetrics({ counter: COUNTER, histogram: HISTOGRAM });
    const requests: Array<[string, string, number, string, number]> = [
      ['GET', '/task/:id', 200, '0', 0.0004],
      // On a bound: counted in that bucket, as prom-client's `value <= bound`.
      ['GET', '/task/:id', 200, '0', 0.0005],
      // Another status with the same resCode: its own counter series, the same latency series.
      ['GET', '/task/:id', 304, '0', 0.002],
      ['POST', '/odd "route"\\with\nbreaks', 400, '400001', 0.3],
      // Past every bound: only in +Inf.
      ['GET', 'unknown', 404, '404002', 7.25],
      ['GET', '/task/:id', 200, '0', 0.0011],
    ];
    for (const [method, route, status, resCode, seconds] of requests) {
      counter.labels({ method, route, status: String(status), resCode }).inc();
      histogram.labels({ method, route, resCode }).observe(seconds);
      metrics.count(method, route, status, resCode, seconds);
    }
    assert.equal(`${metrics.text()}\n`, await registry.metrics());
  });

  it('write both metrics with no series before any request, as prom-client does', async () => {
    const registry = new Registry();
    new Counter({ ...COUNTER, labelNames: ['method'] as const, registers: [registry] });
    new Histogram({ ...HISTOGRAM, labelNames: ['method'] as const, registers: [registry] });
    assert.equal(`${new RequestMetrics({ counter: COUNTER, histogram: HISTOGRAM }).text()}\n`, await registry.metrics());
  });
});
