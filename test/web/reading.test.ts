/**
 * Reading the open room (client/web/src/state/reading.ts): only what I am looking at counts as
 * read, reads in a burst are told once, and the divider keeps where I had read up to on opening.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { READ_REPORT_DELAY_MS, Reading } from '../../client/web/src/state/reading.ts';
import type { RoomEntry } from '../../client/web/src/state/rooms.ts';
import { entry, ROOM } from './state-fixtures.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function reading(e: RoomEntry, options: { open?: string | null; visible?: boolean; newest?: number; server?: { unread: number; unreadMentions: number } } = {}) {
  const reports: Array<[string, number]> = [];
  const page = { open: options.open === undefined ? ROOM : options.open, visible: options.visible ?? true, newest: options.newest ?? 15 };
  const r = new Reading({
    openRoom: () => page.open,
    visible: () => page.visible,
    entry: (roomId) => (roomId === ROOM ? e : undefined),
    newestSeq: () => page.newest,
    report: async (roomId, seq) => (reports.push([roomId, seq]), { roomId, seq, badge: 0, ...(options.server ?? { unread: 0, unreadMentions: 0 }) }),
    changed: () => {},
  });
  return { r, reports, page };
}

describe('reading the open room', () => {
  it('reads up to the newest once for a burst, and takes the server’s counts (other devices included)', async () => {
    const e = entry({ lastReadSeq: 10, unread: 5, unreadMentions: 1 });
    const { r, reports } = reading(e, { server: { unread: 1, unreadMentions: 0 } });
    for (let i = 0; i < 5; i++) r.markReadSoon();
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(READ_REPORT_DELAY_MS);
    expect(reports).toEqual([[ROOM, 15]]);
    expect(e).toMatchObject({ lastReadSeq: 15, unread: 1, unreadMentions: 0 });
  });

  it('tells nothing while scrolled up, in a hidden tab, on another view, or when it is read already', async () => {
    for (const [options, atBottom] of [[{}, false], [{ visible: false }, true], [{ open: null }, true], [{ newest: 10 }, true]] as const) {
      const { r, reports } = reading(entry({ lastReadSeq: 10, unread: 0 }), options);
      r.atBottom = atBottom;
      r.markReadSoon();
      await vi.runAllTimersAsync();
      expect(reports).toEqual([]);
    }
  });

  it('coming back to the bottom reads; leaving the page drops a read not yet told', async () => {
    const { r, reports } = reading(entry({ lastReadSeq: 10, unread: 5 }));
    r.setAtBottom(false);
    expect(r.isReading(ROOM)).toBe(false);
    r.setAtBottom(true);
    await vi.runAllTimersAsync();
    expect(reports).toEqual([[ROOM, 15]]);

    const left = reading(entry({ lastReadSeq: 10, unread: 5 }));
    left.r.markReadSoon();
    left.r.stop();
    await vi.runAllTimersAsync();
    expect(left.reports).toEqual([]);
  });

  it('the divider keeps where I had read up to on opening, after the room is read', async () => {
    const e = entry({ lastReadSeq: 10, unread: 5, unreadMentions: 2 });
    const { r } = reading(e);
    r.opened(ROOM, e);
    r.markReadSoon();
    await vi.runAllTimersAsync();
    expect(e.lastReadSeq).toBe(15);
    expect(r.marks.get(ROOM)).toEqual({ readUpTo: 10, unread: 5, mentions: 2 });
  });
});
