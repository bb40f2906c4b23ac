/**
 * Bots and attachments: a bot uploads and posts a photo only with the `attachments:write` scope,
 * and a bot's outgoing webhook describes a member's photo (metadata, never the bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, joinRoom, signUp, uniqueName, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { PNG_1X1 } from '../media/fixtures.ts';
import { BOT_TEST_ENV, botCall, issueToken, roomWithBot, startReceiver, type Receiver } from './fixtures.ts';

let server: TestServer;
let receiver: Receiver | undefined;
beforeAll(async () => {
  server = await startTestServer({ env: BOT_TEST_ENV });
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

async function botUpload(botToken: string, roomId: string, name: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PNG_1X1)]), name);
  const response = await fetch(`${server.url}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bot ${botToken}` }, body: form });
  return { status: response.status, body: await response.json() };
}

describe('bots and attachments', () => {
  it('uploads and sends a photo with attachments:write, and is refused without it', async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url, 'Poster Bot');
    const plain = await issueToken(server.url, owner, botId, ['messages:write']);
    const refused = await botUpload(plain.secret, roomId, 'poster.png');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { scope: 'attachments:write' } });

    const full = await issueToken(server.url, owner, botId, ['messages:write', 'attachments:write']);
    const uploaded = await botUpload(full.secret, roomId, 'poster.png');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.attachment.status).toBe('ready');

    const withoutScope = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/messages`, plain.secret, { text: 'meetup poster', clientMsgId: uniqueName(), attachments: [uploaded.body.attachment.id] });
    expect(withoutScope.status).toBe(403);
    const sent = await botCall(server.url, 'POST', `/v1/rooms/${roomId}/messages`, full.secret, { text: 'meetup poster', clientMsgId: uniqueName(), attachments: [uploaded.body.attachment.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ sender: { id: botId, kind: 'bot' }, attachments: [uploaded.body.attachment] });
  });

  it("a member's photo reaches the bot's webhook as metadata", async () => {
    const { owner, roomId, botId } = await roomWithBot(server.url, 'Album Bot');
    receiver = await startReceiver();
    const set = await call(server.url, 'PUT', `/v1/bots/${botId}/webhook`, { token: owner.token, body: { url: receiver.url, events: ['message'] } });
    expect(set.status).toBe(200);
    const member = await signUp(server.url);
    await joinRoom(server.url, member, roomId);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG_1X1)]), 'trail.png');
    const photo = (await (await fetch(`${server.url}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${member.token}` }, body: form })).json()).attachment;
    const sent = await call(server.url, 'POST', `/v1/rooms/${roomId}/messages`, { token: member.token, body: { text: '', clientMsgId: uniqueName(), attachments: [photo.id] } });
    expect(sent.status).toBe(201);

    await waitFor(() => receiver!.received.some((d) => d.json.event === 'message'), 5000, 'the delivery');
    const delivery = receiver.received.find((d) => d.json.event === 'message')!;
    expect(delivery.json.message.attachments).toEqual([photo]);
    // Metadata only: the delivery is small whatever the photo weighs, and holds no bytes.
    expect(delivery.body).not.toContain(PNG_1X1.toString('base64'));
  });
});
