/**
 * Probation stops outreach, not conversation: a newcomer who replies to someone and names them,
 * or who asks the owner or an admin, is delivered; naming another member out of the blue, or
 * @all-style pings, waits for review as before. Through HTTP, with the default probation policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postMessage, uniqueName } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeAdmin, newGroup, putPolicy } from './fixtures.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const send = (token: string, roomId: string, body: Record<string, unknown>) =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/messages`, { token, body: { clientMsgId: uniqueName('m'), ...body } });

describe('probation and mentions', () => {
  it("a newcomer's reply naming its author, or a question to staff, is delivered; naming a bystander is held", async () => {
    const { room, owner, members } = await newGroup(server, 3);
    const [admin, bystander, newcomer] = members as [typeof owner, typeof owner, typeof owner];
    await makeAdmin(server, room.id, admin);
    // Rate limits off; probation left at its default, so the newcomer is on probation.
    await putPolicy(server, owner, room.id, { rules: { rate: 'off' } });

    const welcome = await postMessage(server.url, owner, room.id, '欢迎新朋友！先看看群公告');
    const byBystander = await postMessage(server.url, bystander, room.id, 'Anyone shooting the meteor shower tonight?');

    const reply = await send(newcomer.token, room.id, { text: `@${owner.username} 谢谢群主！`, replyTo: welcome.body.message.seq });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.message.mentions).toEqual([owner.id]);

    const toAdmin = await send(newcomer.token, room.id, { text: `@${admin.username} where do I find the rules?` });
    expect(toAdmin.status).toBe(201);

    const replyToBystander = await send(newcomer.token, room.id, { text: `@${bystander.username} yes! from the north hill`, replyTo: byBystander.body.message.seq });
    expect(replyToBystander.status).toBe(201);

    const outOfTheBlue = await send(newcomer.token, room.id, { text: `@${bystander.username} add me as a friend` });
    expect(outOfTheBlue.status).toBe(202);
    expect(outOfTheBlue.body.error).toMatchObject({ code: 'HELD_FOR_REVIEW', details: { reasons: [{ code: 'PROBATION_MENTION' }] } });

    // A reply does not open the door to naming others besides its author.
    const replyPlusOne = await send(newcomer.token, room.id, { text: `@${owner.username} @${bystander.username} both of you`, replyTo: welcome.body.message.seq });
    expect(replyPlusOne.status).toBe(202);
    // Nor does an @name that names no member.
    const unknown = await send(newcomer.token, room.id, { text: `@${admin.username} @somebody_else hi`, replyTo: welcome.body.message.seq });
    expect(unknown.status).toBe(202);
  });
});
