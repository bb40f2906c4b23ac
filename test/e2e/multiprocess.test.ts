/**
 * Two gateway processes on one PostgreSQL and one Redis, clients on both, concurrent senders:
 * every member gets every message exactly once, in seq order, and membership changes made on one
 * gateway reach sockets on the other. Always runs against a real PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or the local defaults).
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/schemas.ts';
import { call, connect, createRoom, joinRoom, probeFreshSocket, signUp, sleep, uniqueName, waitFor, type LiveClient, type TestUser } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';

describe('two gateway processes over Redis and PostgreSQL', () => {
  const gateways = twoGatewaysPerSuite();

  it('delivers every message exactly once and in seq order to members on both gateways', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const users: TestUser[] = [];
    for (let i = 0; i < 6; i++) users.push(await signUp(i % 2 ? b : a));
    const rooms = [await createRoom(a, users[0]!, { name: 'Squad A' }), await createRoom(b, users[1]!, { name: 'Squad B' })];
    for (const room of rooms) for (const user of users) if (user.id !== users[0]!.id || room.id !== rooms[0]!.id) {
      if (user.id === users[1]!.id && room.id === rooms[1]!.id) continue;
      await joinRoom(users.indexOf(user) % 2 ? a : b, user, room.id);
    }
    // Senders are admins: the per-member rate limit of the safety rules is not what this tests.
    for (const [room, owner] of [[rooms[0]!, users[0]!], [rooms[1]!, users[1]!]] as const) {
      for (const user of users) {
        if (user.id === owner.id) continue;
        const reply = await call(a, 'PUT', `/v1/rooms/${room.id}/members/${user.id}/role`, { token: owner.token, body: { role: 'admin' } });
        expect(reply.status).toBe(204);
      }
    }
    const base = new Map<string, number>();
    for (const room of rooms) base.set(room.id, (await call(a, 'GET', `/v1/rooms/${room.id}`, { token: users[0]!.token })).body.room.lastSeq);
    const clients: LiveClient[] = await Promise.all(users.map((user, i) => connect(i % 2 ? b : a, user.token)));

    const perSenderPerRoom = 25;
    await Promise.all(
      clients.flatMap((client) =>
        rooms.map(async (room) => {
          for (let i = 0; i < perSenderPerRoom; i += 5) {
            // Five in flight at a time per sender and room: real concurrency across both gateways.
            const batch = Array.from({ length: 5 }, (_, k) => client.send({ roomId: room.id, text: `msg ${i + k}`, clientMsgId: uniqueName() }));
            for (const ack of await Promise.all(batch)) expect(ack.ok).toBe(true);
          }
        }),
      ),
    );

    const total = users.length * perSenderPerRoom;
    for (const room of rooms) {
      const info = await call(a, 'GET', `/v1/rooms/${room.id}`, { token: users[0]!.token });
      expect(info.body.room.lastSeq).toBe(base.get(room.id)! + total);
    }
    await waitFor(() => clients.every((c) => c.received.length === total * rooms.length), 15_000, 'all deliveries');
    await sleep(200);

    for (const room of rooms) {
      const stored: Message[] = [];
      for (let after = 0; ; ) {
        const page = await call(b, 'GET', `/v1/rooms/${room.id}/messages?after=${Math.max(after, base.get(room.id)!)}&limit=100`, { token: users[0]!.token });
        stored.push(...page.body.messages);
        if (!page.body.hasMore) break;
        after = page.body.messages.at(-1).seq;
      }
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => base.get(room.id)! + i + 1));
      for (const client of clients) {
        const got = client.received.filter((m) => m.roomId === room.id);
        expect(got.map((m) => m.seq)).toEqual(stored.map((m) => m.seq)); // exactly once, in order
        expect(got.map((m) => m.id)).toEqual(stored.map((m) => m.id));
      }
    }
    for (const client of clients) client.close();
  }, 60_000);

  it('a join, leave or sign-out on one gateway reaches the sockets and requests on the other', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const newcomer = await signUp(a);
    const room = await createRoom(a, owner, { name: 'Cross-gateway' });
    const ownerLive = await connect(a, owner.token);
    const newcomerLive = await connect(b, newcomer.token);

    await joinRoom(a, newcomer, room.id); // handled by gateway A; the socket lives on B
    const sent = await ownerLive.send({ roomId: room.id, text: 'welcome!', clientMsgId: uniqueName() });
    await waitFor(() => newcomerLive.received.some((m) => m.id === sent.message.id), 5000, 'delivery to the joined socket');

    // Gateway B has now seen the newcomer's token and membership (and may remember both).
    expect((await call(b, 'GET', `/v1/rooms/${room.id}/messages`, { token: newcomer.token })).status).toBe(200);
    await call(a, 'POST', `/v1/rooms/${room.id}/leave`, { token: newcomer.token });
    expect((await call(b, 'GET', `/v1/rooms/${room.id}/messages`, { token: newcomer.token })).body.error.code).toBe('NOT_A_MEMBER');
    const countAtLeave = newcomerLive.received.length;
    await ownerLive.send({ roomId: room.id, text: 'after leaving', clientMsgId: uniqueName() });
    await sleep(300);
    expect(newcomerLive.received).toHaveLength(countAtLeave);

    let reason = '';
    newcomerLive.socket.on('disconnect', (r) => (reason = r));
    expect((await call(a, 'DELETE', '/v1/sessions/current', { token: newcomer.token })).status).toBe(204);
    await waitFor(() => reason !== '', 5000, 'the revoked socket on the other gateway to close');
    expect(reason).toBe('io server disconnect');
    expect((await call(b, 'GET', '/v1/me', { token: newcomer.token })).status).toBe(401);
    ownerLive.close();
  }, 30_000);

  it('a message committed by a gateway that died before publishing it still reaches every member, in order, once', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const member = await signUp(b);
    const room = await createRoom(a, owner, { name: 'Gap across gateways' });
    await joinRoom(b, member, room.id);
    const ownerLive = await connect(a, owner.token);
    const memberLive = await connect(b, member.token);
    const before = (await call(a, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.lastSeq as number;

    // What a gateway leaves behind if it is killed between its commit and its publish: the message
    // is stored under the next seq (through the same statement gateways use) and no event is sent.
    const sql = postgres(gateways()[0].databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      const draft = {
        ord: 1, id: randomUUID(), room_id: room.id, sender_id: owner.id, client_msg_id: uniqueName(), kind: 'text', text: 'committed, never published',
        reply_to: null, mentions: [], mentions_all: false, data: null, flags: null, created_at: new Date().toISOString(),
      };
      const [stored] = await sql.unsafe('select message_seq from append_messages($1::text::jsonb, true)', [JSON.stringify([draft])]);
      expect(Number(stored!.message_seq)).toBe(before + 1);
    } finally {
      await sql.end();
    }

    // The next message is published as usual; both gateways see a hole before it and fill it from the database.
    const next = await ownerLive.send({ roomId: room.id, text: 'published', clientMsgId: uniqueName() });
    expect(next.message.seq).toBe(before + 2);
    for (const live of [memberLive, ownerLive]) {
      await waitFor(() => live.received.some((m) => m.seq === before + 2), 5000, 'the published message');
    }
    await sleep(300);
    for (const live of [memberLive, ownerLive]) {
      const got = live.received.filter((m) => m.roomId === room.id && m.seq > before);
      expect(got.map((m) => [m.seq, m.text])).toEqual([
        [before + 1, 'committed, never published'],
        [before + 2, 'published'],
      ]);
    }
    for (const url of [a, b]) {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(Number(/^quanzi_fanout_gap_fills_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    }
    ownerLive.close();
    memberLive.close();
  }, 30_000);

  it('a socket reconnecting to the other gateway lands in exactly the rooms its user is in after a join or leave there', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const owner = await signUp(a);
    const user = await signUp(a);
    const room = await createRoom(a, owner, { name: 'Reconnect across gateways' });
    const ownerLive = await connect(a, owner.token);
    // A fresh socket on gateway B each time, as after a reconnect.
    const probe = () => probeFreshSocket(b, user.token, ownerLive, room.id);

    expect(await probe()).toEqual({ hears: false, member: false }); // B has now read the user's (empty) list
    await joinRoom(a, user, room.id);
    expect(await probe()).toEqual({ hears: true, member: true });
    await call(a, 'POST', `/v1/rooms/${room.id}/leave`, { token: user.token });
    expect(await probe()).toEqual({ hears: false, member: false });
    ownerLive.close();
  }, 30_000);
});
