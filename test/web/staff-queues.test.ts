/**
 * What waits for a room's staff (client/web/src/state/staff-queues.ts): counted from the server,
 * a burst of events one look, nothing for someone who is not (or no longer) staff, and no look
 * once the page is left.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StaffQueues } from '../../client/web/src/state/staff-queues.ts';
import { ROOM } from './state-fixtures.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function queues(options: { staff?: () => boolean; requests?: number; held?: number; reported?: number; proposals?: number; server?: Promise<void> } = {}) {
  const looks: string[] = [];
  let answer: () => void = () => {};
  const rest = {
    joinRequests: async (roomId: string) => {
      looks.push(roomId);
      await options.server;
      return Array.from({ length: options.requests ?? 2 });
    },
    reviewQueue: async () => ({ held: Array.from({ length: options.held ?? 1 }), reported: Array.from({ length: options.reported ?? 3 }) }),
  };
  const staff = new StaffQueues({
    rest: rest as never,
    isStaff: options.staff ?? (() => true),
    proposals: async () => Array.from({ length: options.proposals ?? 1 }),
    optional: async (work) => {
      await work();
      answer();
    },
  });
  return { staff, looks, answered: () => new Promise<void>((resolve) => (answer = resolve)) };
}

describe('staff queues', () => {
  it('counts pending join requests, and held plus reported items for review', async () => {
    const { staff, looks } = queues();
    staff.refresh(ROOM);
    await vi.runAllTimersAsync();
    expect(looks).toEqual([ROOM]);
    expect(staff.counts.get(ROOM)).toEqual({ joinRequests: 2, review: 4, proposals: 1 });
  });

  it('a burst of events (a raid of join requests) is one look', async () => {
    const { staff, looks } = queues();
    for (let i = 0; i < 20; i++) staff.refresh(ROOM, 150);
    await vi.advanceTimersByTimeAsync(149);
    expect(looks).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(looks).toEqual([ROOM]);
    // After the look, the next event looks again.
    staff.refresh(ROOM, 150);
    await vi.runAllTimersAsync();
    expect(looks).toEqual([ROOM, ROOM]);
  });

  it('a member who is not staff never looks; one demoted while the look was on its way keeps no counts', async () => {
    const member = queues({ staff: () => false });
    member.staff.refresh(ROOM);
    await vi.runAllTimersAsync();
    expect(member.looks).toEqual([]);

    let staff = true;
    let reply: () => void = () => {};
    const demoted = queues({ staff: () => staff, server: new Promise((resolve) => (reply = resolve)) });
    demoted.staff.refresh(ROOM);
    const answered = demoted.answered();
    await vi.advanceTimersByTimeAsync(0);
    staff = false;
    reply();
    await answered;
    expect(demoted.looks).toEqual([ROOM]);
    expect(demoted.staff.counts.has(ROOM)).toBe(false);
  });

  it('a look scheduled is dropped once the page is left, and a room forgotten loses its counts', async () => {
    const { staff, looks } = queues();
    staff.refresh(ROOM, 300);
    staff.stop();
    await vi.runAllTimersAsync();
    expect(looks).toEqual([]);
    staff.refresh(ROOM);
    await vi.runAllTimersAsync();
    staff.forget(ROOM);
    expect(staff.counts.has(ROOM)).toBe(false);
  });
});
