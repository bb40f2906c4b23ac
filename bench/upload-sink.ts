/**
 * W10's baseline: a plain Node HTTP server that pipes each request body to a file on disk and
 * answers 201, nothing else (no parsing, hashing, sniffing or database). What Quanzi's upload
 * route does beyond this is the price of the multipart parser, the sha256, the type check and the
 * row. Files go to a temporary directory and are deleted after each answer.
 */
import { createWriteStream } from 'node:fs';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const dir = mkdtempSync(path.join(tmpdir(), 'quanzi-bench-sink-'));
let next = 0;

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/readyz') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  const file = path.join(dir, `${next++}.part`);
  let size = 0;
  request.on('data', (chunk: Buffer) => (size += chunk.length));
  pipeline(request, createWriteStream(file)).then(
    () => {
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ size }));
      unlinkSync(file);
    },
    () => {
      response.writeHead(400).end();
      rmSync(file, { force: true });
    },
  );
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}
