/**
 * Every text a member writes for others passes the safety rules, not only messages: nicknames,
 * display names, room names and topics, join answers, bot names. Through HTTP; each refusal is
 * BLOCKED_BY_SAFETY naming the field, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, uniqueName } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const SPAM = '加V xiutu888 日入三百';

describe('texts other than messages', () => {
  it('a nickname that would be refused as a message is refused, and the old one stays', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, member, room.id);
    const path = `/v1/rooms/${room.id}/members/me/nickname`;
    expect((await call(server.url, 'PUT', path, { token: member.token, body: { nickname: '修图小王' } })).status).toBe(204);
    const refused = await call(server.url, 'PUT', path, { token: member.token, body: { nickname: SPAM } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'BLOCKED_BY_SAFETY', details: { field: 'body.nickname', reasons: expect.arrayContaining([expect.objectContaining({ code: 'SCAM_CONTACT_OFFPLATFORM' })]) } });
    const members = await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
    expect(members.body.members.find((m: any) => m.user.id === member.id).nickname).toBe('修图小王');
  });

  it('display names, room names and topics, join answers and bot names likewise', async () => {
    const signUpSpam = await call(server.url, 'POST', '/v1/users', { body: { username: uniqueName('u'), password: 'correct horse battery', displayName: SPAM } });
    expect(signUpSpam.status).toBe(422);
    expect(signUpSpam.body.error.details.field).toBe('body.displayName');

    const owner = await signUp(server.url);
    const roomSpam = await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body: { name: SPAM } });
    expect(roomSpam.status).toBe(422);
    expect(roomSpam.body.error.details.field).toBe('body.name');

    const room = await createRoom(server.url, owner, { name: 'Night sky club' });
    const topicSpam = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { topic: `${SPAM}，私聊`, joinPolicy: 'approval' } });
    expect(topicSpam.status).toBe(422);
    expect(topicSpam.body.error.details.field).toBe('body.topic');
    // Nothing of the refused change was applied, not even the part that was fine.
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.joinPolicy).toBe('open');

    expect((await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { joinPolicy: 'approval', joinQuestion: 'Which telescope do you use?' } })).status).toBe(200);
    const applicant = await signUp(server.url);
    const answer = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: applicant.token, body: { answer: SPAM } });
    expect(answer.status).toBe(422);
    expect(answer.body.error.details.field).toBe('body.answer');
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: applicant.token, body: { answer: 'A 130 mm reflector' } })).body.status).toBe('requested');

    const botSpam = await call(server.url, 'POST', '/v1/bots', { token: owner.token, body: { name: SPAM } });
    expect(botSpam.status).toBe(422);
    expect(botSpam.body.error.details.field).toBe('body.name');
  });

  it('a member may not take a nickname that passes for the owner or an admin, or claims their title', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, member, room.id);
    const path = `/v1/rooms/${room.id}/members/me/nickname`;
    const setNickname = (user: typeof owner, nickname: string) => call(server.url, 'PUT', path, { token: user.token, body: { nickname } });
    // "Name u_…" with a Cyrillic а, with a title added, or a title alone.
    const lookalike = owner.displayName.replace('a', '\u0430');
    for (const [nickname, staffId] of [[`${owner.displayName}（群主）`, owner.id], [`${owner.displayName}_admin`, owner.id], [lookalike, owner.id], ['群主', null], ['Admin', null]] as const) {
      const refused = await setNickname(member, nickname);
      expect(refused.status, nickname).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'STAFF_IMPERSONATION', details: { field: 'body.nickname', staffId } });
    }
    expect((await setNickname(member, 'Modern Mike')).status).toBe(204);
    // The owner may call themselves what they like.
    expect((await setNickname(owner, `${owner.displayName}（群主）`)).status).toBe(204);
    const members = await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
    expect(members.body.members.find((m: any) => m.user.id === member.id).nickname).toBe('Modern Mike');
  });
});
