/** Uploading files and sending them in messages through the real HTTP interface, for attachment tests. */
import { Buffer } from 'node:buffer';
import { call, uniqueName, type TestUser } from './clients.ts';
import { PNG_1X1 } from '../media/fixtures.ts';

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

/** A valid PNG whose bytes (and so sha256) differ by `n`: data after IEND is ignored by decoders. */
export function png(n: number | string): Buffer {
  return Buffer.concat([PNG_1X1, Buffer.from(`quanzi-${n}`)]);
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
