import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Store } from '../db/store.js';


/**
 * The Prometheus metrics of one app: requests and their latency by route and resCode, the prepared-query timings of
 * its store (shared by every app on that store), and the token cache's hits. One registry per app, so that tests and several apps in a process never mix counts.
 */
export function createMetrics(store: Store) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'opencase_' });
  registry.registerMetric(store.queryDuration);
  const requests = new Counter({
    name: 'opencase_http_requests_total', help: 'Requests answered, by method, route, HTTP status and resCode',
    labelNames: ['method', 'route', 'status', 'resCode'] as const, registers: [registry],
  });
  const latency = new Histogram({
    name: 'opencase_http_request_duration_seconds', help: 'Time from the request to the last byte of the reply, by route and resCode',
    labelNames: ['method', 'route', 'resCode'] as const, registers: [registry],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  // Each label set seen, bound once: prom-client hashes a label object on every call otherwise (measured: 15 % of
  // task detail's throughput).
  const bound = new Map<string, { count: () => void; time: (seconds: number) => void }>();
  return {
    registry,
    /** One answered request; an empty `resCode` means "0" below 400, else the status (the token route's OAuth errors). */
    countRequest(method: string, route: string, status: number, resCode: string, elapsedMs: number): void {
      const code = resCode || (status < 400 ? '0' : String(status));
      const key = `${method} ${route} ${status} ${code}`;
      let children = bound.get(key);
      if (!children) {
        const counter = requests.labels({ method, route, status: String(status), resCode: code });
        const histogram = latency.labels({ method, route, resCode: code });
        children = { count: () => counter.inc(), time: (seconds) => histogram.observe(seconds) };
        bound.set(key, children);
      }
      children.count();
      children.time(elapsedMs / 1000);
    },
    tokenChecks: new Counter({
      name: 'opencase_token_checks_total', help: 'Access tokens checked: from the token cache (hit) or against the database (miss)',
      labelNames: ['result'] as const, registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
