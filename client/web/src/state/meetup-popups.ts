/**
 * The popups about meetups that come to me wherever I am in the app: a reminder before a meetup I
 * am going to (`event:reminder`, 24 h and 1 h before, with the exact place), and what the staff
 * decided about a meetup I proposed (`review:decided` of kind `eventProposal`). Each stays until
 * dismissed or opened; the same reminder or decision arriving twice (a rare repeat after a
 * gateway failure) is shown once.
 */
import type { MeetupReminderEvent } from '../../../../shared/events.ts';

export type MeetupPopup =
  | ({ id: string; kind: 'reminder' } & MeetupReminderEvent)
  /** sent: my proposal went to the staff; approved or rejected: what they decided. */
  | { id: string; kind: 'proposal'; roomId: string; eventId: string; title: string; status: 'sent' | 'approved' | 'rejected'; reason: string | null };

/** At most this many at once: the oldest give way (a reminder is also in the room's timeline). */
const MAX_SHOWN = 3;

export class MeetupPopups {
  shown: MeetupPopup[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly changed: () => void) {}

  reminder(event: MeetupReminderEvent): void {
    this.add({ id: `reminder:${event.eventId}:${event.before}`, kind: 'reminder', ...event });
  }

  decided(event: { roomId: string; eventId: string; title: string; status: 'sent' | 'approved' | 'rejected'; reason?: string | null }): void {
    this.add({ id: `proposal:${event.eventId}:${event.status}`, kind: 'proposal', roomId: event.roomId, eventId: event.eventId, title: event.title, status: event.status, reason: event.reason ?? null });
  }

  dismiss(id: string): void {
    this.shown = this.shown.filter((p) => p.id !== id);
    this.changed();
  }

  private add(popup: MeetupPopup): void {
    if (this.seen.has(popup.id)) return;
    this.seen.add(popup.id);
    this.shown = [...this.shown, popup].slice(-MAX_SHOWN);
    this.changed();
  }
}
