/**
 * The bad-input sweep. Every bad input must be refused with a clear error (an HTTP 4xx, or a
 * socket ack `{ ok: false, error }`) carrying a stable UPPER_SNAKE `code` and a `message`, and must
 * change nothing; the server never answers 5xx, hangs or drops the connection over client input.
 *
 * The HTTP routes come from the OpenAPI document the server serves (/docs/json) and the socket
 * events from the listeners the gateway registers on a live socket, so a route or event added
 * later is swept without touching this file (a new socket event only needs a valid payload in
 * VALID_PAYLOADS, and the test says so).
 *
 * Not swept:
 * - Routes without params, query or body (/healthz, /readyz, GET /v1/me, GET /v1/bots,
 *   DELETE /v1/sessions/current): the token is their only input, covered in accounts.test.ts.
 * - Bad tokens and bot tokens: accounts.test.ts and test/bots/tokens.test.ts.
 * - Socket frames over the transport's size limit (maxHttpBufferSize, about 32 KB) close that one
 *   connection by design instead of acking; the last test here only checks the server shrugs it off.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, postMessage, type LiveClient, type Reply, type TestUser } from './helpers/clients.ts';
import { castRoom } from './helpers/rooms.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import type { Room } from '../shared/schemas.ts';

const CLIENT_ERROR_STATUSES = new Set([400, 401, 403, 404, 409, 413, 422, 429]);
const ERROR_CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
/** Longer than any answer the server should need; a request that takes this long is a hang. */
const ANSWER_TIMEOUT_MS = 5_000;
/** Requests in flight at once: enough to keep the sweep short, few enough for a 2-core machine. */
const CONCURRENCY = 4;
/** Over the server's 64 KB body limit. */
const OVER_BODY_LIMIT = 80 * 1024;
/** JSON nested far deeper than any real payload, yet well under the body limit. */
const DEEP_JSON = '['.repeat(10_000) + ']'.repeat(10_000);

let server: TestServer;
let owner: TestUser;
let member: TestUser;
let room: Room;
let botId: string;
let inviteCode: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ room, owner, members: [member] } = await castRoom(server.url, { members: 1 }, { name: 'Sweep room', topic: 'bad inputs', tags: ['sweep'] }));
  // A few messages, one with a reaction and a pin, so seq-addressed routes have something real.
  for (const text of ['first', 'second', 'third']) {
    const sent = await postMessage(server.url, owner, room.id, text);
    if (sent.status !== 201) throw new Error(`send failed: ${JSON.stringify(sent.body)}`);
  }
  const setUp = [
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/messages/1/reactions/${encodeURIComponent('👍')}`, { token: member.token }),
    await call(server.url, 'PUT', `/v1/rooms/${room.id}/pins/2`, { token: owner.token }),
    await call(server.url, 'POST', `/v1/rooms/${room.id}/announcement`, { token: owner.token, body: { text: 'Be kind' } }),
    await call(server.url, 'POST', '/v1/bots', { token: owner.token, body: { name: 'Sweep bot', roomId: room.id } }),
    await call(server.url, 'POST', `/v1/rooms/${room.id}/invites`, { token: owner.token, body: {} }),
  ];
  for (const reply of setUp) if (reply.status >= 300) throw new Error(`set-up failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  botId = setUp[3]!.body.bot.id;
  inviteCode = setUp[4]!.body.invite.code;
});
afterAll(() => server?.close());

/** Everything a client can read about the room and the owner's things, to show nothing changed. */
async function roomState(): Promise<Record<string, unknown>> {
  const paths = [
    `/v1/rooms/${room.id}`,
    `/v1/rooms/${room.id}/members`,
    `/v1/rooms/${room.id}/messages?limit=100`,
    `/v1/rooms/${room.id}/reactions?fromSeq=1&toSeq=100`,
    `/v1/rooms/${room.id}/pins`,
    `/v1/rooms/${room.id}/announcement`,
    `/v1/rooms/${room.id}/invites`,
    `/v1/rooms/${room.id}/bans`,
    `/v1/rooms/${room.id}/join-requests`,
    `/v1/rooms/${room.id}/safety`,
    `/v1/rooms/${room.id}/review`,
    `/v1/rooms/${room.id}/audit`,
    `/v1/rooms/${room.id}/bots`,
    `/v1/rooms/${room.id}/commands`,
    `/v1/rooms/${room.id}/hooks`,
    `/v1/rooms/${room.id}/schedules`,
    `/v1/bots/${botId}`,
    `/v1/bots/${botId}/tokens`,
    `/v1/bots/${botId}/webhook`,
    '/v1/me',
  ];
  const state: Record<string, unknown> = {};
  for (const path of paths) {
    for (const user of [owner, member]) {
      const reply = await call(server.url, 'GET', path, { token: user.token });
      state[`${user === owner ? 'owner' : 'member'} ${path}`] = reply;
    }
  }
  return state;
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  nullable?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
}

interface Route {
  method: string;
  /** OpenAPI form: /v1/rooms/{roomId} */
  path: string;
  params: OpenApiParameter[];
  query: OpenApiParameter[];
  body: JsonSchema | null;
}

interface Probe {
  label: string;
  method: string;
  url: string;
  body?: unknown;
  raw?: string;
}

async function documentedRoutes(): Promise<Route[]> {
  const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, Record<string, any>> };
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = (operation.parameters ?? []) as OpenApiParameter[];
      routes.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === 'path'),
        query: parameters.filter((p) => p.in === 'query'),
        body: operation.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return routes;
}

const typesOf = (schema: JsonSchema): string[] => (schema.anyOf ? schema.anyOf.flatMap(typesOf) : schema.type ? [schema.type] : []);

/** A value the schema accepts, as far as a generic guess goes (patterns are not solved). */
function sampleOf(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sampleOf(schema.anyOf[0]!);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'uri') return 'https://example.com/sweep';
      if (schema.format === 'date-time') return new Date(Date.now() + 3_600_000).toISOString();
      return 'abcdefgh'.slice(0, Math.max(schema.minLength ?? 1, Math.min(8, schema.maxLength ?? 8)));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return schema.minItems ? [sampleOf(schema.items ?? { type: 'string' })] : [];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, sampleOf(schema.properties?.[name] ?? {})]));
    default:
      return null;
  }
}

/** Values of the wrong JSON type for the schema, and values of the right type past its limits. */
function badValuesFor(schema: JsonSchema): Array<[string, unknown]> {
  const types = typesOf(schema);
  const bad: Array<[string, unknown]> = [];
  if (!types.includes('string')) bad.push(['a string', 'not the right type']);
  if (!types.includes('integer') && !types.includes('number')) bad.push(['a number', 12345]);
  if (!types.includes('object')) bad.push(['an object', { nested: true }]);
  if (!types.includes('array')) bad.push(['an array', ['x']]);
  if (!types.includes('boolean')) bad.push(['a boolean', true]);
  if (!schema.nullable && !types.includes('null')) bad.push(['null', null]);
  const leaf = schema.anyOf?.[0] ?? schema;
  if (types.includes('string')) {
    const limit = leaf.maxLength ?? 0;
    // Far past the field's limit yet under the body limit, so the field's own check answers.
    bad.push(['a huge string', 'x'.repeat(Math.min(Math.max(limit * 10, 5_000), 50_000))]);
    bad.push(['a NUL character', 'ab\u0000cd']);
    bad.push(['an unpaired surrogate', 'ab\uD800cd']);
  }
  if (types.includes('integer') || types.includes('number')) {
    if (leaf.minimum !== undefined) bad.push(['a number below the minimum', leaf.minimum - 1]);
    if (leaf.maximum !== undefined) bad.push(['a number above the maximum', leaf.maximum + 1]);
    if (types.includes('integer')) bad.push(['a fraction', 1.5]);
    bad.push(['a negative number', -1e30]);
  }
  if (types.includes('array') && leaf.maxItems !== undefined) {
    bad.push(['too many items', Array.from({ length: leaf.maxItems + 1 }, (_, i) => `item${i}`)]);
  }
  if (types.includes('array') && leaf.items) {
    const itemBad = badValuesFor(leaf.items).find(([what]) => what === 'a number' || what === 'an object');
    if (itemBad) bad.push([`an array of ${itemBad[0]}`, [itemBad[1]]]);
  }
  // A value only bad because of its type has nothing else to say when the schema accepts anything.
  return types.length === 0 ? [] : bad;
}

/** Path values that fit the route's schema and name real things where the fixture has them. */
function realParamValue(param: OpenApiParameter): string {
  const known: Record<string, string> = { roomId: room.id, userId: member.id, botId, seq: '1', emoji: encodeURIComponent('👍'), code: inviteCode };
  if (known[param.name]) return known[param.name]!;
  if (param.schema.format === 'uuid') return randomUUID();
  if (param.schema.type === 'integer') return '1';
  return 'abcdefgh';
}

/** Path values of the wrong shape: each must be a 400 (or a 404 for text the route cannot match). */
function badParamValues(param: OpenApiParameter): string[] {
  // Broken percent-encoding and an encoded NUL reach every kind of param.
  const always = ['%E0%A4%A', '%00', '%ZZ', 'x'.repeat(2_000)];
  if (param.schema.format === 'uuid') return [...always, 'not-a-uuid', '12345', `${randomUUID()}0`, "1' or '1'='1"];
  if (param.schema.type === 'integer') return [...always, '0', '-1', 'NaN', '1.5', '1e400', '99999999999999999999', 'abc', ' '];
  return always;
}

/** Path values that are well formed but name nothing. */
function unknownParamValue(param: OpenApiParameter): string {
  if (param.schema.format === 'uuid') return randomUUID();
  if (param.schema.type === 'integer') return String(Number.MAX_SAFE_INTEGER);
  return `nothing${randomUUID().slice(0, 8)}`;
}

function badQueryValues(param: OpenApiParameter): string[] {
  const types = typesOf(param.schema);
  const values = ['x'.repeat(5_000), '\u0000'];
  if (types.includes('integer') || types.includes('number')) values.push('-1', 'NaN', 'abc', '1.5', '1e400', '99999999999999999999999');
  if (param.schema.format === 'date-time') values.push('yesterday', '2024-13-45T99:99:99Z');
  if (param.schema.anyOf || param.schema.enum) values.push('bogus');
  return values;
}

function urlOf(route: Route, params: Record<string, string>, query: Array<[string, string]> = []): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

/** Every bad request the sweep sends to one route. */
function probesFor(route: Route): Probe[] {
  const probes: Probe[] = [];
  const real = Object.fromEntries(route.params.map((p) => [p.name, realParamValue(p)]));
  const validQuery: Array<[string, string]> = route.query.filter((q) => q.required).map((q) => [q.name, String(sampleOf(q.schema))]);
  const at = urlOf(route, real, validQuery);

  for (const param of route.params) {
    for (const value of badParamValues(param)) {
      probes.push({ label: `path ${param.name}=${value.slice(0, 40)}`, method: route.method, url: urlOf(route, { ...real, [param.name]: value }, validQuery), body: route.body ? sampleOf(route.body) : undefined });
    }
    probes.push({
      label: `path ${param.name} names nothing`,
      method: route.method,
      url: urlOf(route, { ...real, [param.name]: unknownParamValue(param) }, validQuery),
      body: route.body ? sampleOf(route.body) : undefined,
    });
  }

  for (const param of route.query) {
    for (const value of badQueryValues(param)) {
      const query = validQuery.filter(([name]) => name !== param.name);
      probes.push({ label: `query ${param.name}=${value.slice(0, 40)}`, method: route.method, url: urlOf(route, real, [...query, [param.name, value]]) });
    }
    probes.push({ label: `query ${param.name} twice`, method: route.method, url: urlOf(route, real, [...validQuery, [param.name, '1'], [param.name, '2']]) });
    if (param.required) probes.push({ label: `query ${param.name} missing`, method: route.method, url: urlOf(route, real, validQuery.filter(([name]) => name !== param.name)) });
  }
  if (route.query.length > 0) probes.push({ label: 'unknown query field', method: route.method, url: urlOf(route, real, [...validQuery, ['sweepUnknown', '1']]) });

  // Malformed JSON is refused before any route sees it, whether or not the route takes a body.
  if (route.method !== 'GET') probes.push({ label: 'malformed JSON', method: route.method, url: at, raw: '{"text": "unterminated' });

  const body = route.body;
  if (body) {
    const required = body.required ?? [];
    const base = sampleOf(body) as Record<string, unknown>;
    for (const raw of ['[]', '"just text"', '42', 'true', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]']) {
      probes.push({ label: `body ${raw.slice(0, 20)}`, method: route.method, url: at, raw });
    }
    // An empty or null body is a valid request where nothing is required (emptyBodyAsObject).
    if (required.length > 0) {
      probes.push({ label: 'body {}', method: route.method, url: at, body: {} });
      probes.push({ label: 'body null', method: route.method, url: at, raw: 'null' });
      for (const name of required) {
        const { [name]: _dropped, ...rest } = base;
        probes.push({ label: `body without ${name}`, method: route.method, url: at, body: rest });
      }
    }
    if (body.additionalProperties === false) probes.push({ label: 'body with an unknown field', method: route.method, url: at, body: { ...base, sweepUnknown: 'x' } });
    for (const [name, schema] of Object.entries(body.properties ?? {})) {
      for (const [what, value] of badValuesFor(schema)) {
        probes.push({ label: `body ${name} as ${what}`, method: route.method, url: at, body: { ...base, [name]: value } });
      }
      if (typesOf(schema).includes('object') && (schema.anyOf?.[0] ?? schema).additionalProperties === false) {
        probes.push({ label: `body ${name} with an unknown field`, method: route.method, url: at, body: { ...base, [name]: { ...(sampleOf(schema) as object), sweepUnknown: 1 } } });
      }
    }
    // Deep nesting where the schema lets any value through (unknown fields, arrays of anything).
    const openFields = Object.entries(body.properties ?? {})
      .filter(([, schema]) => typesOf(schema).length === 0 || (typesOf(schema).includes('array') && typesOf(schema.items ?? {}).length === 0))
      .map(([name]) => name);
    if (body.additionalProperties !== false) openFields.push('sweepUnknown');
    for (const name of openFields) {
      probes.push({ label: `body ${name} nested 10000 deep`, method: route.method, url: at, raw: `${JSON.stringify(base).slice(0, -1)}${Object.keys(base).length ? ',' : ''}"${name}":[${DEEP_JSON}]}` });
    }
    const idFields = Object.entries(body.properties ?? {}).filter(([, schema]) => schema.format === 'uuid');
    if (idFields.length > 0) {
      const dangling = { ...base, ...Object.fromEntries(idFields.map(([name]) => [name, randomUUID()])) };
      probes.push({ label: `body ${idFields.map(([name]) => name).join(', ')} naming nothing`, method: route.method, url: at, body: dangling });
    }
    const firstField = Object.keys(body.properties ?? {})[0] ?? 'text';
    probes.push({ label: 'body over the size limit', method: route.method, url: at, raw: JSON.stringify({ ...base, [firstField]: 'x'.repeat(OVER_BODY_LIMIT) }) });
  }
  return probes;
}

/** What is wrong with the answer to a bad request, or null when it is a proper refusal. */
function judge(reply: Reply): string | null {
  if (!CLIENT_ERROR_STATUSES.has(reply.status)) return `status ${reply.status}`;
  const error = reply.body?.error;
  if (typeof error?.code !== 'string' || !ERROR_CODE.test(error.code)) return `no stable error code (${reply.status})`;
  if (typeof error.message !== 'string' || error.message.trim() === '') return `no error message (${error.code})`;
  return null;
}

async function send(probe: Probe, token: string): Promise<Reply> {
  const answer = call(server.url, probe.method, probe.url, { token, body: probe.body, raw: probe.raw }).catch((error: unknown) => ({
    status: -1,
    body: { transportError: String(error) },
  }));
  const timeout = new Promise<Reply>((resolve) => setTimeout(() => resolve({ status: -2, body: 'no answer in time' }), ANSWER_TIMEOUT_MS).unref());
  return Promise.race([answer, timeout]);
}

/** Runs `work` over `items` with at most CONCURRENCY at once. */
async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('bad HTTP input', () => {
  it('every documented route refuses malformed, mistyped, missing, oversize and dangling input with a 4xx and a code, and changes nothing', async () => {
    const routes = await documentedRoutes();
    const swept = routes.filter((route) => route.params.length > 0 || route.query.length > 0 || route.body !== null);
    // A guard against the enumeration silently finding nothing (a moved OpenAPI document).
    expect(swept.length).toBeGreaterThan(60);
    expect(swept.map((r) => `${r.method} ${r.path}`)).toContain('POST /v1/rooms/{roomId}/messages');

    const probes = swept.flatMap((route) => probesFor(route).map((probe) => ({ route, probe })));
    const before = await roomState();
    const failures: string[] = [];
    await pool(probes, async ({ route, probe }) => {
      const reply = await send(probe, owner.token);
      const problem = judge(reply);
      if (problem) failures.push(`${route.method} ${route.path} [${probe.label}]: ${problem} ${JSON.stringify(reply.body).slice(0, 200)}`);
    });
    const after = await roomState();

    expect(failures).toEqual([]);
    expect(after).toEqual(before);
    console.info(`bad-input sweep: ${probes.length} bad requests to ${swept.length} of ${routes.length} routes`);
    // Thousands of requests, more with every route: the default 30 s is not enough on a busy machine.
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// Socket

/** A valid payload for each client → server event; a new event fails the sweep until it has one. */
const VALID_PAYLOADS: Record<string, (roomId: string) => Record<string, unknown>> = {
  'message:send': (roomId) => ({ roomId, text: 'a valid message', clientMsgId: randomUUID() }),
  sync: (roomId) => ({ cursors: { [roomId]: 0 } }),
  'message:recall': (roomId) => ({ roomId, seq: 1 }),
  'message:edit': (roomId) => ({ roomId, seq: 1, text: 'an edited text' }),
  'reaction:add': (roomId) => ({ roomId, seq: 1, emoji: '🎉' }),
  'reaction:remove': (roomId) => ({ roomId, seq: 1, emoji: '👍' }),
  read: (roomId) => ({ roomId, seq: 1 }),
  typing: (roomId) => ({ roomId }),
};

/** Socket.IO's own events, not client → server messages. */
const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);

/** The events the gateway listens for on a connected socket, read from the server side. */
function gatewayEvents(live: LiveClient): string[] {
  const serverSocket = server.app.io.of('/').sockets.get(live.socket.id!);
  if (!serverSocket) throw new Error('the server does not know this socket');
  return serverSocket.eventNames().map(String).filter((name) => !RESERVED_EVENTS.has(name));
}

/** Bad payloads for one event, derived from its valid one. */
function badPayloads(event: string, valid: Record<string, unknown>, unknownRoomId: string): Array<[string, unknown]> {
  const bad: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'hello'],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [valid]],
    ['an empty object', {}],
    ['an unknown field', { ...valid, sweepUnknown: 1 }],
    // Not DEEP_JSON: socket.io-client itself overflows its stack encoding that.
    ['a deeply nested value', { ...valid, roomId: JSON.parse('['.repeat(2_000) + ']'.repeat(2_000)) }],
  ];
  for (const [name, value] of Object.entries(valid)) {
    const { [name]: _dropped, ...rest } = valid;
    bad.push([`without ${name}`, rest]);
    bad.push([`${name} as null`, { ...valid, [name]: null }]);
    bad.push([`${name} as ${typeof value === 'string' ? 'a number' : 'a string'}`, { ...valid, [name]: typeof value === 'string' ? 12345 : 'x' }]);
    if (typeof value === 'object') bad.push([`${name} with a non-UUID key`, { ...valid, [name]: { 'not-a-uuid': 0 } }]);
    if (typeof value === 'number') bad.push([`${name} negative`, { ...valid, [name]: -1 }], [`${name} a fraction`, { ...valid, [name]: 1.5 }]);
    if (typeof value === 'string') {
      bad.push([`${name} oversize`, { ...valid, [name]: 'x'.repeat(20_000) }]);
      bad.push([`${name} with a NUL`, { ...valid, [name]: 'a\u0000b' }]);
    }
  }
  // `sync` answers rooms that are not the user's in `notMember` on purpose (a reconnecting client
  // learns it was removed), so an unknown room there is not a bad input.
  if ('roomId' in valid) {
    bad.push(['roomId not a UUID', { ...valid, roomId: 'not-a-uuid' }]);
    bad.push(['roomId of no room', { ...valid, roomId: unknownRoomId }]);
  }
  if ('text' in valid) {
    bad.push(['text one past the limit', { ...valid, text: 'x'.repeat(4001) }]);
    bad.push(['text only whitespace', { ...valid, text: '   ' }]);
  }
  // `read` takes a seq past the end on purpose: it is clamped to the room's last message.
  if ('seq' in valid && event !== 'read') bad.push(['seq of no message', { ...valid, seq: 999_999 }]);
  return bad;
}

function isErrorAck(ack: any): boolean {
  return ack?.ok === false && typeof ack.error?.code === 'string' && ERROR_CODE.test(ack.error.code) && typeof ack.error.message === 'string' && ack.error.message.trim() !== '';
}

describe('bad socket input', () => {
  it('every client event answers bad payloads with an error ack and a code, keeps the socket, and changes nothing', async () => {
    const live = await connect(server.url, owner.token);
    const events = gatewayEvents(live);
    expect(events).toContain('message:send');
    expect(events.filter((event) => !VALID_PAYLOADS[event]), 'events without a valid payload in VALID_PAYLOADS').toEqual([]);
    const before = await roomState();
    const failures: string[] = [];
    let sent = 0;
    const note = (event: string, what: string, ack: unknown) => {
      if (!isErrorAck(ack)) failures.push(`${event} [${what}]: ${JSON.stringify(ack)?.slice(0, 200)}`);
    };
    const ackOf = (promise: Promise<unknown>) => promise.catch((error: Error) => ({ noAck: error.message }));

    // All at once, so a hang costs one ANSWER_TIMEOUT_MS rather than one per payload.
    await Promise.all(
      events.map(async (event) => {
        const emits: Array<[string, unknown[]]> = [
          // No payload at all: the ack callback is the only argument.
          ['no payload', []],
          // A valid payload, but more arguments than the event takes.
          ['extra arguments', [VALID_PAYLOADS[event]!(room.id), 'extra']],
          ...badPayloads(event, VALID_PAYLOADS[event]!(room.id), randomUUID()).map(([what, payload]): [string, unknown[]] => [what, [payload]]),
        ];
        sent += emits.length;
        for (const [what, args] of emits) note(event, what, await ackOf(live.socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck(event, ...args)));
      }),
    );
    expect(live.socket.connected, 'still connected after the bad payloads').toBe(true);

    // Without an ack there is nobody to answer; the server says so on the socket instead.
    const complaint = new Promise((resolve) => live.socket.once('error:event', resolve));
    live.socket.emit('message:send', VALID_PAYLOADS['message:send']!(room.id));
    expect(await complaint).toEqual({ event: 'message:send', code: 'VALIDATION_FAILED', message: expect.any(String) });

    const after = await roomState();
    expect(failures).toEqual([]);
    expect(after).toEqual(before);

    // The socket still works.
    const ok = await live.send(VALID_PAYLOADS['message:send']!(room.id));
    expect(ok).toMatchObject({ ok: true, message: { roomId: room.id, text: 'a valid message' } });
    live.close();
    console.info(`bad-input sweep: ${sent} bad payloads to ${events.length} socket events`);
  });

  it('a frame past the transport size limit closes only that connection', async () => {
    const [big, bystander] = await Promise.all([connect(server.url, member.token), connect(server.url, owner.token)]);
    const gone = new Promise((resolve) => big.socket.once('disconnect', resolve));
    big.socket.emit('message:send', { roomId: room.id, text: 'x'.repeat(200_000), clientMsgId: randomUUID() }, () => {});
    expect(await gone).toBe('transport close');
    const ok = await bystander.send({ roomId: room.id, text: 'still here', clientMsgId: randomUUID() });
    expect(ok.ok).toBe(true);
    bystander.close();
  });
});
