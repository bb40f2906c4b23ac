/** The web client's meetup popups: a reminder or a decision shown once however often it arrives, a few at a time, gone when dismissed. */
import { describe, expect, it } from 'vitest';
import { MeetupPopups } from '../../client/web/src/state/meetup-popups.ts';

const reminder = (eventId: string, before: '24h' | '1h' = '1h') => ({
  roomId: 'room-1',
  eventId,
  title: `Walk ${eventId}`,
  startsAt: '2026-12-05T10:00:00.000Z',
  before,
  place: { name: 'the river', area: null, detail: 'Pier 7' },
});

describe('meetup popups', () => {
  it('shows a reminder once, even when the notice comes twice; the 24 h and 1 h ones are two', () => {
    let changes = 0;
    const popups = new MeetupPopups(() => changes++);
    popups.reminder(reminder('a', '24h'));
    popups.reminder(reminder('a', '1h'));
    popups.reminder(reminder('a', '1h'));
    expect(popups.shown.map((p) => p.id)).toEqual(['reminder:a:24h', 'reminder:a:1h']);
    expect(changes).toBe(2);
    popups.dismiss('reminder:a:24h');
    expect(popups.shown.map((p) => p.id)).toEqual(['reminder:a:1h']);
    // Dismissed is dismissed: the same notice again does not bring it back.
    popups.reminder(reminder('a', '24h'));
    expect(popups.shown).toHaveLength(1);
  });

  it('keeps the newest three; a proposal sent, then decided, is two popups', () => {
    const popups = new MeetupPopups(() => {});
    for (const id of ['a', 'b', 'c', 'd']) popups.reminder(reminder(id));
    expect(popups.shown.map((p) => p.eventId)).toEqual(['b', 'c', 'd']);
    popups.decided({ roomId: 'room-1', eventId: 'p', title: 'Picnic', status: 'sent' });
    popups.decided({ roomId: 'room-1', eventId: 'p', title: 'Picnic', status: 'rejected', reason: 'Too soon' });
    expect(popups.shown.slice(-2)).toEqual([
      { id: 'proposal:p:sent', kind: 'proposal', roomId: 'room-1', eventId: 'p', title: 'Picnic', status: 'sent', reason: null },
      { id: 'proposal:p:rejected', kind: 'proposal', roomId: 'room-1', eventId: 'p', title: 'Picnic', status: 'rejected', reason: 'Too soon' },
    ]);
  });
});
