/** Uploading files and sending them in messages through the real HTTP interface, for attachment tests. */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { call, uniqueName, type TestUser } from './clients.ts';

export async function upload(baseUrl: string, user: TestUser, roomId: string, bytes: Buffer | string, name: string): Promise<any> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const response = await fetch(`${baseUrl}/v1/rooms/${roomId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${JSON.stringify(body)}`);
  return body.attachment;
}

/** Sends a message carrying these attachments (the text is its caption, and may be empty). */
export async function sendAttachments(baseUrl: string, user: TestUser, roomId: string, ids: string[], text = ''): Promise<{ seq: number; message: any }> {
  const reply = await call(baseUrl, 'POST', `/v1/rooms/${roomId}/messages`, { token: user.token, body: { text, clientMsgId: uniqueName('m'), attachments: ids } });
  if (reply.status !== 201) throw new Error(`send failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { seq: reply.body.message.seq as number, message: reply.body.message };
}

/**
 * A valid PNG whose pixels (and so stored bytes, even once a picture is re-encoded without its
 * metadata) differ by `n`: one pixel of a colour taken from n's hash, 1 to 64 pixels wide.
 */
export function png(n: number | string): Buffer {
  const seed = createHash('sha256').update(String(n)).digest();
  const width = 1 + (seed[3]! % 64);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([seed[0]!, seed[1]!, seed[2]!], 1 + x * 3);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(row)), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** The start of an MP4 (an ftyp box of brand isom), enough for the type to be detected. */
export function mp4(n: number | string): Buffer {
  const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
  return Buffer.concat([ftyp, Buffer.alloc(64), Buffer.from(`quanzi-${n}`)]);
}

/** A WAV file: a RIFF/WAVE header and a little silence. */
export function wav(n: number | string): Buffer {
  const tail = Buffer.from(`quanzi-${n}`);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + tail.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(tail.length, 40);
  return Buffer.concat([header, tail]);
}
