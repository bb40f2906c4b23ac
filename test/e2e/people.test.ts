/**
 * The people features across two gateway processes (real PostgreSQL and Redis): a suspension
 * through gateway A closes the account's socket on gateway B and B refuses its remembered token
 * before A answers; a block through A keeps the blocked person's messages off the blocker's socket
 * on B; a message request sent through A reaches the recipient on B, and accepting it on B opens
 * the room for the sender's socket on A; a new name through A is what B's socket sends under.
 */
import { describe, expect, it } from 'vitest';
import { call, connect, postMessage, signUp, sleep, uniqueName, waitFor } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';
import { castRoom } from '../helpers/rooms.ts';

const MODERATOR = uniqueName('mod');

describe('people across two gateway processes', () => {
  const gateways = twoGatewaysPerSuite({ SITE_ADMINS: MODERATOR });

  it('a suspension on A ends the session and socket on B at once', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const moderator = await signUp(a, MODERATOR);
    const { room, members } = await castRoom(a, { members: 1 });
    const target = members[0]!;
    // Gateway B remembers the session (fact cache) and holds the user's socket.
    expect((await call(b, 'GET', '/v1/me', { token: target.token })).status).toBe(200);
    const live = await connect(b, target.token);
    let reason = '';
    live.socket.on('disconnect', (r) => (reason = r));
    expect((await live.send({ roomId: room.id, text: 'before', clientMsgId: uniqueName() })).ok).toBe(true);

    const suspended = await call(a, 'POST', `/v1/admin/users/${target.id}/suspend`, { token: moderator.token, body: { reason: 'spam' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body.suspension.until).toBeNull();
    expect((await call(b, 'GET', '/v1/me', { token: target.token })).status).toBe(401);
    expect((await postMessage(b, target, room.id, 'after')).status).toBe(401);
    await waitFor(() => reason !== '', 3000, 'the socket on gateway B to be closed');
    expect(reason).toBe('io server disconnect');
    expect((await call(b, 'POST', '/v1/sessions', { body: { username: target.username, password: 'correct horse battery' } })).body.error.code).toBe('ACCOUNT_SUSPENDED');
  }, 60_000);

  it('a block on A keeps their messages off the blocker’s socket on B, live and in history', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner, admins, members } = await castRoom(a, { admins: 1, members: 1 });
    const [mei, troll] = [members[0]!, admins[0]!];
    const meiOnB = await connect(b, mei.token);
    const ownerOnB = await connect(b, owner.token);
    try {
      expect((await call(a, 'PUT', `/v1/me/blocks/${troll.id}`, { token: mei.token })).status).toBe(204);
      const hidden = await postMessage(a, troll, room.id, 'from the troll');
      const shown = await postMessage(a, owner, room.id, 'from the owner');
      await waitFor(() => meiOnB.received.some((m) => m.id === shown.body.message.id), 5000, 'the owner message on B');
      await waitFor(() => ownerOnB.received.some((m) => m.id === hidden.body.message.id), 5000, 'the troll message reaches others on B');
      await sleep(200);
      expect(meiOnB.received.map((m) => m.id)).not.toContain(hidden.body.message.id);
      expect((await call(b, 'GET', `/v1/rooms/${room.id}/messages`, { token: mei.token })).body.messages.map((m: any) => m.id)).not.toContain(hidden.body.message.id);

      expect((await call(a, 'DELETE', `/v1/me/blocks/${troll.id}`, { token: mei.token })).status).toBe(204);
      const again = await postMessage(a, troll, room.id, 'unblocked');
      await waitFor(() => meiOnB.received.some((m) => m.id === again.body.message.id), 5000, 'delivery again on B');
    } finally {
      meiOnB.close();
      ownerOnB.close();
    }
  }, 60_000);

  it('a message request sent on A reaches B; accepting on B opens the room for the sender on A', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const [mei, lin] = [await signUp(a), await signUp(a)];
    const meiOnA = await connect(a, mei.token);
    const linOnB = await connect(b, lin.token);
    const requests: any[] = [];
    const opened: any[] = [];
    linOnB.socket.on('dm:request', (event: any) => requests.push(event));
    meiOnA.socket.on('dm:opened', (event: any) => opened.push(event));
    try {
      const sent = await call(a, 'POST', '/v1/dms', { token: mei.token, body: { userId: lin.id, text: '你好，想请教冲洗胶片', clientMsgId: uniqueName() } });
      expect(sent.status).toBe(202);
      await waitFor(() => requests.length > 0, 5000, 'the request on B');
      expect(requests[0].request).toMatchObject({ id: sent.body.request.id, text: '你好，想请教冲洗胶片' });

      const accepted = await call(b, 'POST', `/v1/dms/requests/${sent.body.request.id}/accept`, { token: lin.token });
      expect(accepted.status).toBe(200);
      const roomId = accepted.body.room.id;
      await waitFor(() => opened.some((e) => e.room.id === roomId) && meiOnA.received.some((m) => m.roomId === roomId), 5000, 'the room and first message on A');
      const reply = await linOnB.send({ roomId, text: '好呀', clientMsgId: uniqueName() });
      expect(reply.ok).toBe(true);
      await waitFor(() => meiOnA.received.some((m) => m.id === reply.message.id), 5000, 'the reply on A');
    } finally {
      meiOnA.close();
      linOnB.close();
    }
  }, 60_000);

  it('a new name set on A is the name a socket on B sends under', async () => {
    const [a, b] = gateways().map((g) => g.url) as [string, string];
    const { room, owner } = await castRoom(a);
    const onB = await connect(b, owner.token);
    try {
      expect((await onB.send({ roomId: room.id, text: 'old name', clientMsgId: uniqueName() })).message.sender.displayName).toBe(owner.displayName);
      expect((await call(a, 'PATCH', '/v1/me', { token: owner.token, body: { displayName: '新名字' } })).status).toBe(200);
      expect((await onB.send({ roomId: room.id, text: 'new name', clientMsgId: uniqueName() })).message.sender.displayName).toBe('新名字');
      expect((await postMessage(b, owner, room.id, 'over http')).body.message.sender.displayName).toBe('新名字');
    } finally {
      onB.close();
    }
  }, 60_000);
});
