/**
 * Refusals made before a route's handler runs (Node's HTTP parser, Fastify's body parser,
 * @fastify/rate-limit) leave in our error shape with a catalogue code, at the status the
 * catalogue gives that code.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../server/errors.ts';
import { call, signUp, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  user = await signUp(server.url);
});
afterAll(() => server?.close());

async function postRaw(path: string, contentType: string, body: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${user.token}`, 'content-type': contentType }, body });
  return { status: response.status, body: await response.json() };
}

describe('body refusals', () => {
  it('answers a body over 64 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const reply = await postRaw('/v1/rooms', 'application/json', JSON.stringify({ name: 'Big', topic: 'x'.repeat(65 * 1024) }));
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: ERRORS.PAYLOAD_TOO_LARGE.message } });
    expect(ERRORS.PAYLOAD_TOO_LARGE.status).toBe(413);
  });

  it('answers a content type the server does not read with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const contentType of ['application/xml', 'application/x-www-form-urlencoded', 'not a media type']) {
      const reply = await postRaw('/v1/rooms', contentType, 'name=Club');
      expect(reply.status, contentType).toBe(415);
      expect(reply.body, contentType).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: ERRORS.UNSUPPORTED_MEDIA_TYPE.message } });
    }
    expect(ERRORS.UNSUPPORTED_MEDIA_TYPE.status).toBe(415);
    expect((await call(server.url, 'GET', '/v1/me', { token: user.token })).body.rooms).toEqual([]);
  });

  it('answers JSON it cannot read with 400 VALIDATION_FAILED naming the body', async () => {
    for (const raw of ['{"name": ', '']) {
      const reply = await postRaw('/v1/rooms', 'application/json', raw);
      expect(reply.status, raw).toBe(400);
      expect(reply.body.error, raw).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String), details: { field: 'body' } });
    }
  });
});

/** Writes `request` as raw bytes and reads everything the server answers until it closes the connection. */
async function rawExchange(request: string | Buffer): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; answered so far: ${answer}`));
    }, 5_000);
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(request);
  });
}

/** The HTTP answers in `raw`, in order: status and parsed JSON body (Content-Length framed). */
function answersIn(raw: string): Array<{ status: number; contentType: string | undefined; body: any }> {
  const answers: Array<{ status: number; contentType: string | undefined; body: any }> = [];
  let rest = raw;
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) throw new Error(`not an HTTP answer: ${rest}`);
    const [statusLine, ...headerLines] = rest.slice(0, headEnd).split('\r\n');
    const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length']);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    answers.push({ status: Number(statusLine!.split(' ')[1]), contentType: headers['content-type'], body: JSON.parse(body) });
    rest = rest.slice(headEnd + 4 + length);
  }
  return answers;
}

describe("requests Node's HTTP parser refuses", () => {
  const errorShape = (code: string) => ({ error: { code, message: expect.any(String) } });

  it('answers headers over the size limit with 431 HEADERS_TOO_LARGE in the error shape, and closes', async () => {
    const answers = answersIn(await rawExchange(`GET /v1/me HTTP/1.1\r\nHost: quanzi\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answers).toEqual([{ status: 431, contentType: 'application/json; charset=utf-8', body: { error: { code: 'HEADERS_TOO_LARGE', message: ERRORS.HEADERS_TOO_LARGE.message } } }]);
    expect(ERRORS.HEADERS_TOO_LARGE.status).toBe(431);
    // A URL too long to parse is the same limit.
    expect(answersIn(await rawExchange(`GET /${'x'.repeat(20_000)} HTTP/1.1\r\nHost: quanzi\r\n\r\n`))).toEqual([{ status: 431, contentType: expect.any(String), body: errorShape('HEADERS_TOO_LARGE') }]);
  });

  it('answers a malformed request line or header with 400 VALIDATION_FAILED in the error shape', async () => {
    for (const request of ['GARBAGE\r\n\r\n', 'GET /healthz HTTP/9.9\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost quanzi\r\n\r\n', 'GET /healthz HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab']) {
      expect(answersIn(await rawExchange(request)), JSON.stringify(request)).toEqual([{ status: 400, contentType: 'application/json; charset=utf-8', body: errorShape('VALIDATION_FAILED') }]);
    }
  });

  it('answers an OPTIONS request whose body came without a length: 404 for the request, then 400 in the error shape for the stray body', async () => {
    const answers = answersIn(await rawExchange('OPTIONS /v1/rooms HTTP/1.1\r\nHost: quanzi\r\n\r\n{"name":"x"}'));
    expect(answers).toEqual([
      { status: 404, contentType: 'application/json; charset=utf-8', body: errorShape('NOT_FOUND') },
      { status: 400, contentType: 'application/json; charset=utf-8', body: errorShape('VALIDATION_FAILED') },
    ]);
    // With its length, an OPTIONS with a body is an ordinary request: one answer, in the shape.
    const framed = answersIn(await rawExchange('OPTIONS /v1/rooms HTTP/1.1\r\nHost: quanzi\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'));
    expect(framed).toEqual([{ status: 404, contentType: 'application/json; charset=utf-8', body: errorShape('NOT_FOUND') }]);
  });

  it('keeps serving after parser refusals', async () => {
    expect((await call(server.url, 'GET', '/v1/me', { token: user.token })).status).toBe(200);
  });
});

describe('rate limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ embedded: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '2' } });
  });
  afterAll(() => limited?.close());

  it('answers sign-in attempts over RATE_LIMIT_AUTH_PER_MINUTE with 429 RATE_LIMITED and when to retry', async () => {
    const attempt = () =>
      fetch(`${limited.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody_here', password: 'not the password' }) });
    for (let i = 0; i < 2; i++) expect((await attempt()).status).toBe(401);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: { code: 'RATE_LIMITED', message: ERRORS.RATE_LIMITED.message } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('2');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    // Sign-up shares the limit's size but counts on its own.
    const signUp = await fetch(`${limited.url}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'rate_limit_ok', password: 'correct horse battery', displayName: 'Rate' }),
    });
    expect(signUp.status).toBe(201);
  });
});

describe('error answers in the OpenAPI document', () => {
  it('holds the error body once and points every error answer at it, 5xx included', async () => {
    const doc = (await call(server.url, 'GET', '/docs/json')).body;
    const errorRef = { $ref: '#/components/schemas/ErrorResponse' };
    expect(doc.components.schemas.ErrorResponse).toMatchObject({ type: 'object', required: ['error'], properties: { error: { required: ['code', 'message'] } } });
    const operations = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, operation })));
    expect(operations.length).toBeGreaterThan(60);
    for (const { at, operation } of operations) {
      const responses: Record<string, any> = operation.responses;
      expect(responses['5XX']?.content['application/json'].schema, at).toEqual(errorRef);
      if (at !== 'get /healthz' && at !== 'get /readyz') expect(responses['4XX']?.content['application/json'].schema, at).toEqual(errorRef);
    }
    // Not one inlined copy is left.
    expect(JSON.stringify(doc.paths)).not.toContain('Stable machine-readable code');
  });
});

describe('server failures', () => {
  let broken: TestServer;
  let brokenUser: TestUser;
  beforeAll(async () => {
    broken = await startTestServer({ embedded: true });
    brokenUser = await signUp(broken.url);
    await broken.app.database.close();
  });
  // Its database is closed already, so closing the gateway ends with that error.
  afterAll(() => broken?.close().catch(() => {}));

  it('answers 500 INTERNAL in the error body, and /readyz keeps its own 503 body', async () => {
    const me = await call(broken.url, 'GET', '/v1/me', { token: brokenUser.token });
    expect(me.status).toBe(500);
    expect(me.body).toEqual({ error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message } });
    const ready = await call(broken.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not ready', checks: { database: expect.stringContaining('unreachable') } });
  });
});
