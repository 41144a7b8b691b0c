import { Type } from 'typebox';
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { errorCodes } from '../wire/errors.js';
import { WIRE_PROFILE_SWITCHES } from '../wire/profile.js';
import { REQUEST_EXAMPLES } from './examples.js';
import { SUMMARIES } from './summaries.js';

/** Where the document is served. */
export const DOCUMENT_PATH = '/openapi.json';

/** Routes for operators and tools, open without a token. */
const OPERATIONS_PATHS = new Set(['/healthz', '/readyz', DOCUMENT_PATH, '/metrics']);

/** The security scheme every AICC and extension route takes: the token, bare, in a header named `access-token`. */
export const ACCESS_TOKEN_SCHEME = 'accessToken';

const errorTable = [
  '| resCode | HTTP | meaning |',
  '|---|---|---|',
  ...Object.values(errorCodes).map((code) => `| \`${code.resCode}\` | ${code.httpStatus} | ${code.meaning} |`),
].join('\n');

const DESCRIPTION = `The Huawei Cloud AICC Case 2.0 OpenAPI as opencase serves it, with opencase's own extensions under
\`/opencase/v1/\`. Fetch a token from \`POST /baas/auth/v1.0/oauth2/token\` (client credentials), then send it in the
\`access-token\` header. Every reply is \`{resCode, resMsg, result}\`; \`resCode\` "0" is success. On failure:

${errorTable}

Text lengths of the AICC calls are bytes of UTF-8, as AICC's tables give them (长度(字节)): such a field carries
\`x-maxUtf8Bytes\` beside \`maxLength\` (the same number, a bound in characters too), and a Chinese character takes 3
bytes, so a 128-byte title holds 42 of them. A field with \`maxLength\` alone (opencase's own: users, contacts,
queues, templates) counts characters.

A body or query field a call does not document is refused (400) with the closest known field named. Case types whose
template adds custom fields (\`<Namespace>__<field>__CST\`) take and return them beside the documented ones.

This document shows the default wire profile. Where AICC's pages leave the wire open, each tenant may switch
(\`opencase tenant set --wire key=value\`): ${Object.entries(WIRE_PROFILE_SWITCHES)
  .map(([key, values]) => `\`${key}\` (${values.map((value) => `\`${value}\``).join(' | ')}, default \`${values[0]}\`)`).join('; ')}.`;

/**
 * Collects every route's own TypeBox schemas (the ones that validate and serialize) into an OpenAPI 3.1 document.
 * Registered before the routes, so that it sees each of them.
 */
/** Where a person signs in, refreshes, signs out or sets a password: no access token is needed (a cookie may do). */
const PEOPLE_PATHS = new Set(['/opencase/v1/session', '/opencase/v1/session/refresh', '/opencase/v1/password']);

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'opencase: the AICC Case 2.0 API', version: '1.0.0', description: DESCRIPTION },
      components: {
        securitySchemes: {
          [ACCESS_TOKEN_SCHEME]: { type: 'apiKey', in: 'header', name: 'access-token', description: 'The access_token of the token call' },
        },
      },
      security: [{ [ACCESS_TOKEN_SCHEME]: [] }],
      tags: [
        { name: 'auth', description: 'The OAuth2 client-credentials token call' },
        { name: 'AICC tasks', description: '工单任务 (V2.0)' },
        { name: 'AICC cases', description: '工单 (V2.0)' },
        { name: 'AICC case types', description: '工单类型' },
        { name: 'opencase', description: 'Extensions AICC does not have, under /opencase/v1/' },
        { name: 'operations', description: 'Probes, metrics and this document' },
      ],
    },
    // Tags by where a route lives, so that no route needs to say it.
    transform: ({ schema, url, route }) => {
      const tag = url.startsWith('/baas/') ? 'auth'
        : url.startsWith('/opencase/v1/') ? 'opencase'
          : OPERATIONS_PATHS.has(url) ? 'operations'
            : /\/openapi\/task/.test(url) ? 'AICC tasks'
              : /\/openapi\/caseType/.test(url) ? 'AICC case types' : 'AICC cases';
      const open = tag === 'auth' || tag === 'operations' || PEOPLE_PATHS.has(url);
      const operationId = operationIdOf(route.method, url);
      const summary = schema.summary ?? SUMMARIES[operationId];
      const write = !open && [route.method].flat().some((method) => method !== 'GET' && method !== 'HEAD');
      return {
        url,
        schema: {
          ...schema, ...withExamples(schema, REQUEST_EXAMPLES[operationId]), ...(write && { headers: IDEMPOTENCY_HEADERS }),
          tags: [tag], ...(open && { security: [] }), operationId, ...(summary !== undefined && { summary }),
        },
      };
    },
  });

  app.get(DOCUMENT_PATH, { schema: {}, config: { rateLimit: false } }, async (_request, reply) => {
    reply.type('application/json;charset=UTF-8');
    return app.swagger();
  });
}

/** Every write with an access token takes an Idempotency-Key (idempotency/hooks.ts); the document says so on each. */
const IDEMPOTENCY_HEADERS = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$',
    description: 'Sent again with a retry: the first reply (kept 24 hours) comes back byte for byte, marked Idempotent-Replayed, and the work is done once; another request with the key is a 409002 (README, "Retries")',
  })),
});

/** `POST /service/AICC__Case/1.0.0/openapi/task/status/update` → `postTaskStatusUpdate`: stable names for generated clients. */
function operationIdOf(method: string | string[], url: string): string {
  const verb = ([method].flat()[0] ?? 'get').toLowerCase();
  const words = url.replace(/^\/service\/AICC__Case\/1\.0\.0\/openapi|^\/opencase\/v1|^\/baas\/auth\/v1\.0/, '')
    .split(/[/\-_.]/).filter(Boolean).map((word) => (word.startsWith(':') ? `By${word.slice(1, 2).toUpperCase()}${word.slice(2)}` : word));
  return verb + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

interface ObjectSchema { properties?: Record<string, object> }

/** The demo request of an operation, as the document's example of its body and its `{id}` (copies: the route's own schemas stay as they are). */
function withExamples(schema: { body?: unknown; params?: unknown }, example: { id?: string; body?: unknown } | undefined) {
  if (!example) return {};
  const params = schema.params as ObjectSchema | undefined;
  const idSchema = params?.properties?.id;
  return {
    ...(example.body !== undefined && schema.body !== undefined && { body: { ...(schema.body as object), examples: [example.body] } }),
    ...(example.id !== undefined && idSchema && { params: { ...params, properties: { ...params.properties, id: { ...idSchema, examples: [example.id] } } } }),
  };
}
