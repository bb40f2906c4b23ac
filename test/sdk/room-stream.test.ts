import { describe, expect, it } from 'vitest';
import { RoomStream } from '../../client/sdk/room-stream.ts';
import type { Message, RoomChange } from '../../shared/schemas.ts';

const ROOM = '11111111-1111-4111-8111-111111111111';
const msg = (seq: number): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  roomId: ROOM,
  seq,
  sender: null,
  kind: 'text',
  text: `m${seq}`,
  replyTo: null,
  clientMsgId: null,
  mentions: [],
  mentionsAll: false,
  data: null,
  recalledAt: null,
  attachments: [],
  createdAt: new Date(0).toISOString(),
});
const change = (position: number): RoomChange => ({ roomId: ROOM, position, kind: 'reactions', payload: { seq: 1, counts: [], userId: ROOM, emoji: '👍', op: 'add' }, createdAt: new Date(0).toISOString() });
const seqs = (messages: Message[]) => messages.map((m) => m.seq);

describe('RoomStream', () => {
  it('delivers in order, drops duplicates and holds early arrivals until the hole is filled', () => {
    const stream = new RoomStream(ROOM, { seq: 3, change: 0 });
    expect(seqs(stream.acceptMessage(msg(2)))).toEqual([]);
    expect(seqs(stream.acceptMessage(msg(4)))).toEqual([4]);
    expect(seqs(stream.acceptMessage(msg(4)))).toEqual([]);
    expect(seqs(stream.acceptMessage(msg(7)))).toEqual([]);
    expect(stream.hasGap).toBe(true);
    expect(seqs(stream.acceptMessage(msg(7)))).toEqual([]);
    expect(seqs(stream.acceptMessage(msg(6)))).toEqual([]);
    expect(seqs(stream.acceptMessage(msg(5)))).toEqual([5, 6, 7]);
    expect(stream.hasGap).toBe(false);
    expect(stream.position).toEqual({ seq: 7, change: 0 });
  });

  it('moves past a seq a sync page left out (a blocked sender\'s): what was held up to the page\'s end is delivered', () => {
    const stream = new RoomStream(ROOM, { seq: 3, change: 0 });
    // Live: 5 and 7 arrive, 4 (from someone I blocked) never will; the sync page is [5, 6, 7, 8].
    expect(seqs(stream.acceptMessage(msg(5)))).toEqual([]);
    expect(seqs(stream.acceptMessage(msg(7)))).toEqual([]);
    for (const seq of [5, 6, 7, 8]) expect(seqs(stream.acceptMessage(msg(seq)))).toEqual([]);
    expect(seqs(stream.settleThrough(8))).toEqual([5, 6, 7, 8]);
    expect(stream.hasGap).toBe(false);
    expect(stream.position.seq).toBe(8);
    // Held beyond the page's end waits for its own turn; a page ending below the cursor changes nothing.
    expect(seqs(stream.acceptMessage(msg(10)))).toEqual([]);
    expect(seqs(stream.settleThrough(8))).toEqual([]);
    expect(seqs(stream.settleThrough(9))).toEqual([10]);
    expect(stream.position.seq).toBe(10);
  });

  it('orders change-feed entries the same way and takes the first one seen as a baseline when unknown', () => {
    const known = new RoomStream(ROOM, { seq: 0, change: 2 });
    expect(known.acceptChange(change(4))).toEqual([]);
    expect(known.hasGap).toBe(true);
    expect(known.acceptChange(change(3)).map((c) => c.position)).toEqual([3, 4]);
    expect(known.acceptChange(change(3))).toEqual([]);

    const unknown = new RoomStream(ROOM, { seq: 0, change: null });
    expect(unknown.acceptChange(change(9)).map((c) => c.position)).toEqual([9]);
    expect(unknown.position.change).toBe(9);
  });

  it('a reset starts over from the new cursor and keeps only what lies beyond it', () => {
    const stream = new RoomStream(ROOM, { seq: 1, change: 0 });
    stream.acceptMessage(msg(5));
    stream.acceptMessage(msg(1500));
    stream.acceptMessage(msg(1502));
    const { messages } = stream.reset({ seq: 1499, change: 10 });
    expect(seqs(messages)).toEqual([1500]);
    expect(stream.position).toEqual({ seq: 1500, change: 10 });
    expect(stream.hasGap).toBe(true);
    expect(seqs(stream.acceptMessage(msg(1501)))).toEqual([1501, 1502]);
  });
});
