import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { PAGE_CSP } from '../http/page-policy.js';

export const REFERENCE_PATH = '/docs';

/** `GET /docs`: the interactive API reference (swagger-ui), rendered from the same document as `/openapi.json`. */
export async function registerApiReference(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: REFERENCE_PATH,
    // swagger-ui is served from the package (no CDN), and its validator badge, the one outside call it would make, is off.
    staticCSP: PAGE_CSP,
    uiConfig: {
      // Without the top bar: its logo is Fastify's and its "Explore" box would load other documents.
      layout: 'BaseLayout',
      deepLinking: true,
      // Operations open at their summary; the list of ~40 is the map a newcomer needs first.
      docExpansion: 'list',
      // A pasted token survives a reload: the token call's answer is valid for an hour.
      persistAuthorization: true,
      displayRequestDuration: true,
      tryItOutEnabled: false,
    },
    theme: { title: 'opencase API reference' },
    // swagger-ui finds its document by appending `./json` to the page's whole address, query string included: at
    // `/docs?anything` it fetched `/docs?anything/./json` (the page again) and rendered nothing. The page takes no
    // query, so a query is dropped by a redirect (the #fragment of a deep link survives it).
    uiHooks: {
      onRequest: (request, reply, done) => {
        const query = request.url.indexOf('?');
        const path = query === -1 ? request.url : request.url.slice(0, query);
        if (query !== -1 && (path === REFERENCE_PATH || path === `${REFERENCE_PATH}/`)) {
          reply.redirect(path, 302);
          return;
        }
        done();
      },
    },
  });
}
