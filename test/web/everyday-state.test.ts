/**
 * The web client's everyday state beside the timeline: search results and their highlights
 * (state/search.ts), editing in place (state/message-edits.ts), the edit change applied to the
 * timeline, and where a message may be forwarded (state/forward.ts).
 */
import { describe, expect, it } from 'vitest';
import type { HistoryQuery, Message, Room, RoomChange, SearchResponse } from '../../shared/schemas.ts';
import { forwardOutcome, forwardTargets } from '../../client/web/src/state/forward.ts';
import { HistoryWindows } from '../../client/web/src/state/history-window.ts';
import { MessageEdits } from '../../client/web/src/state/message-edits.ts';
import { MessageSearch, excerpt, highlightParts } from '../../client/web/src/state/search.ts';
import { ME, ROOM, message as fixtureMessage } from './state-fixtures.ts';
import { applyChange, createTimeline, mergeMessages, newestKnown, type Timeline } from '../../client/web/src/state/timeline.ts';

const NOW = Date.parse('2026-12-04T10:00:00.000Z');

/** A message of mine (most of these tests edit or forward their own). */
const message = (seq: number, fields: Partial<Message> = {}): Message =>
  fixtureMessage(seq, { sender: { id: ME, displayName: 'Mei', kind: 'user' }, createdAt: '2026-12-04T09:00:00.000Z', ...fields });

const toWireError = (error: unknown) => error as { code: string; message: string; details?: Record<string, unknown> };

describe('search highlights', () => {
  it('cuts the text at the matched spans, in UTF-16 units', () => {
    expect(highlightParts('我喜欢胶片摄影', [{ start: 5, end: 7 }])).toEqual([
      { text: '我喜欢胶片', hit: false },
      { text: '摄影', hit: true },
    ]);
    expect(highlightParts('Film is film', [{ start: 0, end: 4 }, { start: 8, end: 12 }]).map((p) => p.hit)).toEqual([true, false, true]);
    expect(highlightParts('no marks', [])).toEqual([{ text: 'no marks', hit: false }]);
  });

  it('never trusts spans out of range or overlapping', () => {
    expect(highlightParts('short', [{ start: 3, end: 99 }, { start: 2, end: 4 }, { start: 50, end: 60 }])).toEqual([
      { text: 'sho', hit: false },
      { text: 'rt', hit: true },
    ]);
  });

  it('shows a late match with a little context before it', () => {
    const text = `${'x'.repeat(100)} darkroom`;
    const shown = excerpt(text, [{ start: 101, end: 109 }], 10);
    expect(shown.text.startsWith('…')).toBe(true);
    const hit = highlightParts(shown.text, shown.highlights).find((p) => p.hit);
    expect(hit?.text).toBe('darkroom');
  });
});

describe('message search', () => {
  it('pages a room with before = the last seq, and all rooms with the next cursor; answers to a replaced query are dropped', async () => {
    const asked: unknown[] = [];
    const page = (seqs: number[], hasMore: boolean, next?: string | null): SearchResponse => ({ results: seqs.map((s) => ({ message: message(s), highlights: [] })), hasMore, ...(next !== undefined ? { next } : {}) });
    const search = new MessageSearch({
      searchRoom: async (_roomId, query) => (asked.push(query), query.before ? page([3], false) : page([9, 7], true)),
      search: async (query) => (asked.push(query), query.before ? page([2], false, null) : page([8], true, 'cursor-1')),
      toWireError,
    });
    await search.run('film', 'room', ROOM);
    await search.more();
    expect(search.results.map((r) => r.message.seq)).toEqual([9, 7, 3]);
    expect(search.hasMore).toBe(false);
    expect(asked[1]).toMatchObject({ q: 'film', before: 7 });

    await search.run('film', 'all', ROOM);
    expect(search.hasMore).toBe(true);
    await search.more();
    expect(asked.at(-1)).toMatchObject({ before: 'cursor-1' });
    expect(search.results.map((r) => r.message.seq)).toEqual([8, 2]);

    // A query of separators only finds nothing and asks nothing.
    const before = asked.length;
    await search.run(' ,. ', 'room', ROOM);
    expect(asked.length).toBe(before);
    expect(search.results).toEqual([]);
  });

  it('follows an edit of a shown result and drops a recalled one', async () => {
    const search = new MessageSearch({ searchRoom: async () => ({ results: [{ message: message(4, { text: 'old film' }), highlights: [{ start: 4, end: 8 }] }], hasMore: false }), search: async () => ({ results: [], hasMore: false }), toWireError });
    await search.run('film', 'room', ROOM);
    search.update(message(4, { text: 'new film text' }));
    expect(search.results[0]).toEqual({ message: expect.objectContaining({ text: 'new film text' }), highlights: [] });
    search.update(message(4, { text: '', recalledAt: '2026-12-04T10:00:00.000Z' }));
    expect(search.results).toEqual([]);
    await search.run('film', 'room', ROOM);
    search.forget(ROOM, 4);
    expect(search.results).toEqual([]);
  });
});

describe('editing in place', () => {
  function edits(timeline: Timeline, edit: (text: string) => Promise<Message>) {
    let changes = 0;
    const state = new MessageEdits({
      myId: () => ME,
      timeline: () => timeline,
      edit: (_roomId, _seq, text) => edit(text),
      versions: async () => ({ message: message(1), versions: [] }),
      toWireError,
      changed: () => changes++,
    });
    return { state, changes: () => changes };
  }

  it('offers editing my own text messages within the window only', () => {
    const { state } = edits(createTimeline(ROOM), async () => message(1));
    const now = NOW;
    expect(state.canEdit(message(1), now)).toBe(true);
    expect(state.canEdit(message(1, { sender: { id: 'someone-else', displayName: 'Bo', kind: 'user' } }), now)).toBe(false);
    expect(state.canEdit(message(1, { kind: 'system' }), now)).toBe(false);
    expect(state.canEdit(message(1, { recalledAt: '2026-12-04T09:30:00.000Z' }), now)).toBe(false);
    expect(state.canEdit(message(1, { forwardedFrom: { roomId: ROOM, roomName: 'x', seq: 1, sender: null, createdAt: '2026-12-04T09:00:00.000Z' } }), now)).toBe(false);
    expect(state.canEdit(message(1, { createdAt: '2026-12-03T09:00:00.000Z' }), now)).toBe(false);
  });

  it('a saved edit replaces the message; a refusal keeps the editor with the reason and learns the window', async () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1, { text: 'before' })], ME);
    let refuse: unknown = null;
    const { state } = edits(tl, async (text) => {
      if (refuse) throw refuse;
      return message(1, { text, editedAt: '2026-12-04T10:00:00.000Z' });
    });
    state.start(tl.bySeq.get(1)!);
    refuse = { code: 'BLOCKED_BY_SAFETY', message: 'blocked', details: { reasons: [{ code: 'PROBATION_LINK', message: '' }] } };
    expect(await state.save('https://example.com')).toBe(false);
    expect(state.editing?.error?.code).toBe('BLOCKED_BY_SAFETY');
    expect(tl.bySeq.get(1)!.text).toBe('before');

    refuse = null;
    expect(await state.save('after')).toBe(true);
    expect(state.editing).toBeNull();
    expect(tl.bySeq.get(1)).toMatchObject({ text: 'after', editedAt: '2026-12-04T10:00:00.000Z' });

    state.start(tl.bySeq.get(1)!);
    refuse = { code: 'EDIT_WINDOW_PASSED', message: 'too old', details: { windowSeconds: 60 } };
    await state.save('again');
    expect(state.canEdit(message(2, { createdAt: new Date(NOW - 120_000).toISOString() }), NOW)).toBe(false);
    expect(state.canEdit(message(2, { createdAt: new Date(NOW - 30_000).toISOString() }), NOW)).toBe(true);
  });

  it('the change feed\'s edit replaces the message once, and a recall that came first stays', () => {
    const tl = createTimeline(ROOM);
    mergeMessages(tl, [message(1), message(2, { text: '', recalledAt: '2026-12-04T09:10:00.000Z' })], ME);
    const edit = (position: number, m: Message) => ({ roomId: ROOM, position, kind: 'edit', payload: { seq: m.seq, editedAt: '2026-12-04T10:00:00.000Z', message: m }, createdAt: '2026-12-04T10:00:00.000Z' }) as RoomChange;
    applyChange(tl, edit(1, message(1, { text: 'edited', editedAt: '2026-12-04T10:00:00.000Z' })), ME);
    expect(tl.bySeq.get(1)!.text).toBe('edited');
    applyChange(tl, edit(1, message(1, { text: 'stale copy' })), ME);
    expect(tl.bySeq.get(1)!.text).toBe('edited');
    applyChange(tl, edit(2, message(2, { text: 'edited before the recall' })), ME);
    expect(tl.bySeq.get(2)!.recalledAt).not.toBeNull();
  });
});

describe('forwarding', () => {
  const room = (id: string, name: string, kind: Room['kind'] = 'group') => ({ room: { id, name, kind } as Room });

  it('lists every other room of mine, groups first, DMs by the other person', () => {
    const rooms = [room('a', 'Weekend walks'), room('dm1', '', 'dm'), room(ROOM, 'Here'), room('b', 'Gear swap')];
    const targets = forwardTargets(rooms, ROOM, new Map([['dm1', 'Bo']]));
    expect(targets.map((x) => x.name)).toEqual(['Gear swap', 'Weekend walks', 'Bo']);
    expect(forwardTargets(rooms, ROOM, new Map([['dm1', 'Bo']]), 'WALK').map((x) => x.roomId)).toEqual(['a']);
  });

  it('reads a 202 as held for review', () => {
    expect(forwardOutcome({ message: message(1) }).status).toBe('sent');
    expect(forwardOutcome({ error: { code: 'HELD_FOR_REVIEW', message: 'held' } })).toEqual({ status: 'held', error: { code: 'HELD_FOR_REVIEW', message: 'held' } });
  });
});

describe('a stretch of history far back', () => {
  /** A room of `count` messages, served like GET …/messages. */
  function room(count: number) {
    const all = Array.from({ length: count }, (_, i) => message(i + 1));
    const history = async (_roomId: string, query: HistoryQuery) => {
      const limit = query.limit ?? 50;
      if (query.after !== undefined) {
        const page = all.filter((m) => m.seq > query.after!).slice(0, limit);
        return { messages: page, hasMore: all.some((m) => m.seq > (page.at(-1)?.seq ?? Infinity)) };
      }
      const before = all.filter((m) => query.before === undefined || m.seq < query.before);
      const page = before.slice(-limit);
      return { messages: page, hasMore: before.length > page.length };
    };
    return { all, history };
  }

  function windows(tl: Timeline, history: ReturnType<typeof room>['history']) {
    const backTo: number[] = [];
    const state = new HistoryWindows({
      history,
      reactions: async () => ({}),
      timeline: () => tl,
      loadBackTo: async (_roomId, seq) => (backTo.push(seq), true),
      myId: () => ME,
      setAtBottom: () => {},
      changed: () => {},
    });
    return { state, backTo };
  }

  it('pages back to a near message, opens the history around a far one, and meets the newest again without a gap', async () => {
    const { all, history } = room(1000);
    const tl = createTimeline(ROOM);
    mergeMessages(tl, all.slice(-50), ME);
    tl.loaded = true;
    const { state, backTo } = windows(tl, history);

    await state.reveal(ROOM, 900);
    expect(backTo).toEqual([900]);

    expect(await state.reveal(ROOM, 40)).toBe(true);
    expect(tl.messages[0]!.seq).toBe(15);
    expect(tl.newerAfter).toBe(114);
    // A live message while reading far back waits; it is not appended after the stretch.
    mergeMessages(tl, [message(1001)], ME);
    expect(tl.bySeq.has(1001)).toBe(false);
    // The room list still names it as the room's newest.
    expect(newestKnown(tl)?.seq).toBe(1001);

    for (let i = 0; i < 20 && tl.newerAfter !== null; i++) await state.loadNewer(ROOM);
    expect(tl.newerAfter).toBeNull();
    expect(tl.messages.map((m) => m.seq)).toEqual(Array.from({ length: 1001 - 14 }, (_, i) => i + 15));
  });

  it('"back to the newest" drops the stretch and keeps what arrived meanwhile', async () => {
    const { all, history } = room(600);
    const tl = createTimeline(ROOM);
    mergeMessages(tl, all.slice(-50), ME);
    tl.loaded = true;
    const { state } = windows(tl, history);
    await state.reveal(ROOM, 10);
    mergeMessages(tl, [message(601)], ME);
    await state.backToNewest(ROOM);
    expect(tl.newerAfter).toBeNull();
    expect(tl.messages.at(-1)!.seq).toBe(601);
    expect(tl.messages[0]!.seq).toBe(551);
  });
});
