import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, waitFor } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { lastChangeOf, record, say, setUpGroup, type GroupFixture } from './message-actions-fixture.ts';

let server: TestServer;
let g: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  g = await setUpGroup(server, 'Pins room');
});
afterAll(() => server?.close());

const pin = (seq: number, token: string) => call(server.url, 'PUT', `/v1/rooms/${g.room.id}/pins/${seq}`, { token });
const unpin = (seq: number, token: string) => call(server.url, 'DELETE', `/v1/rooms/${g.room.id}/pins/${seq}`, { token });
const list = (token: string) => call(server.url, 'GET', `/v1/rooms/${g.room.id}/pins`, { token });

describe('pinned messages', () => {
  it('owner and admins pin up to five; the sixth is refused with PIN_LIMIT_REACHED and changes nothing', async () => {
    const watcher = await connect(server.url, g.member.token);
    const changes = record(watcher, 'room:change');
    const seqs: number[] = [];
    const texts = ['Trail map is in the shared drive', 'Carpool sign-up sheet', 'Gear checklist for beginners', 'Weather station for the ridge', 'First aid refresher notes', 'Photo album from spring'];
    for (const text of texts) seqs.push(await say(server, g.owner, g.room.id, text));

    const first = await pin(seqs[0]!, g.owner.token);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      pin: { seq: seqs[0], pinnedBy: g.owner.id, pinnedAt: expect.any(String), message: expect.objectContaining({ seq: seqs[0], text: 'Trail map is in the shared drive' }) },
      changed: true,
    });
    await waitFor(() => changes.length === 1, 3000, 'pin change');
    expect(changes[0]).toMatchObject({ kind: 'pin', payload: { seq: seqs[0], pinnedBy: g.owner.id, pinnedAt: first.body.pin.pinnedAt } });

    for (const seq of seqs.slice(1, 5)) expect((await pin(seq, g.admin.token)).status).toBe(200);
    // Pinning again is not a new pin.
    expect((await pin(seqs[0]!, g.admin.token)).body.changed).toBe(false);

    const before = await lastChangeOf(server, g.room.id);
    const sixth = await pin(seqs[5]!, g.owner.token);
    expect(sixth.status).toBe(409);
    expect(sixth.body.error).toMatchObject({ code: 'PIN_LIMIT_REACHED', details: { limit: 5 } });
    expect(await lastChangeOf(server, g.room.id)).toBe(before);

    const pins = await list(g.member.token);
    expect(pins.body.limit).toBe(5);
    expect(pins.body.pins.map((p: any) => p.seq)).toEqual(seqs.slice(0, 5).reverse());

    const removed = await unpin(seqs[2]!, g.admin.token);
    expect(removed.body).toEqual({ changed: true });
    await waitFor(() => changes.some((c) => c.kind === 'unpin'), 3000, 'unpin change');
    expect(changes.find((c) => c.kind === 'unpin')).toMatchObject({ payload: { seq: seqs[2], unpinnedBy: g.admin.id } });
    expect((await unpin(seqs[2]!, g.admin.token)).body).toEqual({ changed: false });
    expect((await pin(seqs[5]!, g.owner.token)).status).toBe(200);
    watcher.close();
  });

  it('two staff racing for the last pin slot: exactly one wins', async () => {
    const current = (await list(g.owner.token)).body.pins;
    for (const p of current.slice(0, current.length - 4)) await unpin(p.seq, g.owner.token);
    expect((await list(g.owner.token)).body.pins).toHaveLength(4);
    const a = await say(server, g.owner, g.room.id, 'Route option A: the river path');
    const b = await say(server, g.owner, g.room.id, 'Route option B: over the pass');
    const [first, second] = await Promise.all([pin(a, g.owner.token), pin(b, g.admin.token)]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((await list(g.owner.token)).body.pins).toHaveLength(5);
  });

  it('members may list pins but not pin or unpin; outsiders see nothing', async () => {
    const seq = await say(server, g.owner, g.room.id, 'pin me please');
    const denied = await pin(seq, g.member.token);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'FORBIDDEN', details: { action: 'message.pin' } });
    expect((await unpin(seq, g.member.token)).body.error.code).toBe('FORBIDDEN');
    expect((await list(g.member.token)).status).toBe(200);
    expect((await list(g.outsider.token)).body.error.code).toBe('NOT_A_MEMBER');
    expect((await pin(99_999, g.owner.token)).body.error.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('a recalled message leaves the pins', async () => {
    const pins = (await list(g.owner.token)).body.pins;
    const victim = pins[0];
    const watcher = await connect(server.url, g.other.token);
    const changes = record(watcher, 'room:change');
    expect((await call(server.url, 'POST', `/v1/rooms/${g.room.id}/messages/${victim.seq}/recall`, { token: g.owner.token })).status).toBe(200);
    await waitFor(() => changes.length === 2, 3000, 'recall and unpin changes');
    expect(changes.map((c) => c.kind)).toEqual(['recall', 'unpin']);
    expect(changes[1].payload).toEqual({ seq: victim.seq, unpinnedBy: g.owner.id, reason: 'recalled' });
    expect((await list(g.owner.token)).body.pins.map((p: any) => p.seq)).not.toContain(victim.seq);
    const again = await pin(victim.seq, g.owner.token);
    expect(again.body.error.code).toBe('MESSAGE_RECALLED');
    watcher.close();
  });
});
