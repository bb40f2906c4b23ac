/**
 * What waits for a room's staff (owner or admin): pending join requests, the review queue and the
 * meetups members proposed, as
 * the room list's and the panel's badges count them. Counted from the server rather than from the
 * events: a report on an already reported message, or another admin deciding, would otherwise
 * drift. Events in a burst (a raid of join requests) coalesce into one look per room.
 */
import type { RestClient } from '../../../sdk/index.ts';

/** Open items waiting for the room's staff: pending join requests, the review queue and proposed meetups. */
export interface StaffQueue {
  joinRequests: number;
  review: number;
  /** Meetups members proposed, waiting for a decision (the Events section lists them). */
  proposals: number;
}

/** How long after a live event to look, so the events of a burst are counted in one look. */
export const EVENT_LOOK_DELAY_MS = 150;
/** A member joining may mean another admin approved a request (the staff get no event for that): look a little later. */
export const JOINED_LOOK_DELAY_MS = 300;

export interface StaffQueuePorts {
  rest: Pick<RestClient, 'joinRequests' | 'reviewQueue'>;
  /** The room's proposed meetups, read again (the Events section shows the same list); none where the room has no proposals. */
  proposals(roomId: string): Promise<readonly unknown[]>;
  isStaff(roomId: string): boolean;
  /** Runs a look whose endpoint may be missing or refused; tells the page afterwards. */
  optional(work: () => Promise<void>): Promise<void>;
}

export class StaffQueues {
  /** Per room where I am owner or admin: what waits for a decision. */
  readonly counts = new Map<string, StaffQueue>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly ports: StaffQueuePorts) {}

  /** Looks again in `delayMs`, unless a look for the room is already due (that one sees this change too). */
  refresh(roomId: string, delayMs = 0): void {
    if (!this.ports.isStaff(roomId) || this.timers.has(roomId)) return;
    this.timers.set(
      roomId,
      setTimeout(() => {
        this.timers.delete(roomId);
        void this.ports.optional(async () => {
          const [requests, queue, proposals] = await Promise.all([
            this.ports.rest.joinRequests(roomId),
            this.ports.rest.reviewQueue(roomId),
            this.ports.proposals(roomId).catch(() => []),
          ]);
          // Demoted while the look was on its way: the counts are no longer mine to see.
          if (this.ports.isStaff(roomId)) this.counts.set(roomId, { joinRequests: requests.length, review: queue.held.length + queue.reported.length, proposals: proposals.length });
        });
      }, delayMs),
    );
  }

  forget(roomId: string): void {
    this.counts.delete(roomId);
  }

  /** A look scheduled would otherwise call a server being left. */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
