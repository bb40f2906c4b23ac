/**
 * The album (群相册) and files (群文件) views through real HTTP: what members sent, newest first,
 * paged; what was recalled, hidden by reports or never sent is not there; non-members see nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRoom, joinRoom, signUp, type TestUser } from './helpers/clients.ts';
import { wav, mp4, png, sendAttachments, upload } from './helpers/attachments.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
  // One report hides a message, so the report test needs one reporter.
  server = await startTestServer({ env: { REPORT_HIDE_THRESHOLD: '1' } });
});
afterAll(async () => {
  await server?.close();
});

/** A room whose members' photos are not held on probation (the test sends them at once). */
async function freshRoom(): Promise<{ owner: TestUser; member: TestUser; roomId: string }> {
  const owner = await signUp(server.url);
  const member = await signUp(server.url);
  const room = await createRoom(server.url, owner);
  const relaxed = await call(server.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: owner.token, body: { rules: { rate: 'off', probation: 'off' } } });
  expect(relaxed.status).toBe(200);
  await joinRoom(server.url, member, room.id);
  return { owner, member, roomId: room.id };
}

const album = (user: TestUser, roomId: string, query = '') => call(server.url, 'GET', `/v1/rooms/${roomId}/album${query}`, { token: user.token });
const files = (user: TestUser, roomId: string, query = '') => call(server.url, 'GET', `/v1/rooms/${roomId}/files${query}`, { token: user.token });
const names = (body: any) => body.items.map((item: any) => item.attachment.name);

describe('the album', () => {
  it('lists sent photos and videos newest message first, each with its message, and pages back to the first', async () => {
    const { owner, member, roomId } = await freshRoom();
    const sent: { seq: number; names: string[] }[] = [];
    for (let i = 1; i <= 5; i++) {
      const photo = await upload(server.url, owner, roomId, png(`album-${roomId}-${i}`), `photo-${i}.png`);
      const ids = [photo.id];
      const batch = [photo.name];
      if (i % 2 === 0) {
        const video = await upload(server.url, owner, roomId, mp4(`album-${roomId}-${i}`), `clip-${i}.mp4`);
        ids.push(video.id);
        batch.push(video.name);
      }
      sent.push({ seq: (await sendAttachments(server.url, owner, roomId, ids)).seq, names: batch });
    }
    // A file and an unsent photo are not in the album.
    const doc = await upload(server.url, member, roomId, 'meeting notes', 'notes.txt');
    await sendAttachments(server.url, member, roomId, [doc.id]);
    await upload(server.url, owner, roomId, png(`album-${roomId}-unsent`), 'unsent.png');

    const first = await album(member, roomId, '?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(3);
    const item = first.body.items[0];
    expect(item.attachment).toMatchObject({ roomId, kind: expect.stringMatching(/^(image|video)$/), status: 'ready' });
    expect(item.message).toEqual({ seq: sent[4]!.seq, sender: { id: owner.id, displayName: owner.displayName, kind: 'user' }, createdAt: expect.any(String) });
    expect(first.body.nextBefore).toEqual(expect.any(String));

    const seen = [...first.body.items];
    let cursor = first.body.nextBefore;
    while (cursor) {
      const page = await album(member, roomId, `?limit=3&before=${cursor}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextBefore;
    }
    // Every sent photo and video once, newest message first, one message's attachments together.
    expect(seen.map((i: any) => i.message.seq)).toEqual(sent.toReversed().flatMap((s) => s.names.map(() => s.seq)));
    expect(new Set(seen.map((i: any) => i.attachment.name))).toEqual(new Set(sent.flatMap((s) => s.names)));
    expect(seen.map((i: any) => i.attachment.name)).not.toContain('unsent.png');
    expect(seen.map((i: any) => i.attachment.name)).not.toContain('notes.txt');

    // A bare seq pages from a message: everything older than it.
    const older = await album(member, roomId, `?before=${sent[2]!.seq}`);
    expect(older.body.items.map((i: any) => i.message.seq)).toEqual([sent[1]!.seq, sent[1]!.seq, sent[0]!.seq]);
    expect(older.body.nextBefore).toBeNull();
  });

  it('drops a recalled message\'s photos at once and a message hidden by reports while it is hidden', async () => {
    const { owner, member, roomId } = await freshRoom();
    const kept = await upload(server.url, owner, roomId, png(`kept-${roomId}`), 'kept.png');
    await sendAttachments(server.url, owner, roomId, [kept.id]);
    const recalled = await upload(server.url, owner, roomId, png(`recalled-${roomId}`), 'recalled.png');
    const { seq: recalledSeq } = await sendAttachments(server.url, owner, roomId, [recalled.id]);
    // A member's: messages of owner and admins are not hidden by reports.
    const reported = await upload(server.url, member, roomId, png(`reported-${roomId}`), 'reported.png');
    const { seq: reportedSeq } = await sendAttachments(server.url, member, roomId, [reported.id]);
    const reporter = await signUp(server.url);
    await joinRoom(server.url, reporter, roomId);
    expect(names((await album(member, roomId)).body)).toEqual(['reported.png', 'recalled.png', 'kept.png']);

    expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${recalledSeq}/recall`, { token: owner.token })).status).toBe(200);
    expect(names((await album(member, roomId)).body)).toEqual(['reported.png', 'kept.png']);

    const report = await call(server.url, 'POST', `/v1/rooms/${roomId}/messages/${reportedSeq}/report`, { token: reporter.token, body: { reason: 'spam' } });
    expect(report.status).toBe(201);
    expect(names((await album(member, roomId)).body)).toEqual(['kept.png']);
    expect(names((await album(owner, roomId)).body)).toEqual(['kept.png']);
  });

  it('refuses non-members and unknown rooms, and a malformed cursor or limit changes nothing', async () => {
    const { owner, roomId } = await freshRoom();
    const photo = await upload(server.url, owner, roomId, png(`private-${roomId}`), 'private.png');
    await sendAttachments(server.url, owner, roomId, [photo.id]);
    const stranger = await signUp(server.url);

    const refused = await album(stranger, roomId);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NOT_A_MEMBER');
    expect((await files(stranger, roomId)).body.error.code).toBe('NOT_A_MEMBER');
    const missing = await album(stranger, '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await call(server.url, 'GET', `/v1/rooms/${roomId}/album`)).body.error.code).toBe('UNAUTHENTICATED');

    for (const query of ['?before=abc', '?before=0', '?before=1.not-a-uuid', '?limit=0', '?limit=101', '?sort=asc']) {
      const bad = await album(owner, roomId, query);
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code, query).toBe('VALIDATION_FAILED');
    }
    expect(names((await album(owner, roomId)).body)).toEqual(['private.png']);
  });
});

describe('the files view', () => {
  it('lists sound and other files, and finds them by any part of the name in any case, Chinese included', async () => {
    const { owner, member, roomId } = await freshRoom();
    const sent: string[] = [];
    for (const [bytes, name] of [
      ['week 1 answers', '期末复习资料.txt'],
      [wav(`song-${roomId}`), 'Theme Song.WAV'],
      ['100% sure', 'odds_100%.txt'],
      ['plain', 'oddsX100Y.txt'],
      ['notes', 'Lecture NOTES.txt'],
    ] as const) {
      const file = await upload(server.url, member, roomId, bytes, name);
      await sendAttachments(server.url, member, roomId, [file.id]);
      sent.push(name);
    }
    const photo = await upload(server.url, owner, roomId, png(`files-${roomId}`), 'photo.png');
    await sendAttachments(server.url, owner, roomId, [photo.id]);

    const all = await files(owner, roomId);
    expect(all.status).toBe(200);
    expect(names(all.body)).toEqual(sent.toReversed());
    expect(all.body.items.find((i: any) => i.attachment.name === 'Theme Song.WAV').attachment.kind).toBe('audio');

    expect(names((await files(owner, roomId, `?q=${encodeURIComponent('复习')}`)).body)).toEqual(['期末复习资料.txt']);
    expect(names((await files(owner, roomId, '?q=notes')).body)).toEqual(['Lecture NOTES.txt']);
    expect(names((await files(owner, roomId, '?q=theme%20song')).body)).toEqual(['Theme Song.WAV']);
    // % and _ are the characters themselves, not LIKE's wildcards.
    expect(names((await files(owner, roomId, `?q=${encodeURIComponent('_100%')}`)).body)).toEqual(['odds_100%.txt']);
    expect(names((await files(owner, roomId, '?q=zzz')).body)).toEqual([]);

    // Search pages like the rest.
    const first = await files(owner, roomId, '?q=.txt&limit=2');
    expect(names(first.body)).toEqual(['Lecture NOTES.txt', 'oddsX100Y.txt']);
    const second = await files(owner, roomId, `?q=.txt&limit=2&before=${first.body.nextBefore}`);
    expect(names(second.body)).toEqual(['odds_100%.txt', '期末复习资料.txt']);
    expect(second.body.nextBefore).toBeNull();
  });
});
