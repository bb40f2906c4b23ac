import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, uniqueName } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('rooms', () => {
  it('creates a room whose creator is the owner and first member', async () => {
    const owner = await signUp(server.url);
    const reply = await call(server.url, 'POST', '/v1/rooms', {
      token: owner.token,
      body: { name: '  Film Photography  ', topic: 'Developing at home', tags: ['Photography', 'film'] },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.room).toMatchObject({ name: 'Film Photography', topic: 'Developing at home', tags: ['photography', 'film'], ownerId: owner.id, memberCount: 1, lastSeq: 0 });

    const me = await call(server.url, 'GET', '/v1/me', { token: owner.token });
    expect(me.body.rooms).toHaveLength(1);
    expect(me.body.rooms[0]).toMatchObject({ id: reply.body.room.id, role: 'owner' });
    const members = await call(server.url, 'GET', `/v1/rooms/${reply.body.room.id}/members`, { token: owner.token });
    expect(members.body.members).toEqual([expect.objectContaining({ role: 'owner', user: expect.objectContaining({ id: owner.id }) })]);
  });

  it('discovers public rooms by name, topic or tag with member counts', async () => {
    const owner = await signUp(server.url);
    const marker = uniqueName('x');
    const books = await createRoom(server.url, owner, { name: `Book club ${marker}`, topic: 'One novel a month', tags: ['books', marker] });
    const games = await createRoom(server.url, owner, { name: `Raid squad ${marker}`, topic: 'Weekly raids, mic required', tags: ['gaming'] });
    const member = await signUp(server.url);
    await joinRoom(server.url, member, books.id);

    const byName = await call(server.url, 'GET', `/v1/rooms?q=${encodeURIComponent(marker)}`, { token: member.token });
    expect(byName.status).toBe(200);
    expect(byName.body.rooms.map((r: any) => r.id)).toEqual([books.id, games.id]); // busiest first
    expect(byName.body.rooms[0].memberCount).toBe(2);

    const byTopic = await call(server.url, 'GET', `/v1/rooms?q=${encodeURIComponent('mic required')}`, { token: member.token });
    expect(byTopic.body.rooms.map((r: any) => r.id)).toContain(games.id);

    const byTag = await call(server.url, 'GET', `/v1/rooms?tag=${marker}`, { token: member.token });
    expect(byTag.body.rooms.map((r: any) => r.id)).toEqual([books.id]);

    // Words, in any order, each anywhere: "photo club" finds "Film Photography Club".
    const photo = await createRoom(server.url, owner, { name: `Film Photography Club ${marker}`, topic: '胶片 & darkroom' });
    const words = await call(server.url, 'GET', `/v1/rooms?q=${encodeURIComponent(`photo club ${marker}`)}`, { token: member.token });
    expect(words.body.rooms.map((r: any) => r.id)).toEqual([photo.id]);
    const acrossFields = await call(server.url, 'GET', `/v1/rooms?q=${encodeURIComponent(`darkroom ${marker} film`)}`, { token: member.token });
    expect(acrossFields.body.rooms.map((r: any) => r.id)).toEqual([photo.id]);

    const wildcard = await call(server.url, 'GET', `/v1/rooms?q=${encodeURIComponent('%_%')}`, { token: member.token });
    expect(wildcard.body.rooms).toEqual([]);

    const badLimit = await call(server.url, 'GET', '/v1/rooms?limit=500', { token: member.token });
    expect(badLimit.status).toBe(400);
  });

  it('joins and leaves, with clear errors for every wrong move', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const room = await createRoom(server.url, owner);

    const join = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: member.token });
    expect(join.status).toBe(200);
    expect(join.body).toMatchObject({ role: 'member', room: { id: room.id, memberCount: 2 } });

    const again = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: member.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_MEMBER');

    const ownerLeave = await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: owner.token });
    expect(ownerLeave.status).toBe(409);
    expect(ownerLeave.body.error.code).toBe('OWNER_CANNOT_LEAVE');

    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: member.token })).status).toBe(204);
    const leaveAgain = await call(server.url, 'POST', `/v1/rooms/${room.id}/leave`, { token: member.token });
    expect(leaveAgain.body.error.code).toBe('NOT_A_MEMBER');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: member.token })).body.room.memberCount).toBe(1);

    const missing = await call(server.url, 'POST', '/v1/rooms/00000000-0000-4000-8000-000000000000/join', { token: member.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ROOM_NOT_FOUND');
    const notUuid = await call(server.url, 'GET', '/v1/rooms/not-a-room', { token: member.token });
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.code).toBe('VALIDATION_FAILED');

    const outsiderMembers = await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: member.token });
    expect(outsiderMembers.status).toBe(403);
    expect(outsiderMembers.body.error.code).toBe('NOT_A_MEMBER');
  });

  it('refuses bad room fields and creates nothing', async () => {
    const owner = await signUp(server.url);
    for (const [body, field] of [
      [{ name: '' }, 'body.name'],
      [{ name: '   ' }, 'body.name'],
      [{ name: 'x'.repeat(65) }, 'body.name'],
      [{ name: 'ok', tags: 'photo' }, 'body.tags'],
      [{ name: 'ok', tags: ['a b'] }, 'body.tags.0'],
      [{ name: 'ok', color: 'red' }, 'body'],
    ] as const) {
      const reply = await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      expect(reply.body.error.details, JSON.stringify(body)).toEqual({ field });
    }
    expect((await call(server.url, 'GET', '/v1/me', { token: owner.token })).body.rooms).toEqual([]);

    const room = await createRoom(server.url, owner, { name: 'Kept name' });
    const blankRename = await call(server.url, 'PATCH', `/v1/rooms/${room.id}`, { token: owner.token, body: { name: '  ' } });
    expect(blankRename.status).toBe(400);
    expect(blankRename.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body.name' } });
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}`, { token: owner.token })).body.room.name).toBe('Kept name');
  });
});
