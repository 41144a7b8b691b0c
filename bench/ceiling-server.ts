import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

/**
 * The ceiling: a bare node:http server replying the very bytes and headers of a real task-detail response,
 * doing nothing else. Whatever opencase reaches beside it is its share of what this machine can do.
 * Usage: node --import tsx bench/ceiling-server.ts BODY_FILE (prints the port it listens on).
 */
const bodyFile = process.argv[2];
if (!bodyFile) throw new Error('usage: ceiling-server.ts BODY_FILE');
const body = readFileSync(bodyFile);
const headers = { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(body.length) };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
