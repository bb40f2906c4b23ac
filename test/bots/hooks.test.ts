import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, joinRoom, signUp, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BOT_TEST_ENV, changelogText, roomWithBot } from './fixtures.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: BOT_TEST_ENV });
});
afterAll(() => server?.close());

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

describe('incoming webhooks', () => {
  it('the right secret posts as the hook’s bot, live; a Slack payload becomes text', async () => {
    const { owner, roomId } = await roomWithBot(server.url);
    const created = await call(server.url, 'POST', `/v1/rooms/${roomId}/hooks`, { token: owner.token, body: { name: 'New videos' } });
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(/^\/v1\/hooks\/[0-9a-f-]{36}\/\S+$/);
    const live = await connect(server.url, owner.token);

    const sent = await post(created.body.url, { text: 'A new video is up: Ridge walk' });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ text: 'A new video is up: Ridge walk', sender: { id: created.body.hook.botId, displayName: 'New videos', kind: 'bot' } });
    await waitFor(() => live.received.some((m) => m.id === sent.body.message.id), 3000, 'live hook message');

    const slack = await post(created.body.url, {
      username: 'CI',
      icon_emoji: ':robot:',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Build passed' } }, { type: 'section', text: { type: 'mrkdwn', text: 'main @ 1a2b3c' } }],
    });
    expect(slack.status).toBe(201);
    expect(slack.body.message.text).toBe('Build passed\nmain @ 1a2b3c');
    expect(slack.body.message.sender).toMatchObject({ displayName: 'CI', kind: 'bot' });
    live.close();
  });

  it('blocks that flatten past the length limit are clipped with an ellipsis, never inside an emoji', async () => {
    const { owner, roomId } = await roomWithBot(server.url);
    const created = await call(server.url, 'POST', `/v1/rooms/${roomId}/hooks`, { token: owner.token, body: { name: 'Changelog' } });
    // Two sections of 2,000 units joined by a newline: the cut at 3,999 lands between an emoji's halves.
    const first = changelogText(2000);
    const second = `${changelogText(1997)}🎉🎉`;
    const sent = await post(created.body.url, { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: first } }, { type: 'section', text: { type: 'mrkdwn', text: second } }] });
    expect(sent.status, JSON.stringify(sent.body).slice(0, 300)).toBe(201);
    const text: string = sent.body.message.text;
    expect(text).toBe(`${first}\n${second.slice(0, 1997)}…`);
    expect(text.length).toBeLessThanOrEqual(4000);
    const history = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages?limit=1`, { token: owner.token });
    expect(history.body.messages[0].text).toBe(text);
  });

  it('a wrong secret, an unknown hook and a revoked hook are all a bare 404', async () => {
    const { owner, roomId } = await roomWithBot(server.url);
    const created = await call(server.url, 'POST', `/v1/rooms/${roomId}/hooks`, { token: owner.token, body: { name: 'Feed' } });
    const [, , , hookId] = created.body.url.split('/');
    const wrong = await post(`/v1/hooks/${hookId}/not-the-secret`, { text: 'hi' });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('NOT_FOUND');
    expect((await post(`/v1/hooks/00000000-0000-4000-8000-000000000000/whatever`, { text: 'hi' })).body).toEqual(wrong.body);
    expect((await post(`/v1/hooks/nonsense/whatever`, { text: 'hi' })).status).toBe(404);

    const list = await call(server.url, 'GET', `/v1/rooms/${roomId}/hooks`, { token: owner.token });
    expect(list.body.hooks.map((h: any) => h.id)).toEqual([hookId]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.url.split('/')[4]);
    expect((await call(server.url, 'DELETE', `/v1/rooms/${roomId}/hooks/${hookId}`, { token: owner.token })).status).toBe(204);
    expect((await post(created.body.url, { text: 'after revoke' })).status).toBe(404);
  });

  it('only owner and admins create hooks; an empty payload is refused', async () => {
    const { owner, roomId } = await roomWithBot(server.url);
    const member = await signUp(server.url);
    await joinRoom(server.url, member, roomId);
    expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/hooks`, { token: member.token, body: { name: 'Mine' } })).status).toBe(403);
    const created = await call(server.url, 'POST', `/v1/rooms/${roomId}/hooks`, { token: owner.token, body: { name: 'Feed' } });
    expect((await post(created.body.url, { text: '   ' })).body.error.code).toBe('MESSAGE_EMPTY');
  });
});
