/**
 * Attachments through the real HTTP interface: multipart uploads built with FormData against a
 * real port, the bytes fetched back with the headers a browser acts on, and every refusal
 * leaving nothing behind (no row, no stored file, no staged file).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments } from '../drizzle/schema.ts';
import { call, createRoom, joinRoom, postMessage, signUp, waitFor, type TestUser } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { PNG_1X1, windowsProgram } from './media/fixtures.ts';

const MAX_BYTES = 4096;
const ROOM_QUOTA = 3 * MAX_BYTES;
const USER_QUOTA = 4 * MAX_BYTES;

let server: TestServer;
let mediaDir: string;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'quanzi-attachments-test-'));
  server = await startTestServer({
    env: {
      MEDIA_DIR: mediaDir,
      ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      ROOM_STORAGE_QUOTA_BYTES: String(ROOM_QUOTA),
      USER_STORAGE_QUOTA_BYTES: String(USER_QUOTA),
    },
  });
});
afterAll(async () => {
  await server?.close();
  await rm(mediaDir, { recursive: true, force: true });
});

async function upload(user: TestUser, roomId: string, bytes: Buffer | string, name: string, field = 'file'): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append(field, new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const response = await fetch(`${server.url}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  return { status: response.status, body: await response.json() };
}

function fetchBytes(user: TestUser, id: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/v1/attachments/${id}`, { headers: { authorization: `Bearer ${user.token}`, ...headers } });
}

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(mediaDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && !entry.parentPath.endsWith(`${path.sep}tmp`)).map((entry) => entry.name);
}

const stagedFiles = () => readdir(path.join(mediaDir, 'tmp'));
const rowsOfRoom = (roomId: string) => server.app.deps.db.select().from(attachments).where(eq(attachments.roomId, roomId));
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A room with its owner (exempt from probation) and a member past nothing. */
async function freshRoom(): Promise<{ owner: TestUser; member: TestUser; roomId: string }> {
  const owner = await signUp(server.url);
  const member = await signUp(server.url);
  const room = await createRoom(server.url, owner);
  await joinRoom(server.url, member, room.id);
  return { owner, member, roomId: room.id };
}

describe('uploading', () => {
  it('stores a PNG as an image, typed from its content even when named .txt', async () => {
    const { owner, roomId } = await freshRoom();
    const reply = await upload(owner, roomId, PNG_1X1, 'holiday.txt');
    expect(reply.status).toBe(201);
    expect(reply.body.attachment).toEqual({
      id: expect.any(String),
      roomId,
      kind: 'image',
      name: 'holiday.txt',
      mime: 'image/png',
      size: PNG_1X1.length,
      sha256: sha256(PNG_1X1),
      width: 1,
      height: 1,
      thumb: { width: 1, height: 1 },
      thumbhash: expect.any(String),
      status: 'ready',
      createdAt: expect.any(String),
    });
    expect(await rowsOfRoom(roomId)).toHaveLength(1);
    expect(await storedFiles()).toContain(sha256(PNG_1X1));
  });

  it("holds a new member's photo for review (probation), as their links are held", async () => {
    const { member, roomId } = await freshRoom();
    const reply = await upload(member, roomId, PNG_1X1, 'me.png');
    expect(reply.status).toBe(201);
    expect(reply.body.attachment).toMatchObject({ kind: 'image', status: 'held', reasons: ['PROBATION_IMAGE'] });
    // A file that is not a picture or video is not held.
    const text = await upload(member, roomId, 'just notes', 'notes.md');
    expect(text.body.attachment).toMatchObject({ kind: 'file', mime: 'text/plain', status: 'ready' });
    expect(text.body.attachment.reasons).toBeUndefined();
  });

  it("refuses a newcomer's Windows program named photo.jpg with 415 and what it really is, keeping nothing", async () => {
    const { member, roomId } = await freshRoom();
    const program = windowsProgram();
    const reply = await upload(member, roomId, program, 'photo.jpg');
    expect(reply.status).toBe(415);
    expect(reply.body.error).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED', details: { detected: 'application/x-msdownload' } });
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
    expect(await storedFiles()).not.toContain(sha256(program));
    expect(await stagedFiles()).toEqual([]);
  });

  it("refuses a newcomer's script by its name even when its content is only text", async () => {
    const { member, roomId } = await freshRoom();
    const reply = await upload(member, roomId, 'not really a script', 'tidy.sh');
    expect(reply.status).toBe(415);
    expect(reply.body.error).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED', details: { detected: '.sh' } });
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with 413 and the limit, keeping nothing', async () => {
    const { owner, roomId } = await freshRoom();
    const big = Buffer.alloc(MAX_BYTES + 1, 7);
    const reply = await upload(owner, roomId, big, 'big.bin');
    expect(reply.status).toBe(413);
    expect(reply.body.error).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', details: { maxBytes: MAX_BYTES } });
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
    expect(await storedFiles()).not.toContain(sha256(big));
    expect(await stagedFiles()).toEqual([]);
    // Exactly at the limit is fine.
    expect((await upload(owner, roomId, Buffer.alloc(MAX_BYTES, 7), 'edge.bin')).status).toBe(201);
  });

  it('keeps nothing of an upload the client abandons halfway', async () => {
    const { owner, roomId } = await freshRoom();
    const boundary = 'quanzi-test-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const fileSize = 4000;
    const url = new URL(server.url);
    const request = http.request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: `/v1/rooms/${roomId}/attachments`,
      headers: {
        authorization: `Bearer ${owner.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(Buffer.byteLength(head) + fileSize + Buffer.byteLength(tail)),
      },
    });
    request.on('error', () => {});
    request.write(head);
    request.write(Buffer.alloc(fileSize / 2, 1));
    // The server is writing the upload into staging when the client goes away.
    let staged: string[] = [];
    await waitFor(() => {
      void stagedFiles().then((files) => (staged = files));
      return staged.length === 1;
    }, 5_000, 'the upload to be staged');
    request.destroy();
    await waitFor(() => {
      void stagedFiles().then((files) => (staged = files));
      return staged.length === 0;
    }, 5_000, 'the staged upload to be removed');
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
    // The server is fine afterwards.
    expect((await upload(owner, roomId, 'after', 'after.txt')).status).toBe(201);
  });

  it('answers a body that ends inside the file with UPLOAD_INCOMPLETE, keeping nothing', async () => {
    const { owner, roomId } = await freshRoom();
    const boundary = 'quanzi-cut-boundary';
    // The closing boundary never comes: the form ends in the middle of the file.
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\nContent-Type: text/plain\r\n\r\nthe first half of`;
    const response = await fetch(`${server.url}/v1/rooms/${roomId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('UPLOAD_INCOMPLETE');
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
    expect(await stagedFiles()).toEqual([]);
  });

  it('refuses uploads over the room quota and over the uploader quota with STORAGE_QUOTA_EXCEEDED', async () => {
    const { owner, roomId } = await freshRoom();
    for (let i = 0; i < 3; i += 1) expect((await upload(owner, roomId, Buffer.alloc(MAX_BYTES, i + 1), `part${i}.bin`)).status).toBe(201);
    const overRoom = await upload(owner, roomId, 'x', 'one-more.txt');
    expect(overRoom.status).toBe(413);
    expect(overRoom.body.error).toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED', details: { scope: 'room', quotaBytes: ROOM_QUOTA, usedBytes: ROOM_QUOTA } });

    // The same person in another room: their own quota is 4 files, 3 are used.
    const other = await createRoom(server.url, owner);
    expect((await upload(owner, other.id, Buffer.alloc(MAX_BYTES, 9), 'fourth.bin')).status).toBe(201);
    const overUser = await upload(owner, other.id, 'x', 'fifth.txt');
    expect(overUser.status).toBe(413);
    expect(overUser.body.error).toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED', details: { scope: 'user', quotaBytes: USER_QUOTA, usedBytes: USER_QUOTA } });
    expect(await rowsOfRoom(other.id)).toHaveLength(1);
  });

  it('refuses a non-member with 403 NOT_A_MEMBER and a missing room with 404', async () => {
    const { roomId } = await freshRoom();
    const stranger = await signUp(server.url);
    const reply = await upload(stranger, roomId, PNG_1X1, 'p.png');
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('NOT_A_MEMBER');
    const missing = await upload(stranger, '00000000-0000-4000-8000-000000000000', PNG_1X1, 'p.png');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ROOM_NOT_FOUND');
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
  });

  it('refuses a muted member with the same code as a muted text message, and everyone but staff under mute-all', async () => {
    const { owner, member, roomId } = await freshRoom();
    expect((await call(server.url, 'POST', `/v1/rooms/${roomId}/members/${member.id}/mute`, { token: owner.token, body: { durationSeconds: 600 } })).status).toBe(200);
    const text = await postMessage(server.url, member, roomId, 'hello');
    const file = await upload(member, roomId, 'hello', 'hello.txt');
    expect(text.body.error.code).toBe('MUTED');
    expect(file.status).toBe(text.status);
    expect(file.body.error.code).toBe(text.body.error.code);
    expect(file.body.error.details).toEqual(text.body.error.details);

    const { owner: owner2, member: member2, roomId: room2 } = await freshRoom();
    expect((await call(server.url, 'PUT', `/v1/rooms/${room2}/mute-all`, { token: owner2.token, body: { enabled: true } })).status).toBe(200);
    const refused = await upload(member2, room2, 'hello', 'hello.txt');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('MUTE_ALL_ACTIVE');
    expect((await upload(owner2, room2, 'hello', 'hello.txt')).status).toBe(201);
    expect(await rowsOfRoom(roomId)).toHaveLength(0);
  });

  it('answers a request without a file part with VALIDATION_FAILED', async () => {
    const { owner, roomId } = await freshRoom();
    const wrongField = await upload(owner, roomId, 'x', 'x.txt', 'photo');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file' } });
    const json = await call(server.url, 'POST', `/v1/rooms/${roomId}/attachments`, { token: owner.token, body: { file: 'x' } });
    expect(json.status).toBe(400);
    expect(json.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file' } });
  });

  it('stores the same bytes posted twice once, as two attachments', async () => {
    const { owner, roomId } = await freshRoom();
    const bytes = Buffer.concat([PNG_1X1, Buffer.from('twice')]);
    const first = await upload(owner, roomId, bytes, 'a.png');
    const second = await upload(owner, roomId, bytes, 'b.png');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(first.body.attachment.id).not.toBe(second.body.attachment.id);
    expect(first.body.attachment.sha256).toBe(second.body.attachment.sha256);
    // What is kept is what is served: the picture without the bytes trailing its end.
    expect(first.body.attachment.sha256).toBe(sha256(PNG_1X1));
    expect((await storedFiles()).filter((name) => name === first.body.attachment.sha256)).toHaveLength(1);
    expect(await storedFiles()).not.toContain(sha256(bytes));
    expect(await rowsOfRoom(roomId)).toHaveLength(2);
  });
});

describe('fetching the bytes', () => {
  let owner: TestUser;
  let member: TestUser;
  let roomId: string;
  let png: { id: string; sha256: string };
  const text = '0123456789abcdefghij';
  let textId: string;

  beforeAll(async () => {
    ({ owner, member, roomId } = await freshRoom());
    png = (await upload(owner, roomId, PNG_1X1, 'dot.png')).body.attachment;
    textId = (await upload(owner, roomId, text, 'letters.txt')).body.attachment.id;
  });

  it('serves a member the bytes, typed from the content, with nosniff, a sandbox CSP and the sha256 as ETag', async () => {
    const response = await fetchBytes(member, png.id);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG_1X1);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(response.headers.get('etag')).toBe(`"${png.sha256}"`);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="dot.png"/);
    const head = await fetch(`${server.url}/v1/attachments/${png.id}`, { method: 'HEAD', headers: { authorization: `Bearer ${member.token}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG_1X1.length));
    expect(head.headers.get('content-type')).toBe('image/png');
  });

  it('answers If-None-Match with the ETag with 304 and no body', async () => {
    const response = await fetchBytes(member, png.id, { 'if-none-match': `"${png.sha256}"` });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
    expect((await fetchBytes(member, png.id, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('serves a byte range with 206 and Content-Range, so a video seeks and a download resumes', async () => {
    const first = await fetchBytes(member, textId, { range: 'bytes=0-9' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-9/${text.length}`);
    expect(await first.text()).toBe('0123456789');
    const rest = await fetchBytes(member, textId, { range: 'bytes=15-' });
    expect(rest.status).toBe(206);
    expect(await rest.text()).toBe('fghij');
    const suffix = await fetchBytes(member, textId, { range: 'bytes=-3' });
    expect(await suffix.text()).toBe('hij');
  });

  it('answers a range outside the file with 416 and the size', async () => {
    const response = await fetchBytes(member, textId, { range: `bytes=${text.length}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${text.length}`);
    expect((await response.json()).error).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE', details: { size: text.length } });
  });

  it('serves HTML and SVG as downloads of plain text, never as a page', async () => {
    for (const [name, body] of [
      ['page.html', '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'],
      ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'],
    ] as const) {
      const uploaded = await upload(owner, roomId, body, name);
      expect(uploaded.body.attachment, name).toMatchObject({ kind: 'file', mime: 'text/plain' });
      const response = await fetchBytes(member, uploaded.body.attachment.id);
      expect(response.headers.get('content-type'), name).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('content-disposition'), name).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
      expect(response.headers.get('content-security-policy'), name).toBe("default-src 'none'; sandbox");
      expect(await response.text()).toBe(body);
    }
  });

  it('gives a non-member, and a missing id, the same 404 ATTACHMENT_NOT_FOUND', async () => {
    const stranger = await signUp(server.url);
    const response = await fetchBytes(stranger, png.id);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('ATTACHMENT_NOT_FOUND');
    const missing = await fetchBytes(member, '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('ATTACHMENT_NOT_FOUND');
    const anonymous = await fetch(`${server.url}/v1/attachments/${png.id}`);
    expect(anonymous.status).toBe(401);
  });

  it('shows a held attachment only to its uploader and the staff who review it', async () => {
    const held = (await upload(member, roomId, PNG_1X1, 'new.png')).body.attachment;
    expect(held.status).toBe('held');
    expect((await fetchBytes(member, held.id)).status).toBe(200);
    expect((await fetchBytes(owner, held.id)).status).toBe(200);
    const bystander = await signUp(server.url);
    await joinRoom(server.url, bystander, roomId);
    const other = await fetchBytes(bystander, held.id);
    expect(other.status).toBe(409);
    expect((await other.json()).error).toMatchObject({ code: 'ATTACHMENT_NOT_READY', details: { status: 'held' } });
  });
});

describe('start-up and the API description', () => {
  it('removes staged files a crashed gateway left behind, and keeps ones a running upload may still be writing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'quanzi-attachments-sweep-'));
    try {
      await mkdir(path.join(dir, 'tmp'));
      const abandoned = path.join(dir, 'tmp', 'abandoned.part');
      const recent = path.join(dir, 'tmp', 'recent.part');
      await writeFile(abandoned, 'half an upload');
      await writeFile(recent, 'an upload in progress');
      const anHourAgo = new Date(Date.now() - 3_600_000);
      await utimes(abandoned, anHourAgo, anHourAgo);
      const gateway = await startTestServer({ embedded: true, env: { MEDIA_DIR: dir } });
      try {
        expect(await readdir(path.join(dir, 'tmp'))).toEqual(['recent.part']);
      } finally {
        await gateway.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describes both routes and the attachment in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as any;
    const upload = doc.paths['/v1/rooms/{roomId}/attachments'].post;
    expect(upload.requestBody?.content ?? {}).toHaveProperty(['multipart/form-data']);
    expect(Object.keys(upload.responses['201'].content['application/json'].schema.properties.attachment.properties)).toEqual(
      expect.arrayContaining(['id', 'roomId', 'kind', 'name', 'mime', 'size', 'sha256', 'status', 'createdAt']),
    );
    const bytes = doc.paths['/v1/attachments/{id}'].get;
    expect(Object.keys(bytes.responses)).toEqual(expect.arrayContaining(['200', '206', '304', '4XX']));
  });
});
