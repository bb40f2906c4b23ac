/**
 * A gateway dies (SIGKILL) in the middle of the conversation. Its clients come back through the
 * load balancer to the gateway that is left, retry what was not acknowledged with the same
 * clientMsgId, and catch up; members on the surviving gateway never notice. Everyone ends with
 * exactly the stored sequence, and every send is stored once. Always runs against a real
 * PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or the local defaults).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { QuanziClient } from '../../client/sdk/index.ts';
import type { Message } from '../../shared/schemas.ts';
import { call, createRoom, joinRoom, signUp, sleep, waitFor } from '../helpers/clients.ts';
import { twoGatewaysPerSuite } from '../helpers/process.ts';

/** A TCP load balancer in front of the gateways: each new connection goes to the current target. */
async function startBalancer(firstTarget: string): Promise<{ url: string; routeTo(url: string): void; close(): Promise<void> }> {
  let target = new URL(firstTarget);
  const open = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [downstream, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    }
    downstream.pipe(upstream).pipe(downstream);
    // A dead gateway resets its connections: pass that on, as a real balancer would.
    upstream.on('error', () => downstream.destroy());
    downstream.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routeTo: (url) => (target = new URL(url)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('a gateway killed while members chat', () => {
  const gateways = twoGatewaysPerSuite();

  it('loses nothing acknowledged, stores every retried send once, and leaves every member with the same gap-free sequence', async () => {
    const [doomed, survivor] = gateways();
    const balancer = await startBalancer(doomed.url);
    const [alice, bob] = [await signUp(survivor.url), await signUp(survivor.url)];
    const room = await createRoom(survivor.url, bob, { name: 'Failover' });
    await joinRoom(survivor.url, alice, room.id);
    // A fast scripted exchange: the room's owner lets it past the rate and repetition rules.
    const relaxed = await call(survivor.url, 'PUT', `/v1/rooms/${room.id}/safety`, { token: bob.token, body: { rules: { rate: 'off', flood: 'off' } } });
    expect(relaxed.status).toBe(200);

    const clientFor = (baseUrl: string, token: string) =>
      new QuanziClient({ baseUrl, token, ackTimeoutMs: 2_000, socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 300 } });
    const aliceClient = clientFor(balancer.url, alice.token); // on the doomed gateway, through the balancer
    const bobClient = clientFor(survivor.url, bob.token); // on the survivor, directly
    const delivered = new Map<QuanziClient, Message[]>([
      [aliceClient, []],
      [bobClient, []],
    ]);
    for (const [client, list] of delivered) client.on('message', (m) => m.roomId === room.id && list.push(m));
    const aliceStates: string[] = [];
    aliceClient.on('state', (state) => aliceStates.push(state));
    try {
      for (const client of delivered.keys()) {
        await client.start();
        await client.waitUntilConnected(10_000);
      }
      const startSeq = bobClient.cursorOf(room.id)!.seq; // the join notice came before
      expect(aliceClient.cursorOf(room.id)!.seq).toBe(startSeq);

      // Both talk at once; Alice's sends go through the gateway that is about to die.
      const sendMany = async (client: QuanziClient, who: string) => {
        const results: Message[] = [];
        for (let i = 0; i < 60; i++) {
          results.push((await client.send(room.id, `${who} ${i}`)).message);
          await sleep(10);
        }
        return results;
      };
      const aliceSending = sendMany(aliceClient, 'alice');
      const bobSending = sendMany(bobClient, 'bob');
      await waitFor(() => delivered.get(bobClient)!.some((m) => m.text === 'alice 15'), 15_000, 'Alice to be well under way');
      balancer.routeTo(survivor.url);
      expect(await doomed.stop('SIGKILL')).toBeNull();

      const [aliceAcked, bobAcked] = await Promise.all([aliceSending, bobSending]);
      const lastSeq = (await call(survivor.url, 'GET', `/v1/rooms/${room.id}`, { token: bob.token })).body.room.lastSeq as number;
      for (const list of delivered.values()) await waitFor(() => list.at(-1)?.seq === lastSeq, 15_000, 'every member to catch up');

      // Exactly the stored sequence, once each, for both members.
      const everything = Array.from({ length: lastSeq - startSeq }, (_, i) => startSeq + i + 1);
      for (const list of delivered.values()) expect(list.map((m) => m.seq)).toEqual(everything);
      // Every send was stored once, under the seq its acknowledgement gave.
      const texts = delivered.get(bobClient)!.map((m) => m.text).sort();
      expect(texts).toEqual([...Array.from({ length: 60 }, (_, i) => `alice ${i}`), ...Array.from({ length: 60 }, (_, i) => `bob ${i}`)].sort());
      const bySeq = new Map(delivered.get(bobClient)!.map((m) => [m.seq, m.id]));
      for (const message of [...aliceAcked, ...bobAcked]) expect(bySeq.get(message.seq)).toBe(message.id);
      // Alice really lost her gateway mid-stream and came back through the balancer.
      expect(aliceStates).toContain('reconnecting');
      expect(aliceClient.connectionState).toBe('connected');
    } finally {
      for (const client of delivered.keys()) client.disconnect();
      await balancer.close();
    }
  }, 60_000);
});
