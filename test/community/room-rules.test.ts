/**
 * Must-read rules through HTTP and Socket.IO: a member who has not accepted the current version
 * cannot send (RULES_NOT_ACCEPTED with the version) nor take part, is shown the rules on joining,
 * and a change asks everyone again. Where acceptance is required, the newcomer probation counts
 * from a member's first acceptance, not from joining, and the rules say how long it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, postMessage, signUp, sleep, uniqueName, waitFor } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const putRules = (token: string, roomId: string, body: unknown) => call(server.url, 'PUT', `/v1/rooms/${roomId}/rules`, { token, body });

describe('must-read rules', () => {
  it('no sending or taking part before accepting the current version; a change asks again', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 1 });
    const mei = members[0]!;
    const live = await connect(server.url, mei.token);
    const changes: any[] = [];
    live.socket.on('room:change', (c: any) => c.kind === 'rules' && changes.push(c));
    try {
      // A send first, so this gateway holds Mei's speaking facts in its cache.
      expect((await live.send({ roomId: room.id, text: 'hello', clientMsgId: uniqueName() })).ok).toBe(true);
      const set = await putRules(admins[0]!.token, room.id, { text: '1. Be kind. 2. No ads. 3. 不要发广告', requireAcceptance: true });
      expect(set.status).toBe(200);
      expect(set.body.rules).toMatchObject({ roomId: room.id, version: 1, requireAcceptance: true, updatedBy: { id: admins[0]!.id } });
      await waitFor(() => changes.length === 1 && live.received.some((m) => m.data?.event === 'rules.updated'), 5000, 'the rules change and its system message');
      expect(live.received.find((m) => m.data?.event === 'rules.updated')!.data).toMatchObject({ version: 1, requireAcceptance: true, by: admins[0]!.id });

      const refused = await live.send({ roomId: room.id, text: 'hello again', clientMsgId: uniqueName() });
      expect(refused.error).toMatchObject({ code: 'RULES_NOT_ACCEPTED', details: { version: 1 } });
      const overHttp = await postMessage(server.url, mei, room.id, 'hello over http');
      expect([overHttp.status, overHttp.body.error.code, overHttp.body.error.details.version]).toEqual([403, 'RULES_NOT_ACCEPTED', 1]);
      // Taking part counts as speaking too.
      const signup = (await call(server.url, 'POST', `/v1/rooms/${room.id}/signups`, { token: owner.token, body: { title: 'Hike' } })).body.signup;
      expect((await call(server.url, 'POST', `/v1/signups/${signup.id}/entries`, { token: mei.token, body: {} })).body.error.code).toBe('RULES_NOT_ACCEPTED');
      // The writer accepted by writing; the owner and admins keep the rules and are not held to them.
      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/rules`, { token: admins[0]!.token })).body).toMatchObject({ acceptedVersion: 1, mustAccept: false });
      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/rules`, { token: owner.token })).body).toMatchObject({ acceptedVersion: null, mustAccept: false });
      expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/rules`, { token: mei.token })).body).toMatchObject({ rules: { version: 1 }, acceptedVersion: null, mustAccept: true });

      expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/rules/accept`, { token: mei.token })).body).toMatchObject({ version: 1, acceptedAt: expect.any(String) });
      expect((await live.send({ roomId: room.id, text: 'read them', clientMsgId: uniqueName() })).ok).toBe(true);

      // A change asks everyone again.
      expect((await putRules(owner.token, room.id, { text: '1. Be kind. 2. No ads. 3. Meet in public places.', requireAcceptance: true })).body.rules.version).toBe(2);
      expect((await live.send({ roomId: room.id, text: 'still here', clientMsgId: uniqueName() })).error).toMatchObject({ code: 'RULES_NOT_ACCEPTED', details: { version: 2 } });
      expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/rules/accept`, { token: mei.token })).body.version).toBe(2);
      expect((await live.send({ roomId: room.id, text: 'ok', clientMsgId: uniqueName() })).ok).toBe(true);

      // Rules to read without a gate: anyone may speak.
      await putRules(owner.token, room.id, { text: 'Guidelines only', requireAcceptance: false });
      expect((await live.send({ roomId: room.id, text: 'fine', clientMsgId: uniqueName() })).ok).toBe(true);
      const audit = (await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token })).body.entries.map((e: any) => e.action);
      expect(audit.filter((a: string) => a.startsWith('rules.'))).toEqual(['rules.update', 'rules.accept', 'rules.update', 'rules.accept', 'rules.update']);
    } finally {
      live.close();
    }
  });

  it('shown on joining', async () => {
    const { room, owner } = await castRoom(server.url);
    await putRules(owner.token, room.id, { text: 'Photos only, please.', requireAcceptance: true });
    const newcomer = await signUp(server.url);
    const joined = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: newcomer.token });
    expect(joined.status).toBe(200);
    expect(joined.body.rules).toMatchObject({ rules: { text: 'Photos only, please.', version: 1, requireAcceptance: true }, acceptedVersion: null, mustAccept: true });
    const plain = await castRoom(server.url);
    expect((await call(server.url, 'POST', `/v1/rooms/${plain.room.id}/join`, { token: newcomer.token })).body.rules).toBeUndefined();
  });

  it('probation counts from accepting the rules: a member who joined long ago but accepted just now is still a newcomer', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 2 });
    const [mei, lin] = members as [(typeof members)[number], (typeof members)[number]];
    const PROBATION = 3;
    expect((await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { probationSeconds: PROBATION } })).status).toBe(200);
    const event = (await call(server.url, 'POST', `/v1/rooms/${room.id}/events`, { token: owner.token, body: { title: 'Tea', startsAt: new Date(Date.now() + 86400_000).toISOString(), place: { name: 'a teahouse' } } })).body.event;
    // Lin reads the rules before they are required: that acceptance is her first.
    expect((await putRules(owner.token, room.id, { text: 'Be kind.', requireAcceptance: false })).status).toBe(200);
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/rules/accept`, { token: lin.token })).status).toBe(200);
    // Both wait out the probation as counted from joining.
    await sleep(PROBATION * 1000 + 300);
    const shown = await putRules(owner.token, room.id, { text: 'Be kind. No ads.', requireAcceptance: true });
    expect(shown.status).toBe(200);
    const rules = (await call(server.url, 'GET', `/v1/rooms/${room.id}/rules`, { token: mei.token })).body;
    expect(rules).toMatchObject({ mustAccept: true, probationSeconds: PROBATION });

    const acceptedAt = Date.parse((await call(server.url, 'POST', `/v1/rooms/${room.id}/rules/accept`, { token: mei.token })).body.acceptedAt);
    // Mei joined long ago, but accepted just now: still on probation, until PROBATION after accepting.
    const refused = await call(server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: mei.token, body: { going: true, checklistSeen: true } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'ON_PROBATION']);
    expect(Date.parse(refused.body.error.details.until)).toBe(acceptedAt + PROBATION * 1000);
    const link = await postMessage(server.url, mei, room.id, 'my photos: https://photos.example.org/album/42');
    expect([link.status, link.body.error.code]).toEqual([202, 'HELD_FOR_REVIEW']);
    // Over the socket too, the same answer.
    const live = await connect(server.url, mei.token);
    try {
      const held = await live.send({ roomId: room.id, text: 'again: https://photos.example.org/album/43', clientMsgId: uniqueName() });
      expect(held.error.code).toBe('HELD_FOR_REVIEW');
    } finally {
      live.close();
    }

    // Lin accepts the new version: a veteran who had read them is not made a newcomer again.
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/rules/accept`, { token: lin.token })).body.version).toBe(2);
    expect((await call(server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: lin.token, body: { going: true, checklistSeen: true } })).body.rsvp.status).toBe('confirmed');
    expect((await postMessage(server.url, lin, room.id, 'see https://photos.example.org/album/7')).status).toBe(201);

    // Once it has run from Mei's acceptance, she is through.
    await sleep(Math.max(0, acceptedAt + PROBATION * 1000 - Date.now()) + 200);
    expect((await call(server.url, 'POST', `/v1/events/${event.id}/rsvp`, { token: mei.token, body: { going: true, checklistSeen: true } })).body.rsvp.status).toBe('confirmed');
    expect((await postMessage(server.url, mei, room.id, 'now: https://photos.example.org/album/44')).status).toBe(201);
  });

  it('bad input: coded errors, nothing changed', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const outsider = await signUp(server.url);
    expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/rules/accept`, { token: members[0]!.token })).body.error.code).toBe('RULES_NOT_FOUND');
    expect((await putRules(members[0]!.token, room.id, { text: 'mine', requireAcceptance: true })).body.error.code).toBe('FORBIDDEN');
    expect((await putRules(outsider.token, room.id, { text: 'mine', requireAcceptance: true })).body.error.code).toBe('NOT_A_MEMBER');
    expect((await putRules(owner.token, room.id, { text: '   ', requireAcceptance: true })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await putRules(owner.token, room.id, { text: 'x' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'GET', `/v1/rooms/${room.id}/rules`, { token: members[0]!.token })).body).toEqual({ rules: null, acceptedVersion: null, mustAccept: false, probationSeconds: 600 });
    expect((await postMessage(server.url, members[0]!, room.id, 'still free to talk')).status).toBe(201);
  });
});
