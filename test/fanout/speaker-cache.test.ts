import { describe, expect, it } from 'vitest';
import { SpeakerCache } from '../../server/domain/speaker-cache.ts';
import type { SpeakerContext } from '../../server/store/members.ts';

const ROOM = '44444444-4444-4444-8444-444444444444';
const USER = '55555555-5555-4555-8555-555555555555';

function speaker(role: SpeakerContext['role'] = 'member', mutedUntil: Date | null = null): SpeakerContext {
  return { role, joinedAt: new Date(0), nickname: null, mutedUntil, room: { muteAll: false, slowModeSeconds: 0, safetyPolicy: null }, alreadyStored: false, alreadyHeld: false };
}

/** A load the test finishes when it wants, counting how often the cache asked for one. */
function controlledLoad() {
  let calls = 0;
  let finish: (value: SpeakerContext | null) => void = () => {};
  const load = () => {
    calls++;
    return new Promise<SpeakerContext | null>((resolve) => (finish = resolve));
  };
  return { load, finish: (value: SpeakerContext | null) => finish(value), calls: () => calls };
}

describe('the speaker cache', () => {
  it('serves a burst of sends from one database read, and tells only the reader it read for its own send', async () => {
    const cache = new SpeakerCache();
    const source = controlledLoad();
    const burst = Array.from({ length: 20 }, () => cache.lookup(ROOM, USER, source.load));
    source.finish(speaker());
    const results = await Promise.all(burst);
    expect(source.calls()).toBe(1);
    expect(results.filter((r) => r.loadedHere)).toHaveLength(1);
    expect(results.every((r) => r.speaker?.role === 'member')).toBe(true);

    const later = await cache.lookup(ROOM, USER, source.load);
    expect(later).toMatchObject({ loadedHere: false, speaker: { role: 'member' } });
    expect(source.calls()).toBe(1);
  });

  it('does not keep what a read found if the facts changed while it was running', async () => {
    const cache = new SpeakerCache();
    const stale = controlledLoad();
    const during = cache.lookup(ROOM, USER, stale.load);
    // A mute lands while the read is in flight: the read saw the member before it.
    cache.forget(ROOM, USER);
    stale.finish(speaker('member', null));
    await during;

    const fresh = controlledLoad();
    const after = cache.lookup(ROOM, USER, fresh.load);
    fresh.finish(speaker('member', new Date(Date.now() + 60_000)));
    expect((await after).speaker?.mutedUntil).not.toBeNull();
    expect(fresh.calls()).toBe(1);
  });

  it('forgets a whole room, and never remembers a non-member', async () => {
    const cache = new SpeakerCache();
    await cache.lookup(ROOM, USER, async () => speaker('admin'));
    cache.forget(ROOM, null);
    const reread = controlledLoad();
    const lookup = cache.lookup(ROOM, USER, reread.load);
    reread.finish(null);
    expect(await lookup).toEqual({ speaker: null, loadedHere: true });
    const again = controlledLoad();
    const second = cache.lookup(ROOM, USER, again.load);
    again.finish(speaker());
    await second;
    expect(again.calls()).toBe(1);
  });
});
