import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertErrorEnvelope, useTestApp } from '../helpers.js';
import { listenOnLoopback, rawClient, replyBody } from './sockets.js';

describe('the Host header', () => {
  const t = useTestApp();
  let port: number;
  before(async () => {
    port = await listenOnLoopback(t.app);
  });

  it('an HTTP/1.1 request without one gets the 400 envelope naming it (Node answered a bare 400 with no body)', async () => {
    const text = await rawClient(port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n').closed;
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(text, /\r\ncontent-type: application\/json;charset=UTF-8\r\n/);
    assert.deepEqual(assertErrorEnvelope(replyBody(text)), {
      resCode: '400001', resMsg: 'the Host header is missing: HTTP/1.1 requests must send one (RFC 9112 §3.2)',
    });
  });

  it('HTTP/1.0 may leave it out, and a request that sends it is served', async () => {
    assert.match(await rawClient(port, 'GET /healthz HTTP/1.0\r\n\r\n').closed, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(await rawClient(port, 'GET /healthz HTTP/1.1\r\nHost: opencase\r\nConnection: close\r\n\r\n').closed, /^HTTP\/1\.1 200 OK\r\n/);
  });
});
