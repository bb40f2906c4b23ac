import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, joinRoom, signUp, uniqueName, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BOT_TEST_ENV, botCall, issueToken, roomWithBot } from './fixtures.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: BOT_TEST_ENV });
});
afterAll(() => server?.close());

describe('bot accounts and scoped tokens', () => {
  it('a bot posts through the normal endpoint; its messages are marked as bot and arrive live', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url, 'Meetup Reminder');
    const token = await issueToken(server.url, owner, botId, ['messages:write', 'messages:read']);
    const live = await connect(server.url, owner.token);

    const clientMsgId = uniqueName('b');
    const sent = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/messages`, token.secret, { text: 'Meetup Saturday 10:00', clientMsgId });
    expect(sent.status).toBe(201);
    expect(sent.body.message.sender).toMatchObject({ id: botId, displayName: 'Meetup Reminder', kind: 'bot' });
    await waitFor(() => live.received.some((m) => m.id === sent.body.message.id), 3000, 'live bot message');
    expect(live.received.find((m) => m.id === sent.body.message.id)!.sender!.kind).toBe('bot');

    // Idempotency keys work for bots as for members.
    const retry = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/messages`, token.secret, { text: 'Meetup Saturday 10:00', clientMsgId });
    expect(retry.status).toBe(200);
    expect(retry.body.message.id).toBe(sent.body.message.id);

    const history = await botCall(server.url, 'GET', `/v1/rooms/${roomId}/messages`, token.secret);
    expect(history.status).toBe(200);
    expect(history.body.messages.at(-1).id).toBe(sent.body.message.id);

    const members = await call(server.url, 'GET', `/v1/rooms/${roomId}/members`, { token: owner.token });
    expect(members.body.members.find((m: any) => m.user.id === botId)).toMatchObject({ role: 'bot', user: { kind: 'bot' } });
    live.close();
  });

  it('a token without messages:write is FORBIDDEN; without announcements:write no announcement', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url);
    const reader = await issueToken(server.url, owner, botId, ['messages:read']);
    const refused = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/messages`, reader.secret, { text: 'hi', clientMsgId: uniqueName() });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { scope: 'messages:write' } });

    const writer = await issueToken(server.url, owner, botId, ['messages:write']);
    expect((await botCall(server.url, 'GET', `/v1/rooms/${roomId}/messages`, writer.secret)).body.error.code).toBe('FORBIDDEN');
    const noAnnounce = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/announcement`, writer.secret, { text: 'Rules' });
    expect(noAnnounce.status).toBe(403);

    const announcer = await issueToken(server.url, owner, botId, ['announcements:write']);
    const posted = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/announcement`, announcer.secret, { text: 'New video is up!' });
    expect(posted.status).toBe(201);
    expect(posted.body.announcement.author.id).toBe(botId);

    // Person-only endpoints refuse bot tokens whatever their scopes.
    expect((await botCall(server.url, 'POST', '/v1/rooms', writer.secret, { name: 'bot room' })).status).toBe(403);
    expect((await botCall(server.url, 'POST', `/v1/bots/${botId}/tokens`, writer.secret, { scopes: ['messages:write'] })).status).toBe(403);
  });

  it('tokens are listed without secrets; a revoked or rotated-away token is refused at once', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url);
    const token = await issueToken(server.url, owner, botId, ['messages:write']);
    const post = (secret: string) => botCall(server.url, 'POST', `/v1/rooms/${roomId}/messages`, secret, { text: 'ping', clientMsgId: uniqueName() });
    expect((await post(token.secret)).status).toBe(201);

    const list = await call(server.url, 'GET', `/v1/bots/${botId}/tokens`, { token: owner.token });
    expect(list.body.tokens).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token.secret);
    expect(list.body.tokens[0]).toMatchObject({ id: token.id, scopes: ['messages:write'], revokedAt: null });
    expect(list.body.tokens[0].lastUsedAt).not.toBeNull();

    const rotated = await call(server.url, 'POST', `/v1/bots/${botId}/tokens/${token.id}/rotate`, { token: owner.token });
    expect(rotated.status).toBe(201);
    expect((await post(token.secret)).status).toBe(401);
    expect((await post(rotated.body.secret)).status).toBe(201);

    expect((await call(server.url, 'DELETE', `/v1/bots/${botId}/tokens/${rotated.body.token.id}`, { token: owner.token })).status).toBe(204);
    const revoked = await post(rotated.body.secret);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('UNAUTHENTICATED');
    expect((await botCall(server.url, 'GET', '/v1/me', 'qzb_not-a-token')).status).toBe(401);
  });

  it('only the bot owner manages it; only staff add bots to a room', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url);
    const stranger = await signUp(server.url);
    expect((await call(server.url, 'POST', `/v1/bots/${botId}/tokens`, { token: stranger.token, body: { scopes: ['messages:write'] } })).body.error.code).toBe('BOT_NOT_FOUND');
    await joinRoom(server.url, stranger, roomId);
    const own = await call(server.url, 'POST', '/v1/bots', { token: stranger.token, body: { name: 'Mine' } });
    const add = await call(server.url, 'POST', `/v1/rooms/${roomId}/bots`, { token: stranger.token, body: { botId: own.body.bot.id } });
    expect(add.status).toBe(403);
    expect((await call(server.url, 'GET', `/v1/rooms/${roomId}/bots`, { token: owner.token })).body.bots.map((b: any) => b.id)).toEqual([botId]);
  });
});
