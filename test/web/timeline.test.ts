/**
 * The web client's per-room timeline (client/web/src/state/timeline.ts): the client half of "no
 * gap, no duplicate". Messages reach it from history pages, live delivery, a send's answer and a
 * sync reset, overlapping and in any order; changes may come twice.
 */
import { describe, expect, it } from 'vitest';
import type { Message, RoomChange } from '../../shared/schemas.ts';
import type { PendingMessage } from '../../client/web/src/state/outbox.ts';
import { ME, OTHER, ROOM, message } from './state-fixtures.ts';
import { applyChange, applyPresence, createTimeline, firstMentionOf, firstUnread, mergeMessages, newestSeq, resetMessages, timelineItems, unsettled, type Timeline } from '../../client/web/src/state/timeline.ts';

function change(position: number, kind: RoomChange['kind'], payload: unknown): RoomChange {
  return { roomId: ROOM, position, kind, payload, createdAt: '2026-12-03T10:00:00.000Z' } as RoomChange;
}

function pending(clientMsgId: string, status: PendingMessage['status'], afterSeq: number): PendingMessage {
  return { clientMsgId, roomId: ROOM, text: clientMsgId, replyTo: null, attachments: [], status, error: null, createdAt: '2026-12-03T10:00:00.000Z', afterSeq };
}

const seqs = (tl: Timeline) => tl.messages.map((m) => m.seq);

describe('timeline: merging messages by seq', () => {
  it('keeps one row per seq in seq order, whatever order and however often messages arrive', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(5), message(6)], ME); // live, before history finished
    mergeMessages(tl, [message(1), message(2), message(3), message(4), message(5)], ME); // the history page overlaps
    mergeMessages(tl, [message(6), message(7)], ME); // a sync page repeats one
    expect(seqs(tl)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(tl.bySeq.size).toBe(7);
    expect(newestSeq(tl)).toBe(7);
  });

  it('says whether anything changed, and ignores another room’s messages', () => {
    const tl = createTimeline(ROOM);
    expect(mergeMessages(tl, [], ME)).toBe(false);
    expect(mergeMessages(tl, [message(1, { roomId: OTHER })], ME)).toBe(false);
    expect(tl.messages).toEqual([]);
    expect(mergeMessages(tl, [message(1)], ME)).toBe(true);
  });

  it('never lets an older copy undo a recall that arrived first', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(3, { text: '', recalledAt: '2026-12-03T10:01:00.000Z', recalledBy: OTHER })], ME);
    mergeMessages(tl, [message(3)], ME);
    expect(tl.bySeq.get(3)?.recalledAt).not.toBeNull();
    expect(tl.bySeq.get(3)?.text).toBe('');
  });

  it('knows which stored messages are mine by clientMsgId, so their pending copies settle', () => {
    const tl = createTimeline(ROOM);
    const outbox = [pending('a', 'sending', 0), pending('b', 'sending', 0)];
    mergeMessages(tl, [message(1, { sender: { id: ME, displayName: 'Me', kind: 'user' }, clientMsgId: 'a' })], ME);
    // Someone else's message with the same clientMsgId is not my copy.
    mergeMessages(tl, [message(2, { clientMsgId: 'b' })], ME);
    expect(unsettled(tl, outbox).map((p) => p.clientMsgId)).toEqual(['b']);
  });

  it('starts over on a sync reset: only the server’s page is left', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1), message(2), message(3)], ME);
    resetMessages(tl, [message(40), message(41)], true, ME);
    expect(seqs(tl)).toEqual([40, 41]);
    expect(tl.hasOlder).toBe(true);
    expect(tl.loaded).toBe(true);
  });
});

describe('timeline: the change feed', () => {
  it('applies each change once: a change delivered again (live, then in a sync page) is ignored', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1)], ME);
    const add = change(1, 'reactions', { seq: 1, counts: [{ emoji: '👍', count: 1 }], userId: ME, emoji: '👍', op: 'add' });
    const remove = change(2, 'reactions', { seq: 1, counts: [], userId: ME, emoji: '👍', op: 'remove' });
    applyChange(tl, add, ME);
    applyChange(tl, remove, ME);
    applyChange(tl, add, ME); // the late duplicate must not bring the reaction back
    expect(tl.reactions.get(1)).toEqual([]);
    expect(tl.changePosition).toBe(2);
  });

  it('keeps "mine" on a reaction only from my own add or remove', () => {
    const tl = createTimeline(ROOM);
    applyChange(tl, change(1, 'reactions', { seq: 1, counts: [{ emoji: '👍', count: 1 }], userId: ME, emoji: '👍', op: 'add' }), ME);
    applyChange(tl, change(2, 'reactions', { seq: 1, counts: [{ emoji: '👍', count: 2 }], userId: OTHER, emoji: '👍', op: 'add' }), ME);
    expect(tl.reactions.get(1)).toEqual([{ emoji: '👍', count: 2, mine: true }]);
  });

  it('recalls: the text and files go, and so does the pin', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1, { text: 'secret' })], ME);
    applyChange(tl, change(1, 'pin', { seq: 1, pinnedBy: OTHER, pinnedAt: '2026-12-03T10:00:00.000Z' }), ME);
    expect(tl.pinList.map((p) => p.seq)).toEqual([1]);
    applyChange(tl, change(2, 'recall', { seq: 1, recalledAt: '2026-12-03T10:02:00.000Z', recalledBy: OTHER }), ME);
    expect(tl.bySeq.get(1)?.text).toBe('');
    expect(tl.messages[0]?.recalledBy).toBe(OTHER);
    expect(tl.pins.has(1)).toBe(false);
    expect(tl.pinList).toEqual([]);
  });

  it('asks for the pin list when a pinned message is not loaded, and for the room on a settings change', () => {
    const tl = createTimeline(ROOM);
    expect(applyChange(tl, change(1, 'pin', { seq: 99, pinnedBy: OTHER, pinnedAt: '2026-12-03T10:00:00.000Z' }), ME)).toBe('load-pins');
    expect(tl.pins.has(99)).toBe(true);
    expect(applyChange(tl, change(2, 'room', { muteAll: true }), ME)).toBe('refresh-room');
    expect(applyChange(tl, change(3, 'unpin', { seq: 99, unpinnedBy: OTHER }), ME)).toBe('none');
    expect(tl.pins.has(99)).toBe(false);
  });

  it('hides a reported message and shows it again with its text', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1, { text: '' })], ME);
    applyChange(tl, change(1, 'hidden', { seq: 1, hiddenAt: '2026-12-03T10:00:00.000Z' }), ME);
    expect(tl.hidden.has(1)).toBe(true);
    applyChange(tl, change(2, 'hidden', { seq: 1, hiddenAt: null, message: message(1, { text: 'fine after all' }) }), ME);
    expect(tl.hidden.has(1)).toBe(false);
    expect(tl.bySeq.get(1)?.text).toBe('fine after all');
  });

  it('takes previews and a new announcement (read by me when I wrote it)', () => {
    const tl = createTimeline(ROOM);
    const preview = { url: 'https://example.com', finalUrl: 'https://example.com/', title: 'Example', description: '', siteName: 'example.com', image: null };
    applyChange(tl, change(1, 'preview', { seq: 4, previews: [preview] }), ME);
    expect(tl.previews.get(4)).toEqual([preview]);
    const announcement = { id: OTHER, text: 'Meetup Saturday', author: { id: ME, displayName: 'Me' }, createdAt: '2026-12-03T10:00:00.000Z' };
    applyChange(tl, change(2, 'announcement', { announcement }), ME);
    expect(tl.announcement?.readByMe).toBe(true);
  });

  it('ignores a change for another room', () => {
    const tl = createTimeline(ROOM);
    expect(applyChange(tl, { ...change(1, 'unpin', { seq: 1, unpinnedBy: OTHER }), roomId: OTHER }, ME)).toBe('none');
    expect(tl.changePosition).toBeNull();
  });
});

describe('timeline: reading order with my pending messages', () => {
  it('puts a held, blocked or failed message where I sent it, and those still sending at the bottom', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1), message(2), message(3)], ME);
    const outbox = [pending('sending-1', 'sending', 3), pending('held', 'held', 1), pending('failed', 'failed', 3), pending('sending-2', 'sending', 3)];
    const order = timelineItems(tl, outbox).map((item) => (item.kind === 'message' ? item.message.seq : item.pending.clientMsgId));
    expect(order).toEqual([1, 'held', 2, 3, 'failed', 'sending-1', 'sending-2']);
  });

  it('shows a stored message once, never beside its pending copy', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1, { sender: { id: ME, displayName: 'Me', kind: 'user' }, clientMsgId: 'x' })], ME);
    expect(timelineItems(tl, [pending('x', 'sending', 0)])).toHaveLength(1);
  });
});

describe('timeline: presence', () => {
  it('adds or takes a member from the online list, never twice, once the list was loaded', () => {
    const tl = createTimeline(ROOM);
    expect(applyPresence(tl, OTHER, true)).toBe(false);
    tl.presence = { online: [{ id: ME, displayName: 'Me' }], count: 1 };
    applyPresence(tl, OTHER, true);
    applyPresence(tl, OTHER, true);
    expect(tl.presence.count).toBe(2);
    applyPresence(tl, OTHER, false);
    expect(tl.presence.online.map((u) => u.id)).toEqual([ME]);
  });
});

describe('timeline: where I stopped reading', () => {
  it('finds the first unread message and the first that mentions me, skipping mine and system messages', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(
      tl,
      [
        message(1),
        message(2, { sender: { id: ME, displayName: 'Me', kind: 'user' } }),
        message(3, { kind: 'system', sender: null }),
        message(4),
        message(5, { mentions: [ME] }),
        message(6, { mentionsAll: true }),
      ],
      ME,
    );
    expect(firstUnread(tl, 1, ME)?.seq).toBe(4);
    expect(firstMentionOf(tl, 1, ME)?.seq).toBe(5);
    expect(firstMentionOf(tl, 5, ME)?.seq).toBe(6);
    expect(firstUnread(tl, 6, ME)).toBeNull();
    expect(firstMentionOf(tl, 0, null)).toBeNull();
  });
});
