/** Thin clients for tests: HTTP calls that return status + body, and connected sockets. */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Message, Room } from '../../shared/schemas.ts';

export interface Reply<T = any> {
  status: number;
  body: T;
}

export async function call<T = any>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; raw?: string } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.raw;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export interface TestUser {
  id: string;
  username: string;
  displayName: string;
  token: string;
}

export function uniqueName(prefix = 'u'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export async function signUp(baseUrl: string, name = uniqueName()): Promise<TestUser> {
  const reply = await call(baseUrl, 'POST', '/v1/users', { body: { username: name, password: 'correct horse battery', displayName: `Name ${name}` } });
  if (reply.status !== 201) throw new Error(`sign-up failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { ...reply.body.user, token: reply.body.token };
}

export async function createRoom(baseUrl: string, owner: TestUser, fields: { name?: string; topic?: string; tags?: string[] } = {}): Promise<Room> {
  const reply = await call(baseUrl, 'POST', '/v1/rooms', { token: owner.token, body: { name: fields.name ?? 'Test room', topic: fields.topic ?? '', tags: fields.tags ?? [] } });
  if (reply.status !== 201) throw new Error(`create room failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.room;
}

export async function joinRoom(baseUrl: string, user: TestUser, roomId: string): Promise<void> {
  const reply = await call(baseUrl, 'POST', `/v1/rooms/${roomId}/join`, { token: user.token });
  if (reply.status !== 200) throw new Error(`join failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}

export async function postMessage(baseUrl: string, user: TestUser, roomId: string, text: string, clientMsgId = uniqueName('m')): Promise<Reply> {
  return call(baseUrl, 'POST', `/v1/rooms/${roomId}/messages`, { token: user.token, body: { text, clientMsgId } });
}

/** A connected socket that records every `message` it receives. */
export interface LiveClient {
  socket: Socket;
  received: Message[];
  send(payload: unknown): Promise<any>;
  emitAck(event: string, payload: unknown): Promise<any>;
  close(): void;
}

export async function connect(baseUrl: string, token: string | undefined): Promise<LiveClient> {
  const socket = io(baseUrl, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const received: Message[] = [];
  socket.on('message', (message: Message) => received.push(message));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  const emitAck = (event: string, payload: unknown) => socket.timeout(10_000).emitWithAck(event, payload);
  return { socket, received, send: (payload) => emitAck('message:send', payload), emitAck, close: () => socket.disconnect() };
}

export async function connectError(baseUrl: string, token: string | undefined): Promise<Error & { data?: any }> {
  const socket = io(baseUrl, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected, but should have been refused')));
      socket.once('connect_error', (error) => resolve(error as Error & { data?: any }));
    });
  } finally {
    socket.disconnect();
  }
}

export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects a fresh socket for `token` the way a reconnecting client would, and reports what it
 * lands in: whether it hears a message `senderLive` sends to the room right then, and whether
 * `sync` counts the room as the user's. The socket is closed again.
 */
export async function probeFreshSocket(baseUrl: string, token: string, senderLive: LiveClient, roomId: string): Promise<{ hears: boolean; member: boolean }> {
  const live = await connect(baseUrl, token);
  try {
    const sync = await live.emitAck('sync', { cursors: { [roomId]: 0 } });
    const sent = await senderLive.send({ roomId, text: `probe ${uniqueName()}`, clientMsgId: uniqueName() });
    // The sender's own socket hears it too; a member's socket is told in the same pass.
    await waitFor(() => senderLive.received.some((m) => m.id === sent.message.id), 5000, 'the probe to reach its sender');
    await sleep(300);
    return { hears: live.received.some((m) => m.id === sent.message.id), member: !sync.notMember.includes(roomId) };
  } finally {
    live.close();
  }
}
