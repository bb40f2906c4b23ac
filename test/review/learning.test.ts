/**
 * The room learns from its staff's decisions, through HTTP: a text near-identical to one a
 * reviewer rejected (or removed after reports) is held at once, with the precedent named for
 * staff; one near-identical to a text they approved passes what the rules would have held; a
 * room can switch precedents off; each decision is stored as a labelled example.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postMessage, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { RELAXED as RELAXED_RULES, newGroup, putPolicy, reasonCodes } from './fixtures.ts';

// The texts here are held by the trained model, which a room switches on.
const RELAXED = { ...RELAXED_RULES, rules: { ...RELAXED_RULES.rules, model: 'standard' } } as const;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const review = (user: TestUser, roomId: string) => call(server.url, 'GET', `/v1/rooms/${roomId}/review`, { token: user.token });
const decide = (user: TestUser, roomId: string, heldId: string, decision: 'approve' | 'reject') =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/review/${heldId}/${decision}`, { token: user.token });
const report = (user: TestUser, roomId: string, seq: number) => call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${seq}/report`, { token: user.token, body: { reason: 'spam' } });
const decideReports = (user: TestUser, roomId: string, seq: number, decision: 'dismiss' | 'remove') =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/review/messages/${seq}/${decision}`, { token: user.token });

describe('learning from moderators', () => {
  it('holds a near-identical text once staff rejected one, and names the precedent in the queue', async () => {
    const { room, owner, members } = await newGroup(server, 2);
    const [first, second] = members as [TestUser, TestUser];
    await putPolicy(server, owner, room.id, RELAXED);
    const held = await postMessage(server.url, first, room.id, '有兴趣的加我vx细聊，这里说不清楚');
    expect(held.status).toBe(202);
    expect(reasonCodes(held.body)).not.toContain('PRECEDENT_REJECTED');
    expect((await decide(owner, room.id, held.body.error.details.heldId, 'reject')).status).toBe(200);

    const again = await postMessage(server.url, second, room.id, '有兴趣的加我vx细聊哦，这里说不清楚');
    expect(again.status).toBe(202);
    expect(reasonCodes(again.body)).toContain('PRECEDENT_REJECTED');
    const queue = await review(owner, room.id);
    const entry = queue.body.held.find((h: { id: string }) => h.id === again.body.error.details.heldId);
    expect(entry.reasons).toContainEqual(expect.objectContaining({ code: 'PRECEDENT_REJECTED', rule: 'precedents', detail: expect.stringMatching(/^\d+ % similar to a message rejected on \d{4}-\d\d-\d\d$/) }));
  });

  it('lets a near-identical text through once staff approved one the rules held', async () => {
    const { room, owner, members } = await newGroup(server, 2);
    const [first, second] = members as [TestUser, TestUser];
    await putPolicy(server, owner, room.id, RELAXED);
    const text = '出闲置相机镜头，九成新，价格私聊，同城优先';
    const held = await postMessage(server.url, first, room.id, text);
    expect(held.status).toBe(202);
    // Before any decision another member's copy is held too.
    const before = await postMessage(server.url, second, room.id, `${text}！`);
    expect(before.status).toBe(202);
    expect((await decide(owner, room.id, held.body.error.details.heldId, 'approve')).status).toBe(200);

    const after = await postMessage(server.url, second, room.id, `${text}哦`);
    expect(after.status).toBe(201);
    expect(after.body.message.text).toBe(`${text}哦`);
    // Unrelated text the rules hold is still held: the approval was about those words.
    expect((await postMessage(server.url, second, room.id, '有兴趣的加我vx细聊，这里说不清楚')).status).toBe(202);
  });

  it('holds a near-identical text once staff removed a reported one, and not once they dismissed the reports', async () => {
    const { room, owner, members } = await newGroup(server, 3);
    const [spammer, reporter, other] = members as [TestUser, TestUser, TestUser];
    await putPolicy(server, owner, room.id, RELAXED);
    const posted = await postMessage(server.url, spammer, room.id, '想赚点零花钱的私聊我，不方便群里说');
    expect(posted.status).toBe(201);
    expect((await report(reporter, room.id, posted.body.message.seq)).status).toBe(201);
    expect((await decideReports(owner, room.id, posted.body.message.seq, 'remove')).status).toBe(200);

    const copy = await postMessage(server.url, other, room.id, '想赚点零花钱的私聊我呀，不方便群里说');
    expect(copy.status).toBe(202);
    expect(copy.body.error.details.reasons).toEqual([expect.objectContaining({ code: 'PRECEDENT_REJECTED' })]);

    const fine = await postMessage(server.url, spammer, room.id, '我们社团周五晚上在二食堂聚餐，想来的私聊我报名');
    expect((await report(reporter, room.id, fine.body.message.seq)).status).toBe(201);
    expect((await decideReports(owner, room.id, fine.body.message.seq, 'dismiss')).status).toBe(200);
    expect((await postMessage(server.url, other, room.id, '我们社团周五晚上在二食堂聚餐，想来的私聊我报名吧')).status).toBe(201);
  });

  it('learns per room, and not at all in a room that switched precedents off', async () => {
    const a = await newGroup(server, 1);
    const b = await newGroup(server, 1);
    const [memberA] = a.members as [TestUser];
    const [memberB] = b.members as [TestUser];
    await putPolicy(server, a.owner, a.room.id, RELAXED);
    await putPolicy(server, b.owner, b.room.id, RELAXED);
    const posted = await postMessage(server.url, memberA, a.room.id, '想赚点零花钱的私聊我，不方便群里说');
    expect((await report(a.owner, a.room.id, posted.body.message.seq)).status).toBe(201);
    expect((await decideReports(a.owner, a.room.id, posted.body.message.seq, 'remove')).status).toBe(200);

    expect((await postMessage(server.url, memberB, b.room.id, '想赚点零花钱的私聊我，不方便群里说')).status).toBe(201);
    await putPolicy(server, a.owner, a.room.id, { ...RELAXED, rules: { ...RELAXED.rules, precedents: 'off' } });
    expect((await postMessage(server.url, memberA, a.room.id, '想赚点零花钱的私聊我，不方便群里说')).status).toBe(201);
  });
});
