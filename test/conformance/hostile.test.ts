import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runConformance } from '../../src/conformance/run.js';

/**
 * A server that grants a token and then answers every call with something no AICC server sends: HTML, a body cut off,
 * 20 MB of JSON, a redirect to the cloud-metadata address, a 429 without end, null.
 */
function startHostileServer(): Promise<{ url: string; server: Server; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    if (request.url?.startsWith('/baas/auth/')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"hostile-token","expires_in":7200,"token_type":"Bearer"}');
      return;
    }
    switch (requests % 6) {
      case 0:
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>hello</body></html>');
        return;
      case 1:
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }).end('{"resCode":"0"');
        response.socket?.destroy();
        return;
      case 2: {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = `[${'0,'.repeat(512 * 1024)}`;
        for (let i = 0; i < 20; i++) response.write(chunk);
        response.end('0]');
        return;
      }
      case 3:
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case 4:
        response.writeHead(429, { 'retry-after': '0' }).end('{"resCode":"429","resMsg":"slow down"}');
        return;
      default:
        response.writeHead(200, { 'content-type': 'application/json' }).end('null');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests: () => requests,
  })));
}

describe('the conformance kit against a hostile server', () => {
  let hostile: Awaited<ReturnType<typeof startHostileServer>>;
  before(async () => { hostile = await startHostileServer(); });
  after(() => new Promise<void>((resolve) => { hostile.server.closeAllConnections(); hostile.server.close(() => resolve()); }));

  it('finishes with the check of every call failed or skipped, says what each reply was, and never breaks', async () => {
    const { report, profile } = await runConformance({ url: hostile.url, clientId: 'c', clientSecret: 's', write: true });
    const calls = report.results.filter((result) => !result.name.startsWith('cec_07_0260 token'));
    assert.ok(calls.length > 20, `${calls.length} checks`);
    assert.deepEqual(report.results.filter((result) => result.message.startsWith('the kit broke')), []);
    assert.deepEqual(calls.filter((result) => result.outcome === 'pass').map((result) => result.name), []);
    const messages = calls.map((result) => result.message).join('\n');
    assert.match(messages, /the reply is larger than 16 MB/);
    assert.match(messages, /without a JSON envelope/);
    assert.match(messages, /answered HTTP 302/);
    // The redirect was not followed: nothing asked the metadata address (it would have timed out here).
    assert.ok(report.durationMs < 60_000, `${report.durationMs} ms`);
    assert.equal(typeof profile.calls, 'object');
    // Every 429 was waited out a bounded number of times.
    assert.ok(report.waits.count > 0);
  });
});
