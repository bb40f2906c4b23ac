/**
 * Photo check-ins across two gateway processes on one PostgreSQL and Redis: a check-in with a
 * photo on one gateway reaches a member on the other as the member's message and as the feed's
 * change; one member racing check-ins with different photos through both gateways checks in
 * once, with one message, and the other photos stay unsent. Always the real servers.
 */
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../server/domain/challenge-periods.ts';
import { png, upload } from '../helpers/attachments.ts';
import { call, connect, waitFor } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';
import { castRoom } from '../helpers/rooms.ts';

const ZONE = 'Asia/Shanghai';

describe('photo check-ins across two gateways', () => {
  const gateways = twoGatewaysPerSuite();

  it('live on the other gateway; racing check-ins through both count once, with one message', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, members } = await castRoom(a, { members: 2 });
    const [mei, lin] = members as [(typeof members)[0], (typeof members)[0]];
    // New members' photos wait for review (probation); these may post them at once.
    expect((await call(a, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: 0 } })).status).toBe(200);
    const today = localDate(new Date(), ZONE);
    const challenge = (await call(a, 'POST', `/v1/rooms/${room.id}/challenges`, { token: owner.token, body: { title: 'Daily walk', cadence: 'daily', startsOn: today, endsOn: addDays(today, 9), timezone: ZONE } })).body
      .challenge;

    const watcher = await connect(b, owner.token);
    const changes: any[] = [];
    watcher.socket.on('room:change', (c: any) => c.kind === 'challenge' && changes.push(c));
    try {
      const photo = await upload(a, mei, room.id, png(`walk-${room.id}`), 'walk.png');
      const reply = await call(a, 'POST', `/v1/challenges/${challenge.id}/checkins`, { token: mei.token, body: { text: 'By the lake', attachments: [photo.id] } });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const { message } = reply.body.checkin;
      await waitFor(() => watcher.received.some((m) => m.id === message.id), 10_000, 'the check-in message on the other gateway');
      expect(watcher.received.find((m) => m.id === message.id)).toMatchObject({ seq: message.seq, sender: { id: mei.id }, data: { event: 'checkin', challengeId: challenge.id }, attachments: [{ id: photo.id }] });
      await waitFor(() => changes.length === 1, 10_000, 'the change on the other gateway');
      expect(changes[0].payload.checkin).toMatchObject({ user: { id: mei.id }, attachments: [{ id: photo.id }], message });

      // Lin races six check-ins, each with its own photo, through both gateways.
      const photos = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(i % 2 ? b : a, lin, room.id, png(`race-${i}-${room.id}`), `race-${i}.png`)));
      const racing = await Promise.all(photos.map((p, i) => call(i % 2 ? b : a, 'POST', `/v1/challenges/${challenge.id}/checkins`, { token: lin.token, body: { attachments: [p.id] } })));
      expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
      expect(racing.filter((r) => r.status !== 200).map((r) => r.body.error.code)).toEqual(Array(5).fill('ALREADY_CHECKED_IN'));
      const winner = racing.find((r) => r.status === 200)!.body.checkin;
      const history = (await call(b, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token })).body.messages;
      const linsNotes = history.filter((m: any) => m.sender?.id === lin.id && m.data?.event === 'checkin');
      expect(linsNotes.map((m: any) => m.id)).toEqual([winner.message.id]);
      // The others are still unsent: each can go with a message.
      const others = photos.filter((p) => p.id !== winner.attachments[0].id);
      const sent = await call(b, 'POST', `/v1/rooms/${room.id}/messages`, { token: lin.token, body: { text: '', clientMsgId: `rest-${room.id}`, attachments: others.map((p) => p.id) } });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      const list = (await call(b, 'GET', `/v1/challenges/${challenge.id}/checkins?photos=true`, { token: owner.token })).body.checkins;
      expect(list.map((c: any) => c.user.id)).toEqual([lin.id, mei.id]);
    } finally {
      watcher.close();
    }
  }, 120_000);
});
