/** The SDK's attachment calls against a real gateway: upload, send by id over the socket, the media session, recall. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient, isQuanziError } from '../../client/sdk/index.ts';
import type { Message } from '../../shared/schemas.ts';
import { createRoom, joinRoom, signUp, waitFor, type TestUser } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { PNG_1X1 } from '../media/fixtures.ts';

let server: TestServer;
let owner: TestUser;
let member: TestUser;
const clients: QuanziClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [owner, member] = await Promise.all([signUp(server.url), signUp(server.url)]);
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
});

function client(user: TestUser): QuanziClient {
  const c = new QuanziClient({ baseUrl: server.url, token: user.token });
  clients.push(c);
  return c;
}

describe('QuanziClient attachments', () => {
  it('uploads, sends a photo without text over the socket, and the other member receives it live', async () => {
    const room = await createRoom(server.url, owner);
    await joinRoom(server.url, member, room.id);
    const alice = client(owner);
    const bob = client(member);
    const received: Message[] = [];
    bob.on('message', (m) => received.push(m));
    await Promise.all([alice.start(), bob.start()]);
    await Promise.all([alice.waitUntilConnected(5_000), bob.waitUntilConnected(5_000)]);

    const photo = await alice.rest.uploadAttachment(room.id, new Blob([new Uint8Array(PNG_1X1)]), 'dot.png');
    expect(photo).toEqual(expect.objectContaining({ kind: 'image', mime: 'image/png', status: 'ready', name: 'dot.png' }));
    const { message } = await alice.send(room.id, '', { attachments: [photo.id] });
    expect(message.text).toBe('');
    expect(message.attachments.map((a) => a.id)).toEqual([photo.id]);
    await waitFor(() => received.some((m) => m.seq === message.seq), 5_000, 'the photo reaches Bob');
    expect(received.find((m) => m.seq === message.seq)!.attachments[0]!.id).toBe(photo.id);

    // Sent once: the same upload again is refused with the server's code.
    const again = await alice.send(room.id, '', { attachments: [photo.id] }).catch((e: unknown) => e);
    expect(isQuanziError(again) && again.code).toBe('ATTACHMENT_ALREADY_SENT');
  });

  it('opens and closes the media session (the browser keeps the cookie; the SDK only asks)', async () => {
    const bob = client(member);
    await expect(bob.rest.openMediaSession()).resolves.toBeUndefined();
    await expect(bob.rest.closeMediaSession()).resolves.toBeUndefined();
    const anonymous = new QuanziClient({ baseUrl: server.url });
    const refused = await anonymous.rest.openMediaSession().catch((e: unknown) => e);
    expect(isQuanziError(refused) && refused.code).toBe('UNAUTHENTICATED');
  });
});
