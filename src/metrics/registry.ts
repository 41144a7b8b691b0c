import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { Store } from '../db/store.js';
import { RequestMetrics } from './requests.js';

/**
 * The Prometheus metrics of one app: requests and their latency by route and resCode, the prepared-query timings of
 * its store (shared by every app on that store), and the token cache's hits. One registry per app, so that tests and
 * several apps in a process never mix counts. What every request records is kept as plain numbers, read out when
 * scraped: requests and latency by RequestMetrics, the token checks as two numbers handed to their counter.
 */
export function createMetrics(store: Store) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'opencase_' });
  registry.registerMetric(store.queryDuration);
  const requests = new RequestMetrics({
    counter: { name: 'opencase_http_requests_total', help: 'Requests answered, by method, route, HTTP status and resCode' },
    histogram: {
      name: 'opencase_http_request_duration_seconds', help: 'Time from the request to the last byte of the reply, by route and resCode',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    },
  });
  const checks = { hit: 0, miss: 0 };
  new Counter({
    name: 'opencase_token_checks_total', help: 'Access tokens checked: from the token cache (hit) or against the database (miss)',
    labelNames: ['result'] as const, registers: [registry],
    // prom-client calls it on every scrape, before it reads the counts.
    collect() {
      for (const result of ['hit', 'miss'] as const) {
        if (checks[result] > 0) this.inc({ result }, checks[result]);
        checks[result] = 0;
      }
    },
  });
  return {
    registry,
    /** One answered request; an empty `resCode` means "0" below 400, else the status (the token route's OAuth errors). */
    countRequest(method: string, route: string, status: number, resCode: string, elapsedMs: number): void {
      requests.count(method, route, status, resCode || (status < 400 ? '0' : String(status)), elapsedMs / 1000);
    },
    /** One access token checked: from the token cache, or against the database. */
    countTokenCheck(fromCache: boolean): void {
      checks[fromCache ? 'hit' : 'miss'] += 1;
    },
    /** Every metric in Prometheus's text format: the registry's, then the requests'. */
    async text(): Promise<string> {
      return `${await registry.metrics()}\n${requests.text()}\n`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
