import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { failures, startKitTarget } from './target.js';
import type { TestApp } from '../helpers.js';
import { runConformance } from '../../src/conformance/run.js';
import { DEMO_CLIENT } from '../../src/demo/records.js';

/** What the proxy knows of a request, and the reply it may change. */
interface Exchange {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  status: number;
  body: unknown;
}
type Mutation = (exchange: Exchange) => { status: number; body: unknown };

/** A JSON value rebuilt with `edit` applied to every object, deepest first. */
function everyObject(value: unknown, edit: (object: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => everyObject(item, edit));
  if (typeof value === 'object' && value !== null) {
    return edit(Object.fromEntries(Object.entries(value).map(([key, child]) => [key, everyObject(child, edit)])));
  }
  return value;
}

const MUTATIONS: Record<string, { mutate: Mutation; check: string; message: RegExp }> = {
  'extternalNo renamed to externalNo': {
    mutate: ({ status, body }) => ({ status, body: everyObject(body, (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k === 'extternalNo' ? 'externalNo' : k, v]))) }),
    check: 'cec_07_0267 case list: each case carries AICC\'s keys, misspellings included (extternalNo, isCanced)',
    message: /extternalNo is missing/,
  },
  'resCode a number': {
    mutate: ({ status, body }) => ({ status, body: typeof body === 'object' && body !== null && 'resCode' in body ? { ...body, resCode: Number((body as { resCode: string }).resCode) } : body }),
    check: 'envelope: every reply is a JSON object {resCode, resMsg, …} with resCode a string',
    message: /resCode is a number/,
  },
  'a null key dropped': {
    mutate: ({ status, body }) => ({ status, body: everyObject(body, (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null))) }),
    check: 'cec_07_0280 task detail: Tables 3 to 6 and every key of the documented example, null ones too',
    message: /is missing/,
  },
  'keys reordered': {
    mutate: ({ status, body }) => ({ status, body: everyObject(body, (o) => Object.fromEntries(Object.entries(o).reverse())) }),
    check: 'envelope: keys in the order of AICC\'s examples (sorted, as in caseInfos, customerInfo, taskInfo, taskTrace)',
    message: /comes before/,
  },
  'resCode "0" for a bad token': {
    mutate: ({ status, body, headers }) => (status === 401 && headers['access-token'] ? { status: 200, body: { resCode: '0', resMsg: '成功' } } : { status, body }),
    check: 'access-token: an invalid token is refused',
    message: /answered HTTP 200 with resCode "0"/,
  },
  'count equal to the page length': {
    mutate: ({ status, body }) => ({
      status,
      body: everyObject(body, (o) => (Array.isArray(o.caseList) || Array.isArray(o.taskList) ? { ...o, count: ((o.caseList ?? o.taskList) as unknown[]).length } : o)),
    }),
    check: 'cec_07_0267 case list: count is the total, not the page length',
    message: /count must be the total/,
  },
  'a 500 for a bad enum value': {
    mutate: ({ status, body }) => ({ status: status === 400 && /must be one of/.test(String((body as { resMsg?: unknown }).resMsg)) ? 500 : status, body }),
    check: 'cec_07_0267 case list: a priority outside Critical, High, Medium, Low is refused with a 4xx',
    message: /answered HTTP 500; a client's mistake must be a 4xx/,
  },
};

/** A proxy in front of `target` that passes every request on and changes each reply with `mutate`. */
async function startProxy(target: string, mutate: Mutation): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)).map(([k, v]) => [k, String(v)]));
    const upstream = await fetch(new URL(request.url ?? '/', target), {
      method: request.method, headers, redirect: 'manual', ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
    });
    const text = await upstream.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' }).end(text);
      return;
    }
    const changed = mutate({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, status: upstream.status, body });
    response.writeHead(changed.status, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(changed.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('the conformance kit catches what a server gets wrong', () => {
  let target: { testApp: TestApp; url: string };
  before(async () => { target = await startKitTarget(); });
  after(() => target.testApp.close());

  const runThrough = async (mutate: Mutation) => {
    const proxy = await startProxy(target.url, mutate);
    try {
      return (await runConformance({ url: proxy.url, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, write: false })).report.results;
    } finally {
      await proxy.close();
    }
  };

  it('through a proxy that changes nothing, every check passes (the proxy itself is faithful)', async () => {
    assert.deepEqual(failures(await runThrough(({ status, body }) => ({ status, body }))), []);
  });

  for (const [name, { mutate, check, message }] of Object.entries(MUTATIONS)) {
    it(`${name}: reported by "${check}"`, async () => {
      const results = await runThrough(mutate);
      const named = results.find((result) => result.name === check);
      assert.ok(named, `the kit has a check named ${check}`);
      assert.equal(named.outcome, 'fail', `${check}: ${named.outcome} ${named.message}`);
      assert.match(named.message, message);
    });
  }
});
