import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from '../wire/errors.js';
import { PAGE_CSP } from '../http/page-policy.js';

export const CONSOLE_PATH = '/console';

/**
 * The agent console's files, as `npm run build` writes them (web/ built by Vite into dist/web; dist/console holds this
 * file's own build): beside dist/app.js when running built, or in the checkout's dist/ when running from the sources.
 */
function consoleDirectory(): string {
  const besideBuild = fileURLToPath(new URL('../web/', import.meta.url));
  const fromSources = fileURLToPath(new URL('../../dist/web/', import.meta.url));
  return existsSync(`${besideBuild}index.html`) ? besideBuild : fromSources;
}

function consoleHeaders(reply: FastifyReply, path: string): void {
  reply.header('content-security-policy', PAGE_CSP);
  // Vite names each built file by a hash of its content: kept a year. The page itself is asked for anew each time.
  reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * `GET /console/…`: the agent console, a single-page app. Its files are served as built; any other path under it is
 * one of its screens (`/console/cases/…`), answered with its page, which routes in the browser. Without a build the
 * console answers a 503 envelope that says how to build it.
 */
export async function consoleRoutes(app: FastifyInstance): Promise<void> {
  const root = app.config.consoleDirectory === undefined ? consoleDirectory() : `${app.config.consoleDirectory.replace(/\/+$/, '')}/`;
  const built = existsSync(`${root}index.html`);
  const hidden = { schema: { hide: true } };
  if (!built) {
    app.get(`${CONSOLE_PATH}/*`, hidden, async () => {
      throw new ApiError('unavailable', 'the console is not built: run npm run build (it builds web/ into dist/web)');
    });
    app.get(CONSOLE_PATH, hidden, async (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
    return;
  }
  await app.register(fastifyStatic, {
    root, prefix: `${CONSOLE_PATH}/`, wildcard: false, index: false, decorateReply: true, setHeaders: consoleHeaders,
    schemaHide: true,
  });
  const page = async (request: { url: string }, reply: FastifyReply) => {
    // A built file that is not there is a 404, never the page in its place (a script that is HTML breaks quietly).
    if (request.url.startsWith(`${CONSOLE_PATH}/assets/`)) throw new ApiError('routeNotFound', `no such file of the console: ${request.url}`);
    consoleHeaders(reply, 'index.html');
    return reply.sendFile('index.html', root);
  };
  app.get(CONSOLE_PATH, hidden, async (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
  app.get(`${CONSOLE_PATH}/`, hidden, page);
  app.get(`${CONSOLE_PATH}/*`, hidden, page);
}
