/**
 * Photo check-ins (打卡 with attachments): the photos follow a message's rules (own upload, this
 * room, ready, unsent, at most nine), travel as a message of the member's in the timeline and on
 * the change feed, show on the period's check-in list (keyset-paged) and in the album, go with a
 * recall, and are never swept as unsent. Bad input is refused with a code and changes nothing.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, roomMembers } from '../../drizzle/schema.ts';
import { addDays, localDate } from '../../server/domain/challenge-periods.ts';
import { sweepMedia } from '../../server/domain/media-lifecycle.ts';
import { isAttachmentClaimFailure } from '../../server/store/message-writer.ts';
import { insertMessageIn } from '../../server/store/messages.ts';
import { png, sendAttachments, upload } from '../helpers/attachments.ts';
import { call, connect, createRoom, signUp, waitFor, type TestUser } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const ZONE = 'Asia/Shanghai';
const today = () => localDate(new Date(), ZONE);
const SPAM = '加V xiutu888 日入三百';

/** Past probation: a newcomer's photos are held for review (PROBATION_IMAGE). */
async function establish(roomId: string, ...users: TestUser[]): Promise<void> {
  for (const user of users) {
    await server.app.deps.db
      .update(roomMembers)
      .set({ joinedAt: sql`now() - interval '30 days'` })
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, user.id)));
  }
  await server.app.deps.live.forgetSpeakers(roomId, null);
}

async function startChallenge(roomId: string, token: string, cadence: 'daily' | 'weekly' = 'daily'): Promise<any> {
  const reply = await call(server.url, 'POST', `/v1/rooms/${roomId}/challenges`, {
    token,
    body: { title: 'Morning light 晨光', cadence, startsOn: today(), endsOn: addDays(today(), 20), timezone: ZONE },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.challenge;
}

const checkIn = (token: string, challengeId: string, body: Record<string, unknown>) => call(server.url, 'POST', `/v1/challenges/${challengeId}/checkins`, { token, body });
const list = (token: string, challengeId: string, query = '') => call(server.url, 'GET', `/v1/challenges/${challengeId}/checkins${query}`, { token });
const rowOf = async (id: string) => (await server.app.deps.db.select().from(attachments).where(eq(attachments.id, id)))[0]!;

describe('photo check-ins', () => {
  it('the photos travel as the member’s message, live and on the feed, on the list and in the album; a recall takes them; sweeps keep them', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const mei = members[0]!;
    await establish(room.id, mei);
    const challenge = await startChallenge(room.id, owner.token);
    const photos = [await upload(server.url, mei, room.id, png('dawn-1'), 'dawn-1.png'), await upload(server.url, mei, room.id, png('dawn-2'), 'dawn-2.png')];
    expect(photos.map((p) => p.status)).toEqual(['ready', 'ready']);

    const watcher = await connect(server.url, owner.token);
    const changes: any[] = [];
    watcher.socket.on('room:change', (c: any) => c.kind === 'challenge' && changes.push(c));
    try {
      const reply = await checkIn(mei.token, challenge.id, { text: 'Sunrise over the river', attachments: photos.map((p) => p.id) });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const { checkin } = reply.body;
      expect(checkin).toMatchObject({ period: today(), text: 'Sunrise over the river', user: { id: mei.id }, message: { id: expect.any(String), seq: expect.any(Number) } });
      expect(checkin.attachments.map((a: any) => a.id)).toEqual(photos.map((p) => p.id));
      expect(reply.body).toMatchObject({ streak: 1, challenge: { checkins: 1, participants: 1 } });

      // Live: the member's message with the photos and its note, and the feed entry with the check-in.
      await waitFor(() => watcher.received.some((m) => m.id === checkin.message.id), 5000, 'the check-in message');
      const message = watcher.received.find((m) => m.id === checkin.message.id)!;
      expect(message).toMatchObject({
        kind: 'text',
        seq: checkin.message.seq,
        sender: { id: mei.id },
        text: 'Sunrise over the river',
        data: { event: 'checkin', challengeId: challenge.id, challengeMessageId: challenge.messageId, period: today(), streak: 1 },
      });
      expect(message.attachments.map((a) => a.id)).toEqual(photos.map((p) => p.id));
      await waitFor(() => changes.length === 1, 5000, 'the check-in change');
      expect(changes[0].payload).toMatchObject({ op: 'checkedIn', userId: mei.id, checkin: { message: checkin.message, attachments: [{ id: photos[0].id }, { id: photos[1].id }] } });

      // History (what sync reads) has it too; the photos are claimed by that message.
      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
      expect(history.body.messages.find((m: any) => m.id === checkin.message.id).attachments).toHaveLength(2);
      expect((await rowOf(photos[0].id)).seq).toBe(checkin.message.seq);

      // The period's list, and the photos-only view.
      const all = await list(owner.token, challenge.id);
      expect(all.body).toMatchObject({ period: today(), nextBefore: null });
      expect(all.body.checkins).toEqual([checkin]);
      expect((await list(owner.token, challenge.id, '?photos=true')).body.checkins.map((c: any) => c.user.id)).toEqual([mei.id]);

      // The album shows them as Mei's.
      const album = await call(server.url, 'GET', `/v1/rooms/${room.id}/album`, { token: owner.token });
      expect(album.body.items.map((i: any) => [i.attachment.id, i.message.seq, i.message.sender.id])).toEqual(
        photos.map((p) => [p.id, checkin.message.seq, mei.id]).sort((a, b) => String(b[0]).localeCompare(String(a[0]))),
      );

      // Mei edits the words in the timeline: the list shows them as edited.
      const edit = await call(server.url, 'PATCH', `/v1/rooms/${room.id}/messages/${checkin.message.seq}`, { token: mei.token, body: { text: 'Sunrise over the river, again' } });
      expect(edit.status, JSON.stringify(edit.body)).toBe(200);
      expect((await list(owner.token, challenge.id)).body.checkins[0].text).toBe('Sunrise over the river, again');

      // A day later the unsent-upload sweep leaves them: they are sent.
      await server.app.deps.db.execute(sql`update attachments set created_at = now() - interval '3 days' where room_id = ${room.id}::uuid`);
      await sweepMedia(server.app.deps);
      expect((await rowOf(photos[0].id)).removedAt).toBeNull();
      const bytes = await fetch(`${server.url}/v1/attachments/${photos[0].id}/thumb`, { headers: { authorization: `Bearer ${owner.token}` } });
      expect(bytes.status).toBe(200);

      // Mei recalls the message: the photos leave the album and the list; the check-in still counts.
      const recall = await call(server.url, 'POST', `/v1/rooms/${room.id}/messages/${checkin.message.seq}/recall`, { token: mei.token, body: {} });
      expect(recall.status, JSON.stringify(recall.body)).toBe(200);
      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/album`, { token: owner.token })).body.items).toEqual([]);
      const after = (await list(owner.token, challenge.id)).body.checkins;
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ attachments: [], text: '' });
      expect((await list(owner.token, challenge.id, '?photos=true')).body.checkins).toEqual([]);
      expect((await rowOf(photos[0].id)).recalledAt).not.toBeNull();
      const board = (await call(server.url, 'GET', `/v1/challenges/${challenge.id}/leaderboard`, { token: owner.token })).body;
      expect(board.leaders.map((l: any) => [l.user.id, l.checkins])).toEqual([[mei.id, 1]]);
    } finally {
      watcher.close();
    }
  });

  it('bad photos: coded errors, and nothing is checked in nor claimed', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [mei, newcomer] = members as [TestUser, TestUser];
    await establish(room.id, mei);
    const challenge = await startChallenge(room.id, owner.token);
    const other = await createRoom(server.url, mei);
    const elsewhere = await upload(server.url, mei, other.id, png('elsewhere'), 'elsewhere.png');
    const mine = await upload(server.url, mei, room.id, png('mine'), 'mine.png');
    const owners = await upload(server.url, owner, room.id, png('owners'), 'owners.png');
    const sent = await upload(server.url, mei, room.id, png('sent'), 'sent.png');
    await sendAttachments(server.url, mei, room.id, [sent.id]);
    const held = await upload(server.url, newcomer, room.id, png('held'), 'held.png');
    expect(held.status).toBe('held');

    const cases: Array<[string, TestUser, Record<string, unknown>, number, string]> = [
      ['an unknown id', mei, { attachments: ['00000000-0000-4000-8000-000000000000'] }, 404, 'ATTACHMENT_NOT_FOUND'],
      ["someone else's upload", mei, { attachments: [owners.id] }, 404, 'ATTACHMENT_NOT_FOUND'],
      ["another room's upload", mei, { attachments: [elsewhere.id] }, 404, 'ATTACHMENT_NOT_FOUND'],
      ['an upload already sent', mei, { attachments: [mine.id, sent.id] }, 409, 'ATTACHMENT_ALREADY_SENT'],
      ['an upload held for review', newcomer, { attachments: [held.id] }, 409, 'ATTACHMENT_NOT_READY'],
      ['ten photos', mei, { attachments: Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`) }, 400, 'VALIDATION_FAILED'],
      ['the same photo twice', mei, { attachments: [mine.id, mine.id] }, 400, 'VALIDATION_FAILED'],
      ['not an id', mei, { attachments: ['x'] }, 400, 'VALIDATION_FAILED'],
      ['an empty list', mei, { attachments: [] }, 400, 'VALIDATION_FAILED'],
      ['spam words with a photo', mei, { text: SPAM, attachments: [mine.id] }, 422, 'BLOCKED_BY_SAFETY'],
    ];
    for (const [what, user, body, status, code] of cases) {
      const reply = await checkIn(user.token, challenge.id, body);
      expect([what, reply.status, reply.body.error?.code]).toEqual([what, status, code]);
    }
    expect((await call(server.url, 'GET', `/v1/challenges/${challenge.id}/leaderboard`, { token: owner.token })).body.leaders).toEqual([]);
    expect((await list(owner.token, challenge.id)).body.checkins).toEqual([]);
    expect([(await rowOf(mine.id)).seq, (await rowOf(held.id)).seq, (await rowOf(owners.id)).seq]).toEqual([null, null, null]);

    // Checked in once: a second time is refused as such, and its photo stays unsent for a message.
    expect((await checkIn(mei.token, challenge.id, { text: 'plain' })).status).toBe(200);
    const again = await checkIn(mei.token, challenge.id, { attachments: [mine.id] });
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_CHECKED_IN']);
    expect((await rowOf(mine.id)).seq).toBeNull();
    expect((await sendAttachments(server.url, mei, room.id, [mine.id])).message.attachments).toHaveLength(1);

    // The list's own bad input.
    expect((await list(owner.token, challenge.id, '?before=yesterday')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await list(owner.token, challenge.id, '?period=2026-02-30')).body.error.code).toBe('VALIDATION_FAILED');
    const outsider = await signUp(server.url);
    expect((await list(outsider.token, challenge.id)).body.error.code).toBe('NOT_A_MEMBER');
    expect((await list(owner.token, '00000000-0000-4000-8000-000000000000')).body.error.code).toBe('CHALLENGE_NOT_FOUND');
    const weekly = await startChallenge(room.id, owner.token, 'weekly');
    const notMonday = [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(today(), n)).find((d) => new Date(`${d}T12:00:00Z`).getUTCDay() !== 1)!;
    expect((await list(owner.token, weekly.id, `?period=${notMonday}`)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a check-in and a message racing for one photo: exactly one carries it', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const mei = members[0]!;
    await establish(room.id, mei);
    const challenge = await startChallenge(room.id, owner.token);
    for (let round = 0; round < 3; round++) {
      const photo = await upload(server.url, mei, room.id, png(`race-${round}-${room.id}`), 'race.png');
      const challengeId = round === 0 ? challenge.id : (await startChallenge(room.id, owner.token)).id;
      const [viaCheckin, viaMessage] = await Promise.all([
        checkIn(mei.token, challengeId, { attachments: [photo.id] }),
        call(server.url, 'POST', `/v1/rooms/${room.id}/messages`, { token: mei.token, body: { text: '', clientMsgId: `race-${round}`, attachments: [photo.id] } }),
      ]);
      const won = [viaCheckin.status === 200, viaMessage.status === 201];
      expect(won.filter(Boolean), JSON.stringify([viaCheckin.body, viaMessage.body])).toHaveLength(1);
      const loser = won[0] ? viaMessage : viaCheckin;
      expect(loser.body.error.code).toBe('ATTACHMENT_ALREADY_SENT');
      const checkins = (await list(owner.token, challengeId)).body.checkins;
      expect(checkins).toHaveLength(won[0] ? 1 : 0);
      const seq = (await rowOf(photo.id)).seq;
      expect(seq).toBe(won[0] ? viaCheckin.body.checkin.message.seq : viaMessage.body.message.seq);
    }
  });

  it('the list pages newest first with before; photos=true leaves out check-ins without photos', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 3 });
    await establish(room.id, ...members);
    const challenge = await startChallenge(room.id, owner.token);
    for (const [i, member] of members.entries()) {
      const body = i === 1 ? { text: 'no photo today' } : { attachments: [(await upload(server.url, member, room.id, png(`page-${i}-${room.id}`), 'p.png')).id] };
      expect((await checkIn(member.token, challenge.id, body)).status).toBe(200);
    }
    const first = (await list(owner.token, challenge.id, '?limit=2')).body;
    expect(first.checkins.map((c: any) => c.user.id)).toEqual([members[2]!.id, members[1]!.id]);
    expect(first.nextBefore).toEqual(expect.any(String));
    const second = (await list(owner.token, challenge.id, `?limit=2&before=${encodeURIComponent(first.nextBefore)}`)).body;
    expect([second.checkins.map((c: any) => c.user.id), second.nextBefore]).toEqual([[members[0]!.id], null]);
    const photos = (await list(owner.token, challenge.id, '?photos=true')).body.checkins;
    expect(photos.map((c: any) => [c.user.id, c.attachments.length])).toEqual([
      [members[2]!.id, 1],
      [members[0]!.id, 1],
    ]);
  });

  it('inside a transaction, the statement that stores the photos’ message refuses an upload another message took, and nothing is kept', async () => {
    const { room, members } = await castRoom(server.url, { members: 1 });
    const mei = members[0]!;
    await establish(room.id, mei);
    const photo = await upload(server.url, mei, room.id, png(`claimed-${room.id}`), 'claimed.png');
    const { seq } = await sendAttachments(server.url, mei, room.id, [photo.id]);
    const id = '11111111-2222-4333-8444-555555555555';
    const failure = await server.app.deps.db
      .transaction((tx) =>
        insertMessageIn(tx, { id, roomId: room.id, sender: { id: mei.id, displayName: mei.displayName, kind: 'user' }, clientMsgId: null, kind: 'text', text: '', replyTo: null, attachments: [photo], createdAt: new Date() }),
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isAttachmentClaimFailure(failure)).toBe(true);
    const history = (await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: mei.token })).body.messages;
    expect(history.map((m: any) => m.id)).not.toContain(id);
    expect((await rowOf(photo.id)).seq).toBe(seq);
  });
});
