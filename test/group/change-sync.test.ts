import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { say, setUpGroup, type GroupFixture } from './message-actions-fixture.ts';

let server: TestServer;
let g: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  g = await setUpGroup(server, 'Sync changes room');
});
afterAll(() => server?.close());

describe('catching up on message actions with a change cursor', () => {
  it('returns the recalls, reactions, pins and announcements that happened while a client was away', async () => {
    const keep = await say(server, g.owner, g.room.id, 'Packing list: water, snacks, map');
    const drop = await say(server, g.member, g.room.id, 'wrong chat sorry');

    const bob = await connect(server.url, g.other.token);
    const first = await bob.emitAck('sync', { cursors: { [g.room.id]: { seq: 0, change: 0 } } });
    expect(first.ok).toBe(true);
    const seqCursor = first.rooms[g.room.id].messages.at(-1).seq;
    const changeCursor = first.rooms[g.room.id].lastChange;
    bob.close();

    // While Bob is away.
    await call(server.url, 'POST', `/v1/rooms/${g.room.id}/messages/${drop}/recall`, { token: g.member.token });
    await call(server.url, 'PUT', `/v1/rooms/${g.room.id}/messages/${keep}/reactions/${encodeURIComponent('👍')}`, { token: g.member.token });
    await call(server.url, 'PUT', `/v1/rooms/${g.room.id}/pins/${keep}`, { token: g.admin.token });
    await call(server.url, 'POST', `/v1/rooms/${g.room.id}/announcement`, { token: g.owner.token, body: { text: 'Bring a headlamp.' } });

    const back = await connect(server.url, g.other.token);
    const ack = await back.emitAck('sync', { cursors: { [g.room.id]: { seq: seqCursor, change: changeCursor } } });
    expect(ack.ok).toBe(true);
    const room = ack.rooms[g.room.id];
    expect(room.changes.map((c: any) => c.kind)).toEqual(['recall', 'reactions', 'pin', 'announcement']);
    expect(room.changes.map((c: any) => c.position)).toEqual([1, 2, 3, 4].map((i) => changeCursor + i));
    expect(room.changes[0].payload).toMatchObject({ seq: drop, recalledBy: g.member.id });
    expect(room.changes[1].payload).toMatchObject({ seq: keep, counts: [{ emoji: '👍', count: 1 }] });
    expect(room.changes[2].payload).toMatchObject({ seq: keep, pinnedBy: g.admin.id });
    expect(room.changes[3].payload.announcement).toMatchObject({ text: 'Bring a headlamp.' });
    expect(room.lastChange).toBe(changeCursor + 4);
    // The announcement's system message is a new message in the timeline.
    expect(room.messages.map((m: any) => m.data?.event)).toEqual(['announcement.posted']);

    const caughtUp = await back.emitAck('sync', { cursors: { [g.room.id]: { seq: room.messages.at(-1).seq, change: room.lastChange } } });
    expect(caughtUp.rooms[g.room.id]).toMatchObject({ messages: [], changes: [], lastChange: room.lastChange });
    back.close();
  });
});
