import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { TOKEN_PATH } from '../../src/auth/routes.js';
import { errorCodes } from '../../src/wire/errors.js';
import { WIRE_PROFILE_SWITCHES } from '../../src/wire/profile.js';
import { DOCUMENT_PATH } from '../../src/openapi/document.js';
import { REQUEST_EXAMPLES } from '../../src/openapi/examples.js';
import { AICC, fetchToken, startTestApp, TASK_PATH, taskDetailExample, useTestApp } from '../helpers.js';

interface Operation {
  operationId: string; summary?: string; tags: string[]; security?: unknown[];
  parameters?: Array<{ in: string; name: string; example?: string }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown; schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  info: { description: string };
  security: unknown[];
  components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
  paths: Record<string, Record<string, Operation>>;
}

describe('GET /openapi.json', () => {
  const t = useTestApp();
  const fetchDocument = async () => {
    const response = await t.app.inject({ method: 'GET', url: DOCUMENT_PATH });
    assert.equal(response.statusCode, 200);
    return response.json() as Document;
  };

  it('is a valid OpenAPI 3.1 document, served without a token', async () => {
    const document = await fetchDocument();
    assert.equal(document.openapi, '3.1.0');
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
    assert.deepEqual(result, { valid: true, warnings: [], specification: 'OpenAPI' });
  });

  it('has every registered route, each with a summary and a unique operationId', async () => {
    const document = await fetchDocument();
    const routes = t.app.registeredRoutes.filter((route) => route.method !== 'OPTIONS');
    assert.ok(routes.length >= 30);
    for (const route of routes) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      assert.ok(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url} is missing`);
    }
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) assert.ok(operation.summary, `${method} ${path} has no summary`);
    }
    const ids = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((operation) => operation.operationId));
    assert.equal(new Set(ids).size, ids.length);
    // Code generators take operationIds for function names.
    for (const id of ids) assert.match(id, /^[a-z][A-Za-z0-9]*$/);
  });

  it('names the access-token scheme, leaves the token call and the probes open, and lists every error code', async () => {
    const document = await fetchDocument();
    assert.deepEqual(document.components.securitySchemes.accessToken, { type: 'apiKey', in: 'header', name: 'access-token', description: 'The access_token of the token call' });
    assert.deepEqual(document.security, [{ accessToken: [] }]);
    assert.deepEqual(document.paths[TOKEN_PATH]?.post?.security, []);
    assert.deepEqual(document.paths['/healthz']?.get?.security, []);
    assert.equal(document.paths[`${TASK_PATH}/{id}`]?.get?.security, undefined, 'task detail takes the document\'s default: the token');
    for (const code of Object.values(errorCodes)) assert.ok(document.info.description.includes(`\`${code.resCode}\``), code.resCode);
  });

  it('describes the default wire profile and names every switch, with the shapes of both readings where they differ', async () => {
    const document = await fetchDocument();
    for (const [key, values] of Object.entries(WIRE_PROFILE_SWITCHES)) {
      assert.ok(document.info.description.includes(`\`${key}\` (${values.map((value) => `\`${value}\``).join(' | ')}, default \`${values[0]}\`)`), key);
    }
    const caseDetail = document.paths[`${AICC}/case/{id}`]?.get?.responses['200']?.content?.['application/json']?.schema as { properties: { result: { anyOf: Array<{ type: string }>; description: string } } };
    assert.deepEqual(caseDetail.properties.result.anyOf.map((shape) => shape.type), ['array', 'object']);
    assert.match(caseDetail.properties.result.description, /caseDetailResult=object/);
    const taskList = document.paths[`${AICC}/task/list`]?.post?.responses['200']?.content?.['application/json']?.schema as { properties: { result: { anyOf: Array<{ type: string }> } } };
    assert.deepEqual(taskList.properties.result.anyOf.map((shape) => shape.type), ['object', 'array']);
  });

  it('shows AICC\'s own example on task detail', async () => {
    const document = await fetchDocument();
    const example = document.paths[`${TASK_PATH}/{id}`]?.get?.responses['200']?.content?.['application/json']?.example;
    assert.deepEqual(example, taskDetailExample());
  });

  it('gives every AICC call a request the demo tenant answers with resCode "0", each on a fresh demo', async () => {
    const document = await fetchDocument();
    const tried: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const body = operation.requestBody?.content['application/json']?.example;
        const id = operation.parameters?.find((parameter) => parameter.in === 'path' && parameter.name === 'id')?.example;
        if (operation.tags[0]?.startsWith('AICC')) {
          if (operation.requestBody) assert.ok(body !== undefined, `${operation.operationId} has no example body`);
          if (path.includes('{id}')) assert.ok(id !== undefined, `${operation.operationId} has no example id`);
        }
        if (body === undefined && id === undefined) continue;
        const fresh = await startTestApp();
        try {
          const token = await fetchToken(fresh.app);
          // An example that needs another first (close after status/update) gets it first, as the summary says.
          const first = REQUEST_EXAMPLES[operation.operationId]?.after;
          const firstOperation = Object.entries(document.paths).flatMap(([firstPath, ops]) => Object.entries(ops).map(([m, op]) => ({ firstPath, m, op })))
            .find(({ op }) => op.operationId === first);
          if (first !== undefined) {
            assert.ok(firstOperation, `${operation.operationId} comes after ${first}, which is not in the document`);
            const before = await fresh.app.inject({
              method: firstOperation.m.toUpperCase() as 'POST', url: firstOperation.firstPath, headers: { 'access-token': token },
              payload: firstOperation.op.requestBody?.content['application/json']?.example as object,
            });
            assert.equal(before.json<{ resCode: string }>().resCode, '0', `${first}: ${before.body}`);
          }
          const response = await fresh.app.inject({
            method: method.toUpperCase() as 'GET' | 'POST' | 'PATCH',
            url: path.replace('{id}', id ?? ''),
            headers: { 'access-token': token },
            ...(body !== undefined && { payload: body as object }),
          });
          assert.equal(response.json<{ resCode: string }>().resCode, '0', `${operation.operationId}: ${response.body}`);
          tried.push(operation.operationId);
        } finally {
          await fresh.close();
        }
      }
    }
    assert.deepEqual(tried.sort(), Object.keys(REQUEST_EXAMPLES).sort(), 'every example reached the document');
  });
});
