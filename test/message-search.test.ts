/**
 * Search, as a member sees it: Chinese and English, case-insensitive, newest first, paged, with
 * highlights; never what members cannot read (recalled, hidden, held), never a room one is not in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, joinRoom, postMessage, signUp, uniqueName, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  // One report hides a message, so the test can show a hidden one is not found.
  server = await startTestServer({ env: { REPORT_HIDE_THRESHOLD: '1' } });
});
afterAll(() => server?.close());

async function room(owner: TestUser, name = 'Search room'): Promise<string> {
  return (await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body: { name } })).body.room.id;
}

async function post(user: TestUser, roomId: string, text: string): Promise<number> {
  const reply = await postMessage(server.url, user, roomId, text);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.message.seq;
}

const search = (user: TestUser, roomId: string, query: string) => call(server.url, 'GET', `/v1/rooms/${roomId}/search?${query}`, { token: user.token });
const texts = (reply: { body: { results: Array<{ message: { text: string } }> } }) => reply.body.results.map((r) => r.message.text);

describe('search in a room', () => {
  it('finds Chinese anywhere in the text and English words whatever the case, newest first, with highlights', async () => {
    const owner = await signUp(server.url);
    const roomId = await room(owner);
    await post(owner, roomId, '我喜欢胶片摄影');
    await post(owner, roomId, 'Film is not dead');
    await post(owner, roomId, '今天天气不错');
    await post(owner, roomId, '数码摄影和胶片都好，film forever');
    await post(owner, roomId, '摄像机坏了');

    const chinese = await search(owner, roomId, `q=${encodeURIComponent('摄影')}`);
    expect(chinese.status).toBe(200);
    expect(texts(chinese)).toEqual(['数码摄影和胶片都好，film forever', '我喜欢胶片摄影']);
    expect(chinese.body.hasMore).toBe(false);
    expect(chinese.body.results[1].highlights).toEqual([{ start: 5, end: 7 }]);

    const english = await search(owner, roomId, 'q=film');
    expect(texts(english)).toEqual(['数码摄影和胶片都好，film forever', 'Film is not dead']);
    expect(english.body.results[1].highlights).toEqual([{ start: 0, end: 4 }]);
    expect(texts(await search(owner, roomId, 'q=FILM'))).toHaveLength(2);

    // Every word must appear; the characters of a Chinese word must stand together.
    expect(texts(await search(owner, roomId, `q=${encodeURIComponent('胶片 film')}`))).toEqual(['数码摄影和胶片都好，film forever']);
    expect(texts(await search(owner, roomId, `q=${encodeURIComponent('胶片摄影')}`))).toEqual(['我喜欢胶片摄影']);
    expect(texts(await search(owner, roomId, `q=${encodeURIComponent('影胶')}`))).toEqual([]);
    expect(texts(await search(owner, roomId, `q=${encodeURIComponent('机')}`))).toEqual(['摄像机坏了']);
    expect(texts(await search(owner, roomId, 'q=dead%20film'))).toEqual(['Film is not dead']);
    expect(texts(await search(owner, roomId, 'q=forest'))).toEqual([]);
    // A word is found by its beginning, not from its middle.
    expect(texts(await search(owner, roomId, 'q=ilm'))).toEqual([]);
  });

  it('pages newest first with before and limit', async () => {
    const owner = await signUp(server.url);
    const roomId = await room(owner);
    const seqs: number[] = [];
    for (let i = 1; i <= 5; i += 1) seqs.push(await post(owner, roomId, `camera note ${i}`));
    await post(owner, roomId, 'something else');
    const first = await search(owner, roomId, 'q=camera&limit=2');
    expect(texts(first)).toEqual(['camera note 5', 'camera note 4']);
    expect(first.body.hasMore).toBe(true);
    const next = await search(owner, roomId, `q=camera&limit=2&before=${first.body.results[1].message.seq}`);
    expect(texts(next)).toEqual(['camera note 3', 'camera note 2']);
    const last = await search(owner, roomId, `q=camera&limit=2&before=${seqs[1]}`);
    expect(texts(last)).toEqual(['camera note 1']);
    expect(last.body.hasMore).toBe(false);
  });

  it('never matches recalled, hidden or held messages', async () => {
    const owner = await signUp(server.url);
    const member = await signUp(server.url);
    const roomId = await room(owner);
    await joinRoom(server.url, member, roomId);
    // A fixed text: the safety rules' verdict on the phone number must not depend on a random word beside it.
    const marker = 'zebracrossing';
    const recalled = await post(owner, roomId, `${marker} recalled one`);
    const hidden = await post(member, roomId, `${marker} hidden one`);
    await post(owner, roomId, `${marker} visible one`);
    const held = await postMessage(server.url, member, roomId, `${marker} 我手机号 13812345678，有事找我`);
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${recalled}/recall`, { token: owner.token })).status).toBe(200);
    const report = await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${hidden}/report`, { token: owner.token, body: { reason: 'spam' } });
    expect(report.status).toBe(201);
    expect((await call(server.url, 'GET', `/v1/rooms/${roomId}/messages`, { token: member.token })).body.messages.find((m: any) => m.seq === hidden).hiddenAt).toEqual(expect.any(String));

    for (const who of [owner, member]) {
      expect(texts(await search(who, roomId, `q=${marker}`))).toEqual([`${marker} visible one`]);
      expect(texts(await search(who, roomId, `q=${encodeURIComponent('手机号')}`))).toEqual([]);
    }
  });

  it('is for members only, and refuses a query with nothing to search for', async () => {
    const owner = await signUp(server.url);
    const stranger = await signUp(server.url);
    const roomId = await room(owner);
    await post(owner, roomId, 'members only words');
    const refused = await search(stranger, roomId, 'q=members');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NOT_A_MEMBER');
    const priv = (await call(server.url, 'POST', '/v1/rooms', { token: owner.token, body: { name: 'Hidden', visibility: 'private' } })).body.room.id;
    expect((await search(stranger, priv, 'q=members')).body.error.code).toBe('ROOM_NOT_FOUND');
    for (const query of ['q=', `q=${encodeURIComponent('!!! ，。')}`, `q=${'a'.repeat(101)}`, 'q=x&limit=0', 'before=3']) {
      const bad = await search(owner, roomId, query);
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code, query).toBe('VALIDATION_FAILED');
    }
  });
});

describe('search across my rooms', () => {
  it('finds matches in every room I am in, newest first, and nothing from rooms I am not in', async () => {
    const me = await signUp(server.url);
    const other = await signUp(server.url);
    const marker = uniqueName('kodak');
    const mine1 = await room(me, 'Mine one');
    const mine2 = await room(other, 'Shared');
    await joinRoom(server.url, me, mine2);
    const notMine = await room(other, 'Not mine');
    await post(me, mine1, `${marker} first`);
    await post(other, notMine, `${marker} secret`);
    await post(other, mine2, `${marker} second`);
    await post(me, mine1, `${marker} third`);

    const first = await call(server.url, 'GET', `/v1/search?q=${marker}&limit=2`, { token: me.token });
    expect(first.status).toBe(200);
    expect(texts(first)).toEqual([`${marker} third`, `${marker} second`]);
    expect(first.body.results.map((r: any) => r.message.roomId)).toEqual([mine1, mine2]);
    expect(first.body.hasMore).toBe(true);
    const rest = await call(server.url, 'GET', `/v1/search?q=${marker}&limit=2&before=${first.body.next}`, { token: me.token });
    expect(texts(rest)).toEqual([`${marker} first`]);
    expect(rest.body).toMatchObject({ hasMore: false, next: null });

    const bad = await call(server.url, 'GET', `/v1/search?q=${marker}&before=garbage`, { token: me.token });
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
