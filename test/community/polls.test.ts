/**
 * Polls through HTTP and Socket.IO: the card, live tallies on the change feed, changing a vote
 * until the poll closes, anonymous polls that leave no readable trace of who voted what (not for
 * staff, not in the feed or the audit log, not in the database rows), and bad input refused.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, signUp, waitFor } from '../helpers/clients.ts';
import { castRoom } from '../helpers/rooms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const VOTE_KEY = 'test-anonymous-vote-key-7f3a9c';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ANONYMOUS_VOTE_KEY: VOTE_KEY } });
});
afterAll(() => server?.close());

const ask = (token: string, roomId: string, body: unknown) => call(server.url, 'POST', `/v1/rooms/${roomId}/polls`, { token, body });
const voteFor = (token: string, pollId: string, optionIds: string[]) => call(server.url, 'POST', `/v1/polls/${pollId}/votes`, { token, body: { optionIds } });
const tally = (poll: any) => poll.options.map((o: any) => o.votes);

describe('polls', () => {
  it('live tallies, a vote changed until the poll closes, who voted what for an open poll', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 3 });
    const [mei, lin, kai] = members as [typeof owner, typeof owner, typeof owner];
    const watcher = await connect(server.url, kai.token);
    const changes: any[] = [];
    watcher.socket.on('room:change', (c: any) => c.kind === 'poll' && changes.push(c));
    try {
      const asked = await ask(mei.token, room.id, { question: 'Where shall we eat?', options: ['Hotpot 火锅', 'Dumplings', 'Noodles'] });
      expect(asked.status).toBe(201);
      const poll = asked.body.poll;
      expect(poll).toMatchObject({ question: 'Where shall we eat?', multiple: false, anonymous: false, voters: 0, closed: false, options: [{ id: '1', text: 'Hotpot 火锅', votes: 0 }, { id: '2' }, { id: '3' }] });
      await waitFor(() => watcher.received.some((m) => m.id === poll.messageId), 5000, 'the card');
      expect(watcher.received.find((m) => m.id === poll.messageId)).toMatchObject({ kind: 'poll', data: { event: 'poll', poll: { id: poll.id } } });

      expect(tally((await voteFor(mei.token, poll.id, ['1'])).body.poll)).toEqual([1, 0, 0]);
      expect(tally((await voteFor(lin.token, poll.id, ['2'])).body.poll)).toEqual([1, 1, 0]);
      const changed = await voteFor(mei.token, poll.id, ['2']);
      expect([tally(changed.body.poll), changed.body.poll.voters, changed.body.myVote]).toEqual([[0, 2, 0], 2, ['2']]);
      await waitFor(() => changes.length >= 3, 5000, 'three tally changes');
      expect(changes.map((c) => [c.payload.op, tally(c.payload.poll)])).toEqual([
        ['voted', [1, 0, 0]],
        ['voted', [1, 1, 0]],
        ['voted', [0, 2, 0]],
      ]);
      // Not anonymous: members see who chose what.
      const view = await call(server.url, 'GET', `/v1/polls/${poll.id}`, { token: kai.token });
      expect(view.body.votes.map((v: any) => [v.user.id, v.optionIds])).toEqual([
        [lin.id, ['2']],
        [mei.id, ['2']],
      ]);
      expect(view.body.myVote).toEqual([]);
      // Taking a vote back.
      expect(tally((await voteFor(lin.token, poll.id, [])).body.poll)).toEqual([0, 1, 0]);

      const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: kai.token });
      expect(tally(history.body.messages.find((m: any) => m.id === poll.messageId).data.poll)).toEqual([0, 1, 0]);

      expect((await call(server.url, 'POST', `/v1/polls/${poll.id}/close`, { token: kai.token })).body.error.code).toBe('FORBIDDEN');
      const closed = await call(server.url, 'POST', `/v1/polls/${poll.id}/close`, { token: owner.token });
      expect(closed.body.poll).toMatchObject({ closed: true });
      const late = await voteFor(kai.token, poll.id, ['3']);
      expect([late.status, late.body.error.code]).toEqual([409, 'POLL_CLOSED']);
      expect(tally((await call(server.url, 'GET', `/v1/polls/${poll.id}`, { token: kai.token })).body.poll)).toEqual([0, 1, 0]);
    } finally {
      watcher.close();
    }
  });

  it('anonymous: counted, changeable, and no one — staff included, nor the database rows — can read who voted what', async () => {
    const { room, owner, admins, members } = await castRoom(server.url, { admins: 1, members: 2 });
    const [mei, lin] = members as [typeof owner, typeof owner];
    const poll = (await ask(owner.token, room.id, { question: 'Rate the last meetup', options: ['Great', 'Fine', 'Meh'], anonymous: true, multiple: true })).body.poll;
    const staff = await connect(server.url, admins[0]!.token);
    const changes: any[] = [];
    staff.socket.on('room:change', (c: any) => changes.push(c));
    try {
      expect(tally((await voteFor(mei.token, poll.id, ['1', '2'])).body.poll)).toEqual([1, 1, 0]);
      expect(tally((await voteFor(lin.token, poll.id, ['3'])).body.poll)).toEqual([1, 1, 1]);
      const mine = await voteFor(mei.token, poll.id, ['2']);
      expect([tally(mine.body.poll), mine.body.myVote, mine.body.votes]).toEqual([[0, 1, 1], ['2'], undefined]);
      expect((await call(server.url, 'GET', `/v1/polls/${poll.id}`, { token: mei.token })).body.myVote).toEqual(['2']);

      for (const viewer of [owner, admins[0]!]) {
        const view = (await call(server.url, 'GET', `/v1/polls/${poll.id}`, { token: viewer.token })).body;
        expect(view.votes).toBeUndefined();
        expect(view.myVote).toEqual([]);
      }
      await waitFor(() => changes.length >= 3, 5000, 'the tally changes');
      const voterIds = [mei.id, lin.id];
      for (const text of [JSON.stringify(changes), JSON.stringify((await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token })).body)]) {
        for (const id of voterIds) expect(text).not.toContain(id);
      }
      const rows = await server.app.database.raw<Record<string, unknown>>('select * from poll_votes where poll_id = $1', [poll.id]);
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.user_id).toBeNull();
        for (const id of voterIds) expect(JSON.stringify(row)).not.toContain(id);
      }
      // The voter column is the keyed HMAC: computable only with the key kept outside the database.
      const expected = voterIds.map((id) => createHmac('sha256', VOTE_KEY).update(`${poll.id}\u0000${id}`).digest('base64url')).sort();
      expect(rows.map((r) => r.voter).sort()).toEqual(expected);
    } finally {
      staff.close();
    }
  });

  it('bad input: coded errors, nothing changed', async () => {
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const other = await castRoom(server.url);
    const outsider = await signUp(server.url);
    const options = (n: number) => Array.from({ length: n }, (_, i) => `option ${i}`);
    expect((await ask(owner.token, room.id, { question: 'One?', options: options(1) })).body.error.code).toBe('POLL_OPTIONS_INVALID');
    expect((await ask(owner.token, room.id, { question: 'Many?', options: options(21) })).body.error.code).toBe('POLL_OPTIONS_INVALID');
    const duplicate = await ask(owner.token, room.id, { question: 'Twice?', options: ['Tea', 'Coffee', ' tea '] });
    expect([duplicate.status, duplicate.body.error.code, duplicate.body.error.details.field]).toEqual([400, 'POLL_OPTIONS_INVALID', 'body.options.2']);
    expect((await ask(owner.token, room.id, { question: 'Blank?', options: ['a', '  '] })).body.error.code).toBe('POLL_OPTIONS_INVALID');
    expect((await ask(owner.token, room.id, { question: 'Late?', options: ['a', 'b'], closesAt: new Date(Date.now() - 1000).toISOString() })).body.error.code).toBe('TIME_IN_PAST');
    expect((await ask(outsider.token, room.id, { question: 'Me?', options: ['a', 'b'] })).body.error.code).toBe('NOT_A_MEMBER');
    const spam = await ask(members[0]!.token, room.id, { question: 'Which?', options: ['a', '加V xiutu888 日入三百'] });
    expect([spam.status, spam.body.error.code, spam.body.error.details.field]).toEqual([422, 'BLOCKED_BY_SAFETY', 'body.options.1']);
    const history = await call(server.url, 'GET', `/v1/rooms/${room.id}/messages`, { token: owner.token });
    expect(history.body.messages.filter((m: any) => m.kind === 'poll')).toEqual([]);

    const poll = (await ask(owner.token, room.id, { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] })).body.poll;
    const elsewhere = (await ask(other.owner.token, other.room.id, { question: 'Elsewhere', options: ['x', 'y', 'z'] })).body.poll;
    expect((await voteFor(members[0]!.token, poll.id, ['3'])).body.error).toMatchObject({ code: 'POLL_OPTION_NOT_FOUND', details: { optionId: '3' } });
    expect((await voteFor(members[0]!.token, poll.id, ['1', '2'])).body.error.code).toBe('POLL_SINGLE_CHOICE');
    expect((await voteFor(members[0]!.token, elsewhere.id, ['1'])).body.error.code).toBe('NOT_A_MEMBER');
    expect((await voteFor(outsider.token, poll.id, ['1'])).body.error.code).toBe('NOT_A_MEMBER');
    expect((await voteFor(owner.token, '00000000-0000-4000-8000-000000000000', ['1'])).body.error.code).toBe('POLL_NOT_FOUND');
    expect((await call(server.url, 'POST', `/v1/polls/${poll.id}/votes`, { token: owner.token, body: { optionIds: '1' } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(server.url, 'GET', `/v1/polls/${poll.id}`, { token: owner.token })).body.poll.voters).toBe(0);
  });
});
