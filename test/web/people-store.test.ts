/**
 * The web client's people and DM state (client/web/src/state/people.ts, dms.ts) against a real
 * gateway, through the store as the page uses it: a first message that becomes a request,
 * accepted on the other side; do-not-disturb and the badge it leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient } from '../../client/sdk/index.ts';
import { badgeOf } from '../../client/web/src/state/people.ts';
import { ChatStore } from '../../client/web/src/state/store.ts';
import { call, createRoom, joinRoom, postMessage, signUp, waitFor, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let ann: TestUser;
let bo: TestUser;
const stores: ChatStore[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [ann, bo] = await Promise.all([signUp(server.url), signUp(server.url)]);
});
afterAll(async () => {
  for (const store of stores) store.stop();
  await server?.close();
});

async function openStore(user: TestUser): Promise<ChatStore> {
  const store = new ChatStore(new QuanziClient({ baseUrl: server.url, token: user.token }), null);
  stores.push(store);
  await store.start();
  await store.client.waitUntilConnected(5_000);
  return store;
}

describe('badgeOf', () => {
  it('counts every message under "all", and under do-not-disturb only what mentions me, with a quiet dot for the rest', () => {
    expect(badgeOf({ unread: 5, unreadMentions: 1 })).toEqual({ count: 5, mentions: 1, quiet: false });
    expect(badgeOf({ notifications: 'mentions', unread: 5, unreadMentions: 1 })).toEqual({ count: 0, mentions: 1, quiet: true });
    expect(badgeOf({ notifications: 'none', unread: 0, unreadMentions: 0 })).toEqual({ count: 0, mentions: 0, quiet: false });
  });
});

describe('people and DMs in the store', () => {
  it('a first message to someone taking DMs from contacts is a request; accepting opens the DM room on both sides', async () => {
    expect((await call(server.url, 'PUT', '/v1/me/privacy', { token: bo.token, body: { dmsFrom: 'contacts' } })).status).toBe(200);
    const [annStore, boStore] = await Promise.all([openStore(ann), openStore(bo)]);
    const outcome = await annStore.dms.send({ id: bo.id, username: bo.username, displayName: bo.displayName }, 'Hello Bo');
    expect(outcome.kind).toBe('requested');
    expect(annStore.dms.pendingTo(bo.id)?.text).toBe('Hello Bo');

    await waitFor(() => boStore.dms.requests.length === 1, 5_000, 'the request on Bo’s page');
    const roomId = await boStore.dms.accept(boStore.dms.requests[0]!.id);
    expect(boStore.rooms.get(roomId)?.room.kind).toBe('dm');
    expect(boStore.dms.peerOf(roomId)?.id).toBe(ann.id);
    expect(boStore.dms.requests).toEqual([]);

    await waitFor(() => annStore.rooms.has(roomId), 5_000, 'the DM room on Ann’s page');
    expect(annStore.dms.peerOf(roomId)?.id).toBe(bo.id);
    expect(annStore.dms.pendingTo(bo.id)).toBeNull();
    expect(annStore.dms.roomWith(bo.id)).toBe(roomId);
  });

  it('under do-not-disturb ("none") unread still counts, the badge does not, and only @me alerts, not @all', async () => {
    const room = await createRoom(server.url, ann, { name: 'Quiet please' });
    await joinRoom(server.url, bo, room.id);
    const store = await openStore(bo);
    await store.people.setNotifications(room.id, 'none');
    expect(store.rooms.get(room.id)?.notifications).toBe('none');
    await postMessage(server.url, ann, room.id, 'plain');
    await postMessage(server.url, ann, room.id, '@all meeting at 8');
    await postMessage(server.url, ann, room.id, `@${bo.username} your turn`);
    await waitFor(() => store.rooms.get(room.id)!.unread === 3, 5_000, 'three unread');
    expect(badgeOf(store.rooms.get(room.id)!)).toEqual({ count: 0, mentions: 1, quiet: true });
    // The server agrees, read afresh.
    const me = await call(server.url, 'GET', '/v1/me', { token: bo.token });
    expect(me.body.rooms.find((r: { id: string }) => r.id === room.id)).toMatchObject({ notifications: 'none', unread: 3, unreadMentions: 1, badge: 0 });
  });
});
