/**
 * A blocked sender's messages are absent from the blocker's history, sync and sockets, so their
 * seqs never arrive: the SDK's room stream must move past them rather than wait for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuanziClient } from '../../client/sdk/index.ts';
import type { Message } from '../../shared/schemas.ts';
import { call, createRoom, joinRoom, postMessage, signUp, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const clients: QuanziClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
});

describe('SDK: messages after a blocked sender’s', () => {
  it('are delivered live, in order, with the blocked seq skipped', async () => {
    const owner = await signUp(server.url);
    const reader = await signUp(server.url);
    const pest = await signUp(server.url);
    const room = await createRoom(server.url, owner, { name: 'Blocks and streams' });
    await joinRoom(server.url, reader, room.id);
    await joinRoom(server.url, pest, room.id);
    expect((await call(server.url, 'PUT', `/v1/me/blocks/${pest.id}`, { token: reader.token })).status).toBe(204);

    const client = new QuanziClient({ baseUrl: server.url, token: reader.token });
    clients.push(client);
    const delivered: Message[] = [];
    client.on('message', (m) => m.roomId === room.id && m.kind === 'text' && delivered.push(m));
    await client.start();

    const first = (await postMessage(server.url, owner, room.id, 'before')).body.message.seq as number;
    const hidden = (await postMessage(server.url, pest, room.id, 'from the blocked one')).body.message.seq as number;
    const after = (await postMessage(server.url, owner, room.id, 'after')).body.message.seq as number;
    const later = (await postMessage(server.url, owner, room.id, 'later')).body.message.seq as number;
    expect(hidden).toBe(first + 1);

    await waitFor(() => delivered.length >= 3, 10_000, 'the messages after the blocked one');
    expect(delivered.map((m) => [m.seq, m.text])).toEqual([
      [first, 'before'],
      [after, 'after'],
      [later, 'later'],
    ]);
    expect(client.cursorOf(room.id)?.seq).toBe(later);
  });
});
