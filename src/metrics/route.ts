import type { FastifyInstance } from 'fastify';

/** `GET /metrics`: the app's metrics in Prometheus text format, for a scraper (no token, like the probes). */
export async function metricsRoute(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { schema: {}, config: { rateLimit: false } }, async (_request, reply) => {
    reply.type(app.metrics.registry.contentType);
    return app.metrics.text();
  });
}
