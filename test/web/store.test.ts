/**
 * The web client's store (client/web/src/state/store.ts) against a real gateway, through the SDK
 * as the page uses it: what a member sees in the timeline, sends that settle once, and unsent
 * messages that outlive the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient } from '../../client/sdk/index.ts';
import type { KeyValueStorage } from '../../client/web/src/state/outbox.ts';
import { ChatStore } from '../../client/web/src/state/store.ts';
import { timelineItems } from '../../client/web/src/state/timeline.ts';
import { call, createRoom, joinRoom, postMessage, signUp, waitFor, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let owner: TestUser;
let member: TestUser;
const stores: ChatStore[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [owner, member] = await Promise.all([signUp(server.url), signUp(server.url)]);
});
afterAll(async () => {
  for (const store of stores) store.stop();
  await server?.close();
});

function memoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

async function openStore(user: TestUser, storage: KeyValueStorage, options: { sendDeadlineMs?: number; fetch?: typeof fetch } = {}): Promise<ChatStore> {
  const store = new ChatStore(new QuanziClient({ baseUrl: server.url, token: user.token, ...options }), storage);
  stores.push(store);
  await store.start();
  await store.client.waitUntilConnected(5_000);
  return store;
}

const texts = (store: ChatStore, roomId: string) =>
  timelineItems(store.timeline(roomId), store.outbox.of(roomId)).map((item) => (item.kind === 'message' ? item.message.text : `(${item.pending.status}) ${item.pending.text}`));

describe('chat store', () => {
  it('shows history and live messages once each, in order, and my send once it is stored', async () => {
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, member, room.id);
    await postMessage(server.url, owner, room.id, 'before I looked');
    const store = await openStore(member, memoryStorage());
    store.show({ kind: 'room', roomId: room.id });
    await waitFor(() => store.timeline(room.id).loaded, 5_000, 'history');
    await postMessage(server.url, owner, room.id, 'while I look');
    await waitFor(() => texts(store, room.id).includes('while I look'), 5_000, 'live message');
    store.send(room.id, 'my answer', null);
    await waitFor(() => texts(store, room.id).includes('my answer'), 5_000, 'my message stored');
    expect(texts(store, room.id).filter((t) => !t.startsWith('(')).slice(-3)).toEqual(['before I looked', 'while I look', 'my answer']);
    expect(store.outbox.of(room.id)).toEqual([]);
  });

  it('keeps a message that could not be sent, brings it back after a reload, and a retry stores it once', async () => {
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, member, room.id);
    const storage = memoryStorage();
    // Offline, the SDK sends over HTTP: here that fails as a dead network does.
    let networkDown = false;
    const flakyFetch: typeof fetch = (input, init) => (networkDown ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    const first = await openStore(member, storage, { sendDeadlineMs: 300, fetch: flakyFetch });
    first.show({ kind: 'room', roomId: room.id });
    await waitFor(() => first.timeline(room.id).loaded, 5_000, 'history');
    first.client.disconnect();
    networkDown = true;
    first.send(room.id, 'written on the train', null);
    await waitFor(() => first.outbox.of(room.id)[0]?.status === 'failed', 5_000, 'send failed');
    const clientMsgId = first.outbox.of(room.id)[0]!.clientMsgId;
    first.stop();

    // The page reloads: the unsent message is there, not sent, to retry.
    const second = await openStore(member, storage);
    second.show({ kind: 'room', roomId: room.id });
    await waitFor(() => second.timeline(room.id).loaded, 5_000, 'history');
    const restored = second.outbox.of(room.id);
    expect(restored.map((p) => [p.text, p.status, p.clientMsgId])).toEqual([['written on the train', 'failed', clientMsgId]]);
    expect(texts(second, room.id)).toContain('(failed) written on the train');
    second.retry(restored[0]!);
    second.retry(restored[0]!);
    await waitFor(() => texts(second, room.id).includes('written on the train'), 5_000, 'stored after retry');
    await waitFor(() => second.outbox.of(room.id).length === 0, 5_000, 'outbox empty');

    const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: member.token });
    expect(history.body.messages.filter((m: { text: string }) => m.text === 'written on the train')).toHaveLength(1);
  });

  it('shows a refused message where it was written, with the server’s code', async () => {
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, member, room.id);
    const store = await openStore(member, memoryStorage());
    store.show({ kind: 'room', roomId: room.id });
    await waitFor(() => store.timeline(room.id).loaded, 5_000, 'history');
    const muted = await call(server.url, 'PUT', `/v1/rooms/${room.id}/mute-all`, { token: owner.token, body: { enabled: true } });
    expect(muted.status).toBeLessThan(300);
    store.send(room.id, 'anyone here?', null);
    await waitFor(() => store.outbox.of(room.id)[0]?.status === 'failed', 5_000, 'refused');
    expect(store.outbox.of(room.id)[0]?.error?.code).toBe('MUTE_ALL_ACTIVE');
  });
});
