/**
 * 接龙 sign-up lists through HTTP and Socket.IO: the card in the timeline, lines numbered 1..n in
 * append order (renumbered when one is taken out), the change feed that `sync` replays, the
 * capacity under a burst of appends, and every bad input refused with a code and nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, signUp, waitFor } from '../helpers/clients.ts';
import { castRoom, type Cast } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const SPAM = '加V xiutu888 日入三百';
const LINK = '我 +1 详情 https://our-club.cn/events';

const signupOf = async (url: string, token: string, id: string) => (await call(url, 'GET', `/v1/signups/${id}`, { token })).body.signup;
const append = (url: string, token: string, id: string, text?: string) => call(url, 'POST', `/v1/signups/${id}/entries`, { token, body: text === undefined ? {} : { text } });

/** A room whose members are past probation, so links in lines are judged as any member's. */
async function settledRoom(members: number): Promise<Cast> {
  const cast = await castRoom(server.url, { admins: 1, members });
  expect((await call(server.url, 'PUT', `/v1/rooms/${cast.room.id}/safety`, { token: cast.owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
  return cast;
}

describe('接龙 sign-up lists', () => {
  it('a card in the timeline, lines 1..n live on the change feed, renumbered after a removal, history current', async () => {
    const { room, owner, members } = await settledRoom(3);
    const [mei, lin, kai] = members as [Cast['owner'], Cast['owner'], Cast['owner']];
    const watcher = await connect(server.url, kai.token);
    const changes: any[] = [];
    watcher.socket.on('room:change', (c: any) => changes.push(c));
    try {
      const created = await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: mei.token, body: { title: 'Saturday hike 周六爬山', capacity: 10, template: 'name + how many' } });
      expect(created.status).toBe(201);
      const signup = created.body.signup;
      expect(signup).toMatchObject({ roomId: room.id, title: 'Saturday hike 周六爬山', capacity: 10, template: 'name + how many', closed: false, entries: [], createdBy: { id: mei.id } });
      await waitFor(() => watcher.received.some((m) => m.id === signup.messageId), 5000, 'the card');
      const card = watcher.received.find((m) => m.id === signup.messageId)!;
      expect(card).toMatchObject({ kind: 'signup', sender: { id: mei.id }, data: { event: 'signup', signup: { id: signup.id, entries: [] } } });

      const first = await append(server.url, mei.token, signup.id, 'Mei +1');
      expect(first.status).toBe(200);
      expect(first.body.entry).toMatchObject({ position: 1, user: { id: mei.id, displayName: mei.displayName }, text: 'Mei +1' });
      expect((await append(server.url, lin.token, signup.id)).body.entry).toMatchObject({ position: 2, text: '' });
      expect((await append(server.url, owner.token, signup.id, 'Owner, bringing snacks')).body.entry.position).toBe(3);
      await waitFor(() => changes.length >= 3, 5000, 'three changes');
      expect(changes.map((c) => [c.kind, c.payload.op, c.payload.signup.entries.length])).toEqual([
        ['signup', 'added', 1],
        ['signup', 'added', 2],
        ['signup', 'added', 3],
      ]);

      // One line per member.
      const again = await append(server.url, mei.token, signup.id, 'Mei again');
      expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_SIGNED_UP']);

      const edited = await call(server.url, 'PATCH', `/v1/signups/${signup.id}/entries/mine`, { token: lin.token, body: { text: 'Lin +2' } });
      expect(edited.body.entry).toMatchObject({ position: 2, text: 'Lin +2' });
      // Mei leaves the list: the lines after hers move up.
      const removed = await call(server.url, 'DELETE', `/v1/signups/${signup.id}/entries/mine`, { token: mei.token });
      expect(removed.status).toBe(200);
      expect(removed.body.signup.entries.map((e: any) => [e.position, e.user.id, e.text])).toEqual([
        [1, lin.id, 'Lin +2'],
        [2, owner.id, 'Owner, bringing snacks'],
      ]);
      expect((await call(server.url, 'DELETE', `/v1/signups/${signup.id}/entries/mine`, { token: mei.token })).body.error.code).toBe('ENTRY_NOT_FOUND');
      // Back at the end.
      expect((await append(server.url, mei.token, signup.id, 'Mei back')).body.entry.position).toBe(3);

      // History shows the card as the list is now.
      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: kai.token });
      const stored = history.body.messages.find((m: any) => m.id === signup.messageId);
      expect(stored.data.signup.entries.map((e: any) => e.user.id)).toEqual([lin.id, owner.id, mei.id]);

      // A member may not close someone else's list; its author may.
      expect((await call(server.url, 'POST', `/v1/signups/${signup.id}/close`, { token: kai.token })).body.error.code).toBe('FORBIDDEN');
      const closed = await call(server.url, 'POST', `/v1/signups/${signup.id}/close`, { token: mei.token });
      expect(closed.body.signup).toMatchObject({ closed: true, closedAt: expect.any(String) });
      const late = await append(server.url, kai.token, signup.id, 'Kai');
      expect([late.status, late.body.error.code]).toEqual([409, 'SIGNUP_CLOSED']);
      expect((await call(server.url, 'PATCH', `/v1/signups/${signup.id}/entries/mine`, { token: lin.token, body: { text: 'changed' } })).body.error.code).toBe('SIGNUP_CLOSED');
      expect((await call(server.url, 'POST', `/v1/signups/${signup.id}/close`, { token: owner.token })).body.error.code).toBe('SIGNUP_CLOSED');
      expect((await signupOf(server.url, kai.token, signup.id)).entries).toHaveLength(3);
    } finally {
      watcher.close();
    }
  });

  it('sync replays the changes a client missed', async () => {
    const { room, owner, members } = await settledRoom(2);
    const [mei, lin] = members as [Cast['owner'], Cast['owner']];
    const signup = (await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Dumplings night' } })).body.signup;
    const away = await connect(server.url, lin.token);
    const first = await away.emitAck('sync', { cursors: { [room.id]: { seq: 0, change: 0 } } });
    const cursor = { seq: first.rooms[room.id].messages.at(-1).seq, change: first.rooms[room.id].lastChange };
    away.close();

    await append(server.url, mei.token, signup.id, 'Mei');
    await append(server.url, owner.token, signup.id, 'Owner');
    await call(server.url, 'POST', `/v1/signups/${signup.id}/close`, { token: owner.token });

    const back = await connect(server.url, lin.token);
    try {
      const ack = await back.emitAck('sync', { cursors: { [room.id]: cursor } });
      const changes = ack.rooms[room.id].changes;
      expect(changes.map((c: any) => [c.kind, c.payload.op])).toEqual([
        ['signup', 'added'],
        ['signup', 'added'],
        ['signup', 'closed'],
      ]);
      expect(changes.at(-1).payload.signup).toMatchObject({ id: signup.id, closed: true, entries: [{ position: 1, text: 'Mei' }, { position: 2, text: 'Owner' }] });
    } finally {
      back.close();
    }
  });

  it('a burst of appends never exceeds the capacity, loses no line and doubles none', async () => {
    const { room, owner, members } = await settledRoom(30);
    const signup = (await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Bus seats', capacity: 20 } })).body.signup;
    const replies = await Promise.all(members.map((m, i) => append(server.url, m.token, signup.id, `seat ${i}`)));
    const ok = replies.filter((r) => r.status === 200);
    expect(ok).toHaveLength(20);
    expect(replies.filter((r) => r.status !== 200).map((r) => r.body.error.code)).toEqual(Array(10).fill('SIGNUP_FULL'));
    const list = await signupOf(server.url, owner.token, signup.id);
    expect(list.entries.map((e: any) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(list.entries.map((e: any) => e.user.id)).size).toBe(20);
    expect(new Set(ok.map((r) => r.body.entry.position)).size).toBe(20);
  }, 60_000);

  it('safety: a spam title is refused, a line with a scam contact is refused, a newcomer link is held for staff', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 1 });
    // A member's title (staff are judged by block-level findings only).
    const spamTitle = await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: members[0]!.token, body: { title: SPAM } });
    expect([spamTitle.status, spamTitle.body]).toEqual([422, { error: expect.objectContaining({ code: 'BLOCKED_BY_SAFETY', details: expect.objectContaining({ field: 'body.title' }) }) }]);
    const signup = (await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Photo walk' } })).body.signup;

    const staff = await connect(server.url, admins[0]!.token);
    const notices: any[] = [];
    staff.socket.on('review:new', (n: any) => notices.push(n));
    try {
      const spamLine = await append(server.url, members[0]!.token, signup.id, SPAM);
      expect([spamLine.status, spamLine.body.error.code]).toEqual([422, 'BLOCKED_BY_SAFETY']);
      // A member still on probation (just joined) posting a link: held like a message would be.
      const held = await append(server.url, members[0]!.token, signup.id, LINK);
      expect([held.status, held.body.error.code, held.body.error.details.signupId]).toEqual([202, 'HELD_FOR_REVIEW', signup.id]);
      await waitFor(() => notices.length > 0, 5000, 'the staff notice');
      expect(notices[0]).toMatchObject({ roomId: room.id, kind: 'signupEntry', signupId: signup.id, userId: members[0]!.id });
      expect((await signupOf(server.url, owner.token, signup.id)).entries).toEqual([]);
      // The held line is theirs: a second one is refused; taking it back lets them add a plain one.
      expect((await append(server.url, members[0]!.token, signup.id, 'me')).body.error.code).toBe('ALREADY_SIGNED_UP');
      expect((await call(server.url, 'DELETE', `/v1/signups/${signup.id}/entries/mine`, { token: members[0]!.token })).status).toBe(200);
      expect((await append(server.url, members[0]!.token, signup.id, 'me, no link')).body.entry.position).toBe(1);

      // Staff review a held line: a member cannot; approved, it is listed at the end and its writer told.
      const newcomer = await signUp(server.url);
      await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: newcomer.token });
      const writer = await connect(server.url, newcomer.token);
      const decided: any[] = [];
      writer.socket.on('review:decided', (n: any) => decided.push(n));
      try {
        expect((await append(server.url, newcomer.token, signup.id, LINK)).status).toBe(202);
        // The staff can read what waits (a member cannot), with the reasons.
        const waiting = `/v1/signups/${signup.id}/held`;
        expect((await call(server.url, 'GET', waiting, { token: members[0]!.token })).body.error.code).toBe('FORBIDDEN');
        const list = (await call(server.url, 'GET', waiting, { token: admins[0]!.token })).body.held;
        expect(list.map((h: any) => [h.user.id, h.text])).toEqual([[newcomer.id, LINK]]);
        expect(list[0].reasons.map((r: any) => r.code)).toContain('PROBATION_LINK');
        const approve = `/v1/signups/${signup.id}/held/${newcomer.id}/approve`;
        expect((await call(server.url, 'POST', approve, { token: members[0]!.token })).body.error.code).toBe('FORBIDDEN');
        const approved = await call(server.url, 'POST', approve, { token: admins[0]!.token });
        expect(approved.body.signup.entries.map((e: any) => [e.position, e.user.id, e.text])).toEqual([
          [1, members[0]!.id, 'me, no link'],
          [2, newcomer.id, LINK],
        ]);
        await waitFor(() => decided.length > 0, 5000, 'the decision notice');
        expect(decided[0]).toMatchObject({ kind: 'signupEntry', signupId: signup.id, userId: newcomer.id, status: 'approved', position: 2 });
        expect((await call(server.url, 'POST', approve, { token: admins[0]!.token })).body.error.code).toBe('ENTRY_NOT_FOUND');
        expect((await call(server.url, 'GET', waiting, { token: admins[0]!.token })).body.held).toEqual([]);
      } finally {
        writer.close();
      }
      const audit = await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token });
      expect(audit.body.entries.some((e: any) => e.action === 'safety.hold' && e.targetUserId === members[0]!.id && e.details.signupId === signup.id)).toBe(true);
    } finally {
      staff.close();
    }
  });

  it('bad input: coded errors, nothing changed', async () => {
    const { room, owner, members } = await settledRoom(1);
    const outsider = await signUp(server.url);
    const other = await castRoom(server.url, { members: 0 });
    const create = (token: string, body: unknown, roomId = room.id) => call(server.url, 'POST', `/v1/rooms/${roomId}/signups`, { token, body });
    expect((await create(owner.token, { title: 'x', capacity: 0 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(owner.token, { title: '' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(owner.token, { title: '   ' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(owner.token, { title: 'x', closesAt: new Date(Date.now() - 60_000).toISOString() })).body.error.code).toBe('TIME_IN_PAST');
    expect((await create(owner.token, { title: 'x', surprise: true })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(outsider.token, { title: 'x' })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await create(owner.token, { title: 'x' }, '00000000-0000-4000-8000-000000000000')).body.error.code).toBe('ROOM_NOT_FOUND');

    const signup = (await create(owner.token, { title: 'Full soon', capacity: 1 })).body.signup;
    expect((await append(server.url, outsider.token, signup.id, 'me')).body.error.code).toBe('NOT_A_MEMBER');
    // Another room's owner cannot act on this room's list either.
    expect((await call(server.url, 'POST', `/v1/signups/${signup.id}/close`, { token: other.owner.token })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await append(server.url, owner.token, '00000000-0000-4000-8000-000000000000', 'me')).body.error.code).toBe('SIGNUP_NOT_FOUND');
    expect((await append(server.url, owner.token, signup.id, 'x'.repeat(201))).body.error.code).toBe('VALIDATION_FAILED');
    expect((await append(server.url, owner.token, signup.id, 'owner')).status).toBe(200);
    const full = await append(server.url, members[0]!.token, signup.id, 'me');
    expect([full.status, full.body.error.code, full.body.error.details.capacity]).toEqual([409, 'SIGNUP_FULL', 1]);
    expect((await call(server.url, 'PATCH', `/v1/signups/${signup.id}/entries/mine`, { token: members[0]!.token, body: { text: 'x' } })).body.error.code).toBe('ENTRY_NOT_FOUND');
    const muted = await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${members[0]!.id}/mute`, { token: owner.token, body: { durationSeconds: 600 } });
    expect(muted.status).toBe(200);
    const list = (await create(owner.token, { title: 'Open list' })).body.signup;
    expect((await append(server.url, members[0]!.token, list.id, 'me')).body.error.code).toBe('MUTED');
    expect((await signupOf(server.url, owner.token, signup.id)).entries.map((e: any) => e.user.id)).toEqual([owner.id]);
    expect((await signupOf(server.url, owner.token, list.id)).entries).toEqual([]);
  });
});
