/**
 * Meetups members propose (where the room sets `membersProposeEvents`) as this page knows them:
 * per room, the proposals waiting for the staff — all of them for owner and admins, my own for a
 * member (GET …/events?status=proposed) — re-read when a `review:new` or `review:decided` of kind
 * `eventProposal` says the list moved. Approving and rejecting are the staff's; the approved
 * meetup then arrives in the timeline as a card like any other.
 */
import type { CreateMeetupBody, Meetup } from '../../../../shared/community.ts';
import type { RestClient } from '../../../sdk/rest.ts';

export interface ProposalHooks {
  changed(): void;
}

export class MeetupProposals {
  /** Waiting proposals per room (only rooms whose list this page has read), oldest first. */
  readonly waiting = new Map<string, Meetup[]>();

  constructor(
    private readonly rest: RestClient,
    private readonly hooks: ProposalHooks,
  ) {}

  async load(roomId: string): Promise<Meetup[]> {
    const { events } = await this.rest.call('GET /v1/rooms/:roomId/events', { params: { roomId }, query: { status: 'proposed' } });
    this.waiting.set(roomId, events);
    this.hooks.changed();
    return events;
  }

  /** A notice said the room's proposals changed: re-read them if this page shows them. */
  moved(roomId: string): void {
    if (this.waiting.has(roomId)) void this.load(roomId).catch(() => []);
  }

  /** A member's meetup: it waits for the staff; resolves to it (status `proposed`). */
  async propose(roomId: string, body: CreateMeetupBody): Promise<Meetup> {
    const { event } = await this.rest.call('POST /v1/rooms/:roomId/events', { params: { roomId }, body });
    this.waiting.set(roomId, [...(this.waiting.get(roomId) ?? []).filter((e) => e.id !== event.id), event]);
    this.hooks.changed();
    return event;
  }

  async approve(roomId: string, eventId: string): Promise<void> {
    await this.rest.call('POST /v1/events/:eventId/approve', { params: { eventId } });
    this.drop(roomId, eventId);
  }

  async reject(roomId: string, eventId: string, reason: string): Promise<void> {
    await this.rest.call('POST /v1/events/:eventId/reject', { params: { eventId }, body: reason ? { reason } : {} });
    this.drop(roomId, eventId);
  }

  private drop(roomId: string, eventId: string): void {
    const list = this.waiting.get(roomId);
    if (list) this.waiting.set(roomId, list.filter((e) => e.id !== eventId));
    this.hooks.changed();
  }
}
