/** Fixtures for bot tests: a room with relaxed rate limits, bots and tokens, a loopback receiver. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, createRoom, signUp, type Reply, type TestUser } from '../helpers/clients.ts';

/** Fast timings for the delivery worker and the scheduler; loopback HTTP receivers allowed. */
export const BOT_TEST_ENV = {
  BOT_WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true',
  BOT_DELIVERY_TICK_MS: '50',
  BOT_DELIVERY_RETRY_BASE_MS: '50',
  BOT_DELIVERY_MAX_ATTEMPTS: '3',
  BOT_PAUSE_AFTER_FAILURES: '4',
  BOT_DELIVERY_TIMEOUT_MS: '2000',
  SCHEDULER_TICK_MS: '50',
  SCHEDULE_MIN_INTERVAL_SECONDS: '1',
};

export async function botCall<T = any>(baseUrl: string, method: string, path: string, botToken: string, body?: unknown): Promise<Reply<T>> {
  const headers: Record<string, string> = { authorization: `Bot ${botToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export interface BotRoom {
  owner: TestUser;
  roomId: string;
  botId: string;
}

/** An owner, a room whose rate and probation rules are off (bots post in bursts), and a bot in it. */
export async function roomWithBot(baseUrl: string, botName = 'Helper Bot'): Promise<BotRoom> {
  const owner = await signUp(baseUrl);
  const room = await createRoom(baseUrl, owner, { name: 'Hiking club' });
  const relaxed = await call(baseUrl, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { rules: { rate: 'off', probation: 'off' } } });
  if (relaxed.status !== 200) throw new Error(`relaxing safety failed: ${JSON.stringify(relaxed.body)}`);
  const bot = await call(baseUrl, 'POST', '/v1/bots', { token: owner.token, body: { name: botName, roomId: room.id } });
  if (bot.status !== 201) throw new Error(`bot creation failed: ${JSON.stringify(bot.body)}`);
  return { owner, roomId: room.id, botId: bot.body.bot.id };
}

export async function issueToken(baseUrl: string, owner: TestUser, botId: string, scopes: string[]): Promise<{ id: string; secret: string }> {
  const reply = await call(baseUrl, 'POST', `/v1/bots/${botId}/tokens`, { token: owner.token, body: { scopes, name: 'test' } });
  if (reply.status !== 201) throw new Error(`token failed: ${JSON.stringify(reply.body)}`);
  return { id: reply.body.token.id, secret: reply.body.secret };
}

export interface ReceivedDelivery {
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
}

/** A real HTTP receiver on loopback; `respond` decides each answer. */
export interface Receiver {
  url: string;
  received: ReceivedDelivery[];
  respond: (delivery: ReceivedDelivery) => { status: number; body?: unknown };
  close(): Promise<void>;
}

export async function startReceiver(respond: Receiver['respond'] = () => ({ status: 200 })): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], respond, close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const delivery = { headers: req.headers, body, json: JSON.parse(body) };
      receiver.received.push(delivery);
      const answer = receiver.respond(delivery);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

const CHANGELOG_WORDS = ['tripod', 'mount', 'lens', 'shutter', 'focus', 'meter', 'filter', 'flash', 'sensor', 'battery', 'strap', 'hood'];

/** Ordinary-looking text of exactly `units` UTF-16 units (long, but nothing a spam rule holds). */
export function changelogText(units: number): string {
  let text = '';
  for (let i = 0; text.length < units; i++) text += `${CHANGELOG_WORDS[(i * 7) % CHANGELOG_WORDS.length]} fix ${i}; `;
  return text.slice(0, units);
}
