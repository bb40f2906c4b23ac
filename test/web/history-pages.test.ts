/**
 * Paging a room's history (client/web/src/state/history-pages.ts): the timeline stays one run of
 * seqs from the oldest loaded message, one page at a time, and paging back to a message stops
 * where it must.
 */
import { describe, expect, it } from 'vitest';
import { HistoryPages, PAGE } from '../../client/web/src/state/history-pages.ts';
import { createTimeline, mergeMessages, type Timeline } from '../../client/web/src/state/timeline.ts';
import type { HistoryQuery } from '../../shared/schemas.ts';
import { ME, message, ROOM } from './state-fixtures.ts';

/** A room of `newest` messages, served as the server does: newest first pages, `before` pages back. */
function pages(newest: number) {
  const tl: Timeline = createTimeline(ROOM);
  const queries: HistoryQuery[] = [];
  const reactionRanges: Array<[number, number]> = [];
  let changes = 0;
  const history = new HistoryPages({
    history: async (_roomId, query) => {
      queries.push(query);
      const limit = query.limit ?? PAGE;
      const top = Math.min(newest, (query.before ?? newest + 1) - 1);
      const from = Math.max(1, top - limit + 1);
      const messages = top < 1 ? [] : Array.from({ length: top - from + 1 }, (_, i) => message(from + i));
      return { messages, hasMore: from > 1 };
    },
    reactions: async (_roomId, from, to) => (reactionRanges.push([from, to]), {}),
    timeline: () => tl,
    merge: (_roomId, messages) => void mergeMessages(tl, messages, ME),
    optional: async (work) => work(),
    changed: () => void changes++,
  });
  return { history, tl, queries, reactionRanges, changes: () => changes };
}

const run = (tl: Timeline) => [tl.messages[0]?.seq, tl.messages.at(-1)?.seq, tl.messages.length];

describe('history pages', () => {
  it('opening loads the newest page once, with its reactions', async () => {
    const { history, tl, queries, reactionRanges } = pages(120);
    await history.first(ROOM);
    await history.first(ROOM);
    expect(queries).toEqual([{ limit: PAGE }]);
    expect(run(tl)).toEqual([71, 120, 50]);
    expect(tl.hasOlder).toBe(true);
    await Promise.resolve();
    expect(reactionRanges).toEqual([[71, 120]]);
  });

  it('scrolling up pages back from the oldest loaded, one page at a time, until the first message', async () => {
    const { history, tl, queries } = pages(120);
    await history.first(ROOM);
    await Promise.all([history.older(ROOM), history.older(ROOM)]);
    expect(queries.slice(1)).toEqual([{ before: 71, limit: PAGE }]);
    expect(run(tl)).toEqual([21, 120, 100]);
    await history.older(ROOM);
    expect(run(tl)).toEqual([1, 120, 120]);
    expect(tl.hasOlder).toBe(false);
    await history.older(ROOM);
    expect(queries).toHaveLength(3);
    expect(tl.loadingOlder).toBe(false);
  });

  it('nothing is paged before the room was opened, and a room starting at seq 1 has nothing older', async () => {
    const { history, queries, tl } = pages(30);
    await history.older(ROOM);
    expect(queries).toEqual([]);
    await history.first(ROOM);
    expect(tl.hasOlder).toBe(false);
  });

  it('paging back to a message far up keeps one unbroken run, and says whether it got there', async () => {
    const { history, tl } = pages(500);
    await history.first(ROOM);
    expect(await history.backTo(ROOM, 480)).toBe(true);
    expect(await history.backTo(ROOM, 205)).toBe(true);
    const seqs = tl.messages.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    expect(seqs[0]).toBeLessThanOrEqual(205);
    expect(tl.loadingOlder).toBe(false);
    // Before the first message: not there.
    expect(await history.backTo(ROOM, 0)).toBe(false);
  });

  it('paging back gives up while another page is on its way', async () => {
    const { history, tl } = pages(500);
    await history.first(ROOM);
    const older = history.older(ROOM);
    expect(await history.backTo(ROOM, 100)).toBe(false);
    await older;
    expect(tl.bySeq.has(100)).toBe(false);
  });
});
