import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, signUp, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { join, lastChangeOf, record, setUpGroup, type GroupFixture } from './message-actions-fixture.ts';

let server: TestServer;
let g: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  g = await setUpGroup(server, 'Announcements room');
});
afterAll(() => server?.close());

const base = () => `/v1/rooms/${g.room.id}/announcement`;

describe('announcements', () => {
  it('before any is posted: none to read or confirm', async () => {
    expect((await call(server.url, 'GET', base(), { token: g.member.token })).body).toEqual({ announcement: null, readByMe: false });
    const read = await call(server.url, 'POST', `${base()}/read`, { token: g.member.token });
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('ANNOUNCEMENT_NOT_FOUND');
  });

  it('only owner and admins may post one; a refused post changes nothing', async () => {
    const before = await lastChangeOf(server, g.room.id);
    const denied = await call(server.url, 'POST', base(), { token: g.member.token, body: { text: 'I make the rules now' } });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'FORBIDDEN', details: { action: 'announcement.post' } });
    const blank = await call(server.url, 'POST', base(), { token: g.owner.token, body: { text: '   ' } });
    expect(blank.body.error.code).toBe('MESSAGE_EMPTY');
    expect((await call(server.url, 'POST', base(), { token: g.outsider.token, body: { text: 'hi' } })).body.error.code).toBe('NOT_A_MEMBER');
    expect(await lastChangeOf(server, g.room.id)).toBe(before);
    expect((await call(server.url, 'GET', base(), { token: g.member.token })).body.announcement).toBeNull();
  });

  it('posting shows it to everyone live: a change and a system message in the timeline', async () => {
    const watcher = await connect(server.url, g.member.token);
    const changes = record(watcher, 'room:change');
    const posted = await call(server.url, 'POST', base(), { token: g.admin.token, body: { text: 'Saturday hike: meet at the north gate, 8:00.' } });
    expect(posted.status).toBe(201);
    expect(posted.body.announcement).toEqual({
      id: expect.any(String),
      roomId: g.room.id,
      text: 'Saturday hike: meet at the north gate, 8:00.',
      author: { id: g.admin.id, displayName: g.admin.displayName },
      createdAt: expect.any(String),
    });
    await waitFor(() => changes.length === 1 && watcher.received.length === 1, 3000, 'announcement change and system message');
    expect(changes[0]).toMatchObject({ kind: 'announcement', payload: { announcement: posted.body.announcement } });
    expect(watcher.received[0]).toMatchObject({
      kind: 'system',
      sender: null,
      data: { event: 'announcement.posted', announcementId: posted.body.announcement.id, actorId: g.admin.id },
    });
    watcher.close();
  });

  it('members confirm reading it; owner and admins see who did and how many have not', async () => {
    const current = await call(server.url, 'GET', base(), { token: g.member.token });
    expect(current.body.readByMe).toBe(false);
    const id = current.body.announcement.id;

    const read = await call(server.url, 'POST', `${base()}/read`, { token: g.member.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ announcementId: id, readAt: expect.any(String) });
    const again = await call(server.url, 'POST', `${base()}/read`, { token: g.member.token });
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await call(server.url, 'GET', base(), { token: g.member.token })).body.readByMe).toBe(true);

    for (const staff of [g.owner, g.admin]) {
      const reads = await call(server.url, 'GET', `${base()}/reads`, { token: staff.token });
      expect(reads.status).toBe(200);
      // The author counts as having read it; owner and `other` have not confirmed.
      expect(reads.body).toEqual({
        announcementId: id,
        readers: [
          { user: { id: g.admin.id, username: g.admin.username, displayName: g.admin.displayName }, readAt: expect.any(String) },
          { user: { id: g.member.id, username: g.member.username, displayName: g.member.displayName }, readAt: read.body.readAt },
        ],
        readCount: 2,
        unreadCount: 2,
      });
    }
    const denied = await call(server.url, 'GET', `${base()}/reads`, { token: g.member.token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
  });

  it('is shown to members who join later, and counts them as not yet read', async () => {
    const newcomer = await signUp(server.url);
    await join(server, newcomer, g.room.id);
    const seen = await call(server.url, 'GET', base(), { token: newcomer.token });
    expect(seen.body).toMatchObject({ announcement: { text: 'Saturday hike: meet at the north gate, 8:00.' }, readByMe: false });
    const reads = await call(server.url, 'GET', `${base()}/reads`, { token: g.owner.token });
    expect(reads.body.unreadCount).toBe(3);
  });

  it('a new announcement replaces the current one, with fresh confirmations', async () => {
    const posted = await call(server.url, 'POST', base(), { token: g.owner.token, body: { text: 'Hike moved to Sunday.' } });
    expect(posted.status).toBe(201);
    const current = await call(server.url, 'GET', base(), { token: g.member.token });
    expect(current.body).toEqual({ announcement: posted.body.announcement, readByMe: false });
    const reads = await call(server.url, 'GET', `${base()}/reads`, { token: g.admin.token });
    expect(reads.body).toMatchObject({ announcementId: posted.body.announcement.id, readCount: 1, readers: [{ user: { id: g.owner.id } }] });
  });
});
