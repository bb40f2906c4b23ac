/**
 * `npm run safety:export-decisions`: what moderators decided in the review queue (through HTTP)
 * comes out as labelled training lines in the shipped data's format, words only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionLines } from '../../server/safety/export-decisions.ts';
import { call, postMessage, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { newGroup } from '../review/fixtures.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const decide = (user: TestUser, roomId: string, heldId: string, decision: 'approve' | 'reject') =>
  call(server.url, 'POST', `/v1/rooms/${roomId}/review/${heldId}/${decision}`, { token: user.token });

describe('exporting the review decisions', () => {
  it('gives one labelled line per decided text: approved as allow, rejected as block, no ids', async () => {
    const { room, owner, members } = await newGroup(server, 3);
    const [newcomer, other, bystander] = members as [TestUser, TestUser, TestUser];
    // Newcomers naming a bystander are held (probation), whatever they say.
    const bad = await postMessage(server.url, newcomer, room.id, `@${bystander.username} 加我微信看看我的店铺，全场五折`);
    const good = await postMessage(server.url, other, room.id, `@${bystander.username} are you coming to the darkroom session on Saturday?`);
    expect([bad.status, good.status]).toEqual([202, 202]);
    expect((await decide(owner, room.id, bad.body.error.details.heldId, 'reject')).status).toBe(200);
    expect((await decide(owner, room.id, good.body.error.details.heldId, 'approve')).status).toBe(200);

    const lines = await decisionLines(server.app.deps.db);
    expect(lines.find((l) => l.text.includes('全场五折'))).toMatchObject({ text: '@user 加我微信看看我的店铺，全场五折', label: 'block', kind: 'moderator-decision', lang: 'zh', source: 'held' });
    expect(lines.find((l) => l.text.includes('darkroom'))).toMatchObject({ label: 'allow', kind: 'moderator-decision', lang: 'en', source: 'held' });
    const exported = JSON.stringify(lines);
    for (const id of [room.id, owner.id, newcomer.id, other.id, bystander.username]) expect(exported).not.toContain(id);
  });
});
