/** The SDK's calls for preview, search, edit and forward, against a real gateway. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient } from '../../client/sdk/index.ts';
import { call, joinRoom, postMessage, signUp, uniqueName } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('SDK: everyday group life', () => {
  it('previews, searches, edits, reads versions and forwards, and surfaces refusals as typed errors', async () => {
    const owner = await signUp(server.url);
    const visitor = await signUp(server.url);
    const ownerClient = new QuanziClient({ baseUrl: server.url, token: owner.token });
    const visitorClient = new QuanziClient({ baseUrl: server.url, token: visitor.token });
    const room = await ownerClient.rest.createRoom({ name: 'SDK room', preview: true });
    const other = await ownerClient.rest.createRoom({ name: 'SDK other', visibility: 'unlisted' });
    expect(room).toMatchObject({ visibility: 'public', preview: true });
    const seq = (await postMessage(server.url, owner, room.id, '周末胶片摄影 walk')).body.message.seq;

    expect((await visitorClient.rest.previewRoom(room.id)).messages.map((m) => m.text)).toEqual(['周末胶片摄影 walk']);
    await expect(visitorClient.rest.previewRoom(other.id)).rejects.toMatchObject({ code: 'NOT_A_MEMBER', status: 403 });

    const found = await ownerClient.rest.searchRoom(room.id, { q: '摄影' });
    expect(found.results.map((r) => r.highlights)).toEqual([[{ start: 4, end: 6 }]]);
    expect((await ownerClient.rest.search({ q: 'WALK' })).results.map((r) => r.message.seq)).toEqual([seq]);
    await expect(visitorClient.rest.searchRoom(room.id, { q: 'walk' })).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });

    expect(await ownerClient.rest.editMessage(room.id, seq, '周末胶片摄影 hike')).toMatchObject({ text: '周末胶片摄影 hike', editedAt: expect.any(String) });
    expect((await ownerClient.rest.messageVersions(room.id, seq)).versions.map((v) => v.text)).toEqual(['周末胶片摄影 walk']);

    await joinRoom(server.url, visitor, other.id);
    const forwarded = await ownerClient.rest.forwardMessage(room.id, seq, other.id, uniqueName('f'));
    expect(forwarded).toMatchObject({ roomId: other.id, text: '周末胶片摄影 hike', forwardedFrom: { roomId: room.id, seq } });
    const seen = await call(server.url, 'GET', `/v1/rooms/${other.id}/messages`, { token: visitor.token });
    expect(seen.body.messages.find((m: any) => m.id === forwarded.id)).toMatchObject({ forwardedFrom: { roomName: 'SDK room' } });
  });
});
