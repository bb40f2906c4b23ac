/**
 * The open room's details and my actions on them (client/web/src/state/room-details.ts): each
 * look on its own, a reaction toggled from what I gave, a pin toggled, a recall shown in place.
 */
import { describe, expect, it } from 'vitest';
import { QuanziError } from '../../client/sdk/index.ts';
import { RoomDetails } from '../../client/web/src/state/room-details.ts';
import { createTimeline, mergeMessages, type Timeline } from '../../client/web/src/state/timeline.ts';
import type { Pin } from '../../shared/schemas.ts';
import { ME, message, OTHER, ROOM } from './state-fixtures.ts';

const pin = (seq: number): Pin => ({ seq, pinnedBy: OTHER, pinnedAt: '2026-12-03T10:00:00.000Z', message: message(seq) });

function details(rest: Record<string, unknown>, members: unknown[] = []) {
  const tl: Timeline = createTimeline(ROOM);
  mergeMessages(tl, [message(1), message(2), message(3)], ME);
  const names = new Map<string, string>();
  const calls: string[] = [];
  const d = new RoomDetails({
    client: { members: async () => members, rest } as never,
    timeline: () => tl,
    names,
    // As the store's: a coded refusal (a missing endpoint) is quiet.
    optional: async (work) => {
      try {
        await work();
      } catch (error) {
        if (!(error instanceof QuanziError)) throw error;
      }
    },
    changed: () => void calls.push('changed'),
  });
  return { d, tl, names, calls };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the open room’s details', () => {
  it('each look on opening stands alone: the announcement missing on this server leaves pins, presence and members', async () => {
    const { d, tl, names } = details(
      {
        announcement: async () => {
          throw new QuanziError('NOT_FOUND', 'no such route', { status: 404 });
        },
        pins: async () => ({ pins: [pin(2)], limit: 10 }),
        presence: async () => ({ online: [], count: 0 }),
      },
      [{ user: { id: OTHER, displayName: 'Bo Li' }, nickname: 'Bo', role: 'member' }, { user: { id: ME, displayName: 'Me' }, nickname: null, role: 'owner' }],
    );
    d.loadOnOpen(ROOM);
    await settled();
    expect(tl.announcement).toBeNull();
    expect([...tl.pins]).toEqual([2]);
    expect(tl.presence).toEqual({ online: [], count: 0 });
    expect(tl.members).toHaveLength(2);
    // A member's nickname in the room is the name system messages show.
    expect([names.get(OTHER), names.get(ME)]).toEqual(['Bo', 'Me']);
  });

  it('a reaction I gave is taken back, one I did not is added', async () => {
    const asked: boolean[] = [];
    const { d, tl } = details({ react: async (_r: string, _s: number, _e: string, on: boolean) => (asked.push(on), { reactions: [{ emoji: '👍', count: on ? 2 : 0, mine: on }] }) });
    tl.reactions.set(2, [{ emoji: '👍', count: 1, mine: false }]);
    await d.react(ROOM, 2, '👍');
    await d.react(ROOM, 2, '👍');
    expect(asked).toEqual([true, false]);
    expect(tl.reactions.get(2)).toEqual([{ emoji: '👍', count: 0, mine: false }]);
  });

  it('a pin toggles; a recall shows in place and unpins; reading the announcement marks it read here', async () => {
    const { d, tl } = details({
      pin: async (_r: string, seq: number) => ({ pin: pin(seq), changed: true }),
      unpin: async () => ({ changed: true }),
      recall: async (roomId: string, seq: number) => ({ roomId, seq, recalledAt: '2026-12-03T11:00:00.000Z', recalledBy: ME }),
      markAnnouncementRead: async () => ({}),
    });
    await d.togglePin(ROOM, 3);
    expect(tl.pinList.map((p) => p.seq)).toEqual([3]);
    await d.togglePin(ROOM, 3);
    expect(tl.pins.has(3)).toBe(false);
    await d.togglePin(ROOM, 1);
    await d.recall(ROOM, 1);
    expect(tl.bySeq.get(1)).toMatchObject({ text: '', recalledBy: ME });
    expect(tl.pins.has(1)).toBe(false);
    tl.announcement = { announcement: { text: 'Meet at 8' } as never, readByMe: false };
    await d.markAnnouncementRead(ROOM);
    expect(tl.announcement.readByMe).toBe(true);
  });
});
