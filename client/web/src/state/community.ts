/**
 * Community items as this page knows them (docs/protocol.md, "Community"): 接龙 lists, polls,
 * meetups and 打卡 challenges, each a card message whose later states arrive on the change feed
 * (the whole item each time), plus what only I see of each — my RSVP and, once confirmed, the
 * meetup's exact place; my vote; my streak; the current period's photo check-ins — and the rooms'
 * must-read rules.
 *
 * The store hands it changes and notices; cards read `cardOf` and the per-user views, and ask
 * for the views they show (`ensure…`). A change older than one already applied to an item is
 * ignored, so a change seen live and again in a sync page counts once.
 */
import type { Message, RoomChange } from '../../../../shared/schemas.ts';
import type { Challenge, Checkin, CreateChallengeBody, HeldSignupEntriesResponse, CreateMeetupBody, CreatePollBody, CreateSignupBody, LeaderboardResponse, Meetup, MeetupViewResponse, Poll, PollViewResponse, RulesResponse, Signup } from '../../../../shared/community.ts';
import type { MeetupRsvpEvent } from '../../../../shared/events.ts';
import type { RestClient } from '../../../sdk/rest.ts';

// Mirrors shared/community.ts (types only are imported into the bundle); the server checks again.
export const LIMITS = { title: 200, description: 4000, entry: 200, option: 100, minOptions: 2, maxOptions: 20, signupCapacity: 10_000, rules: 8000 } as const;

/**
 * The server's standard meeting-safety lines (server/domain/events.ts), in the order it sends
 * them: recognised, they are shown in the reader's language; the owner's own lines follow as written.
 */
export const STANDARD_CHECKLIST = [
  'Meet in a public place.',
  'Tell someone you trust where you are going and when you will be back.',
  "Don't share your home address or other personal details.",
  'Leave if you feel uncomfortable — you owe no one an explanation.',
] as const;

/** The checklist split: which lines are the standard ones (by index), and the owner's own. */
export function splitChecklist(lines: readonly string[]): { standard: number[]; own: string[] } {
  const standard: number[] = [];
  const own: string[] = [];
  for (const line of lines) {
    const at = (STANDARD_CHECKLIST as readonly string[]).indexOf(line);
    if (at >= 0) standard.push(at);
    else own.push(line);
  }
  return { standard, own };
}

export type CommunityItem = { event: 'signup'; signup: Signup } | { event: 'poll'; poll: Poll } | { event: 'event'; meetup: Meetup } | { event: 'challenge'; challenge: Challenge };

/** What I see of a challenge: my run and whether the current period is done. */
export interface MyChallenge {
  streak: number;
  /** The latest period I checked in (null: never). */
  lastPeriod: string | null;
  /** The challenge's current period, as the server counted it. */
  period: string;
}

/** The card of a message of a community kind, from its `data` (null for any other message). */
export function cardData(message: Message): CommunityItem | null {
  const data = message.data as { event?: string } | null;
  if (!data) return null;
  if (message.kind === 'signup' && data.event === 'signup') return data as CommunityItem;
  if (message.kind === 'poll' && data.event === 'poll') return data as CommunityItem;
  if (message.kind === 'event' && data.event === 'event') return data as CommunityItem;
  if (message.kind === 'challenge' && data.event === 'challenge') return data as CommunityItem;
  return null;
}

function itemId(card: CommunityItem): string {
  return card.event === 'signup' ? card.signup.id : card.event === 'poll' ? card.poll.id : card.event === 'event' ? card.meetup.id : card.challenge.id;
}

function roomOf(card: CommunityItem): string {
  return card.event === 'signup' ? card.signup.roomId : card.event === 'poll' ? card.poll.roomId : card.event === 'event' ? card.meetup.roomId : card.challenge.roomId;
}

/** A meetup as every member may see it: the exact place never stays in what all cards read. */
function publicMeetup(meetup: Meetup): Meetup {
  const { detail: _detail, ...place } = meetup.place;
  return { ...meetup, place };
}

export interface CommunityHooks {
  myId(): string | null;
  isStaff(roomId: string): boolean;
  changed(): void;
  /** I accepted a room's rules: what the server refused for want of that may go again. */
  rulesAccepted(roomId: string): void;
}

export class CommunityState {
  /** The newest state of each item from the feed or my own actions, by item id; position: the feed position it came with. */
  private readonly live = new Map<string, { position: number; card: CommunityItem }>();
  readonly meetups = new Map<string, MeetupViewResponse>();
  readonly polls = new Map<string, PollViewResponse>();
  readonly challenges = new Map<string, MyChallenge>();
  /** The current period's photo check-ins per challenge, newest first (the card's thumbnails), kept live. */
  readonly photoCheckins = new Map<string, { period: string; checkins: Checkin[] }>();
  /** Rules per room, as GET …/rules answers (loaded when the room opens, kept live). */
  readonly rules = new Map<string, RulesResponse>();
  /** Upcoming meetups per room (the panel's Events section), soonest first. */
  readonly upcoming = new Map<string, Meetup[]>();
  /** 接龙 lists where my line waits for the staff's review (held by the safety rules), with its text. */
  readonly heldLines = new Map<string, string>();
  /** For the staff: the lines held on each 接龙 list, waiting for their decision. */
  readonly heldFor = new Map<string, HeldSignupEntriesResponse['held']>();
  /** The room whose rules dialog is up (on joining, or after a refusal), if any. */
  rulesPrompt: string | null = null;
  private readonly asked = new Set<string>();
  private readonly refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly rest: RestClient,
    private readonly hooks: CommunityHooks,
  ) {}

  // ---- reading ----

  /** The card as it is now: the newest state from the feed, else the message's own. */
  cardOf(message: Message): CommunityItem | null {
    const data = cardData(message);
    if (!data) return null;
    return this.live.get(itemId(data))?.card ?? data;
  }

  /** Once per item and page: my view of a meetup (my RSVP, the exact place when confirmed). */
  ensureMeetup(eventId: string): void {
    this.once(`event:${eventId}`, () => this.refreshMeetup(eventId));
  }

  ensurePoll(pollId: string): void {
    this.once(`poll:${pollId}`, async () => {
      this.setPoll(await this.rest.call('GET /v1/polls/:id', { params: { id: pollId } }));
    });
  }

  ensureChallenge(challengeId: string): void {
    this.once(`challenge:${challengeId}`, async () => {
      await this.leaderboard(challengeId);
    });
    this.once(`challenge-photos:${challengeId}`, async () => {
      const { period, checkins } = await this.rest.call('GET /v1/challenges/:id/checkins', { params: { id: challengeId }, query: { photos: 'true', limit: 30 } });
      // What arrived live while this was asked for stays.
      this.photoCheckins.set(challengeId, { period, checkins: mergeCheckins(checkins, this.photoCheckins.get(challengeId)) });
    });
  }

  async leaderboard(challengeId: string): Promise<LeaderboardResponse> {
    const board = await this.rest.call('GET /v1/challenges/:id/leaderboard', { params: { id: challengeId } });
    const mine = board.leaders.find((l) => l.user.id === this.hooks.myId());
    this.challenges.set(challengeId, { streak: mine?.streak ?? 0, lastPeriod: mine?.lastPeriod ?? null, period: board.period });
    this.setCard({ event: 'challenge', challenge: board.challenge });
    return board;
  }

  async loadUpcoming(roomId: string): Promise<void> {
    const { events } = await this.rest.call('GET /v1/rooms/:roomId/events', { params: { roomId }, query: { upcoming: 'true' } });
    this.upcoming.set(roomId, events);
    this.hooks.changed();
  }

  /** The owner's own checklist lines (after the standard ones). */
  async ownChecklist(roomId: string): Promise<string[]> {
    const { checklist } = await this.rest.call('GET /v1/rooms/:roomId/events/checklist', { params: { roomId } });
    return splitChecklist(checklist).own;
  }

  async saveChecklist(roomId: string, lines: string[]): Promise<string[]> {
    const { checklist } = await this.rest.call('PUT /v1/rooms/:roomId/events/checklist', { params: { roomId }, body: { lines } });
    return splitChecklist(checklist).own;
  }

  async loadRules(roomId: string): Promise<RulesResponse> {
    const rules = await this.rest.call('GET /v1/rooms/:roomId/rules', { params: { roomId } });
    this.rules.set(roomId, rules);
    this.hooks.changed();
    return rules;
  }

  // ---- the feed and notices ----

  applyChange(change: RoomChange): void {
    switch (change.kind) {
      case 'signup':
        this.setCard({ event: 'signup', signup: change.payload.signup }, change.position);
        break;
      case 'poll':
        this.setCard({ event: 'poll', poll: change.payload.poll }, change.position);
        break;
      case 'event': {
        const { event, op } = change.payload;
        this.setCard({ event: 'event', meetup: event }, change.position);
        this.keepUpcoming(event);
        // My place on the waitlist moves when someone ahead leaves; a cancellation ends my RSVP.
        const mine = this.meetups.get(event.id)?.rsvp?.status;
        if (op === 'cancelled' || mine === 'waitlisted' || (this.hooks.isStaff(event.roomId) && this.meetups.has(event.id))) this.refreshSoon(event.id);
        break;
      }
      case 'challenge': {
        const { challenge, userId, period, streak, checkin } = change.payload;
        this.setCard({ event: 'challenge', challenge }, change.position);
        if (userId === this.hooks.myId()) this.challenges.set(challenge.id, { streak, lastPeriod: period, period });
        if (checkin) this.keepPhotoCheckin(checkin);
        break;
      }
      case 'recall':
        // A recalled photo check-in's message takes its photos off the card too.
        for (const [id, entry] of this.photoCheckins) {
          const kept = entry.checkins.filter((c) => c.message?.seq !== change.payload.seq || !this.inRoom(id, change.roomId));
          if (kept.length !== entry.checkins.length) this.photoCheckins.set(id, { ...entry, checkins: kept });
        }
        break;
      case 'rules': {
        const { rules } = change.payload;
        const before = this.rules.get(change.roomId);
        const exempt = this.hooks.isStaff(change.roomId) || rules.updatedBy.id === this.hooks.myId();
        const acceptedVersion = rules.updatedBy.id === this.hooks.myId() ? rules.version : (before?.acceptedVersion ?? null);
        // The probation's length is not in the change: keep what the room's rules said before.
        this.rules.set(change.roomId, {
          rules,
          acceptedVersion,
          mustAccept: rules.requireAcceptance && !exempt && acceptedVersion !== rules.version,
          ...(before?.probationSeconds !== undefined ? { probationSeconds: before.probationSeconds } : {}),
        });
        break;
      }
      default:
        return;
    }
    this.hooks.changed();
  }

  /** A card message arrived: a new meetup joins the room's upcoming list. */
  onMessage(message: Message): void {
    const card = cardData(message);
    if (card?.event === 'event') this.keepUpcoming(card.meetup);
  }

  /** `event:rsvp`: promoted from the waitlist, or the meetup was cancelled. */
  onRsvpNotice(notice: MeetupRsvpEvent): void {
    void this.refreshMeetup(notice.eventId).catch(() => {});
  }

  /** A sync reset replaced the room's messages: their cards are read from them again. */
  forgetRoom(roomId: string): void {
    for (const [id, entry] of this.live) if (roomOf(entry.card) === roomId) this.live.delete(id);
  }

  // ---- taking part ----

  async rsvp(eventId: string, going: boolean, checklistSeen = false): Promise<void> {
    const answer = await this.rest.call('POST /v1/events/:eventId/rsvp', { params: { eventId }, body: { going, ...(checklistSeen ? { checklistSeen: true } : {}) } });
    const view = this.meetups.get(eventId);
    if (view) this.meetups.set(eventId, { ...view, event: answer.event, rsvp: answer.rsvp, checklistSeen: view.checklistSeen || checklistSeen });
    this.setCard({ event: 'event', meetup: answer.event });
    this.keepUpcoming(answer.event);
    // The attendee list and the exact place follow my new status.
    await this.refreshMeetup(eventId);
  }

  async cancelMeetup(eventId: string): Promise<void> {
    const { event } = await this.rest.call('POST /v1/events/:eventId/cancel', { params: { eventId } });
    this.setCard({ event: 'event', meetup: event });
    this.keepUpcoming(event);
    await this.refreshMeetup(eventId);
  }

  async homeSafe(eventId: string): Promise<void> {
    const { homeSafeAt } = await this.rest.call('POST /v1/events/:eventId/home-safe', { params: { eventId } });
    const view = this.meetups.get(eventId);
    if (view?.rsvp) this.meetups.set(eventId, { ...view, rsvp: { ...view.rsvp, homeSafeAt } });
    this.hooks.changed();
  }

  /** Adds my line; resolves to 'held' when the safety rules keep it for the staff to review first. */
  async addEntry(signupId: string, text: string): Promise<'added' | 'held'> {
    try {
      const { signup } = await this.rest.call('POST /v1/signups/:id/entries', { params: { id: signupId }, body: text ? { text } : {} });
      this.setCard({ event: 'signup', signup });
      return 'added';
    } catch (error) {
      if ((error as { code?: string }).code !== 'HELD_FOR_REVIEW') throw error;
      this.heldLines.set(signupId, text);
      this.hooks.changed();
      return 'held';
    }
  }

  /** Staff: the lines held on a list (once per card; again when a notice says the queue moved). */
  ensureHeld(signupId: string): void {
    this.once(`held:${signupId}`, () => this.loadHeld(signupId));
  }

  /** `review:new` / `review:decided` about a list's held lines: re-read them if this page shows them. */
  heldChanged(signupId: string): void {
    if (this.heldFor.has(signupId)) void this.loadHeld(signupId).catch(() => {});
  }

  async decideHeld(signupId: string, userId: string, verb: 'approve' | 'reject'): Promise<void> {
    const route = verb === 'approve' ? 'POST /v1/signups/:id/held/:userId/approve' : 'POST /v1/signups/:id/held/:userId/reject';
    const { signup } = await this.rest.call(route, { params: { id: signupId, userId } });
    this.setCard({ event: 'signup', signup });
    await this.loadHeld(signupId);
  }

  private async loadHeld(signupId: string): Promise<void> {
    const { held } = await this.rest.call('GET /v1/signups/:id/held', { params: { id: signupId } });
    this.heldFor.set(signupId, held);
    this.hooks.changed();
  }

  /** `review:decided` for my held line: approved, it arrives with the list's change; rejected, it is gone. */
  lineDecided(signupId: string): void {
    if (this.heldLines.delete(signupId)) this.hooks.changed();
  }

  async editEntry(signupId: string, text: string): Promise<void> {
    const { signup } = await this.rest.call('PATCH /v1/signups/:id/entries/mine', { params: { id: signupId }, body: { text } });
    this.setCard({ event: 'signup', signup });
  }

  /** Takes my line off the list (or back from review, while it is held). */
  async removeEntry(signupId: string): Promise<void> {
    const { signup } = await this.rest.call('DELETE /v1/signups/:id/entries/mine', { params: { id: signupId } });
    this.heldLines.delete(signupId);
    this.setCard({ event: 'signup', signup });
  }

  async closeSignup(signupId: string): Promise<void> {
    const { signup } = await this.rest.call('POST /v1/signups/:id/close', { params: { id: signupId } });
    this.setCard({ event: 'signup', signup });
  }

  async vote(pollId: string, optionIds: string[]): Promise<void> {
    this.setPoll(await this.rest.call('POST /v1/polls/:id/votes', { params: { id: pollId }, body: { optionIds } }));
  }

  async closePoll(pollId: string): Promise<void> {
    const { poll } = await this.rest.call('POST /v1/polls/:id/close', { params: { id: pollId } });
    this.setCard({ event: 'poll', poll });
  }

  /** Checks in, with a line and photos (upload ids) when given. */
  async checkIn(challengeId: string, text: string, attachments: string[] = []): Promise<void> {
    const body = { ...(text ? { text } : {}), ...(attachments.length > 0 ? { attachments } : {}) };
    const answer = await this.rest.call('POST /v1/challenges/:id/checkins', { params: { id: challengeId }, body });
    this.challenges.set(challengeId, { streak: answer.streak, lastPeriod: answer.checkin.period, period: answer.checkin.period });
    this.keepPhotoCheckin(answer.checkin);
    this.setCard({ event: 'challenge', challenge: answer.challenge });
  }

  // ---- creating ----

  async createSignup(roomId: string, body: CreateSignupBody): Promise<void> {
    await this.rest.call('POST /v1/rooms/:roomId/signups', { params: { roomId }, body });
  }

  async createPoll(roomId: string, body: CreatePollBody): Promise<void> {
    await this.rest.call('POST /v1/rooms/:roomId/polls', { params: { roomId }, body });
  }

  async createMeetup(roomId: string, body: CreateMeetupBody): Promise<void> {
    const { event } = await this.rest.call('POST /v1/rooms/:roomId/events', { params: { roomId }, body });
    this.keepUpcoming(event);
    this.hooks.changed();
  }

  async createChallenge(roomId: string, body: CreateChallengeBody): Promise<void> {
    await this.rest.call('POST /v1/rooms/:roomId/challenges', { params: { roomId }, body });
  }

  // ---- rules ----

  /** Shows the room's rules (joining, or a refusal for want of accepting them). */
  showRules(roomId: string, rules?: RulesResponse): void {
    if (rules) this.rules.set(roomId, rules);
    this.rulesPrompt = roomId;
    this.hooks.changed();
    if (!rules) void this.loadRules(roomId).catch(() => {});
  }

  closeRules(): void {
    this.rulesPrompt = null;
    this.hooks.changed();
  }

  async acceptRules(roomId: string): Promise<void> {
    const { version } = await this.rest.call('POST /v1/rooms/:roomId/rules/accept', { params: { roomId } });
    const current = this.rules.get(roomId);
    if (current) this.rules.set(roomId, { ...current, acceptedVersion: version, mustAccept: current.rules !== null && current.rules.version !== version });
    this.rulesPrompt = null;
    this.hooks.changed();
    this.hooks.rulesAccepted(roomId);
  }

  async saveRules(roomId: string, text: string, requireAcceptance: boolean): Promise<void> {
    const { rules } = await this.rest.call('PUT /v1/rooms/:roomId/rules', { params: { roomId }, body: { text, requireAcceptance } });
    this.rules.set(roomId, { rules, acceptedVersion: rules.version, mustAccept: false });
    this.hooks.changed();
  }

  /** The page is closing its session: no scheduled re-read goes out after it. */
  stop(): void {
    for (const timer of this.refreshTimers.values()) clearTimeout(timer);
    this.refreshTimers.clear();
  }

  // ---- bookkeeping ----

  private setCard(card: CommunityItem, position?: number): void {
    const id = itemId(card);
    const known = this.live.get(id);
    if (position !== undefined && known && position <= known.position) return;
    const kept = card.event === 'event' ? { event: 'event' as const, meetup: publicMeetup(card.meetup) } : card;
    this.live.set(id, { position: position ?? known?.position ?? 0, card: kept });
    this.hooks.changed();
  }

  /** A photo check-in of the current period joins the card's thumbnails (once, newest first). */
  private keepPhotoCheckin(checkin: Checkin): void {
    if (checkin.attachments.length === 0) return;
    const known = this.photoCheckins.get(checkin.challengeId);
    if (known && known.period > checkin.period) return;
    const same = known?.period === checkin.period ? known : undefined;
    this.photoCheckins.set(checkin.challengeId, { period: checkin.period, checkins: mergeCheckins([checkin], same) });
    this.hooks.changed();
  }

  private inRoom(challengeId: string, roomId: string): boolean {
    const card = this.live.get(challengeId)?.card;
    return card?.event === 'challenge' && card.challenge.roomId === roomId;
  }

  private setPoll(view: PollViewResponse): void {
    this.polls.set(view.poll.id, view);
    this.setCard({ event: 'poll', poll: view.poll });
  }

  private async refreshMeetup(eventId: string): Promise<void> {
    const view = await this.rest.call('GET /v1/events/:eventId', { params: { eventId } });
    this.meetups.set(eventId, view);
    this.setCard({ event: 'event', meetup: view.event });
  }

  /** Re-reads my view of a meetup shortly: a burst of RSVPs makes one request. */
  private refreshSoon(eventId: string): void {
    if (this.refreshTimers.has(eventId)) return;
    this.refreshTimers.set(
      eventId,
      setTimeout(() => {
        this.refreshTimers.delete(eventId);
        void this.refreshMeetup(eventId).catch(() => {});
      }, 200),
    );
  }

  private keepUpcoming(event: Meetup): void {
    const list = this.upcoming.get(event.roomId);
    if (!list) return;
    const over = event.cancelledAt !== null || new Date(event.endsAt ?? event.startsAt).getTime() < Date.now();
    const others = list.filter((e) => e.id !== event.id);
    this.upcoming.set(event.roomId, over ? others : [...others, publicMeetup(event)].sort((a, b) => a.startsAt.localeCompare(b.startsAt)));
  }

  private once(key: string, load: () => Promise<void>): void {
    if (this.asked.has(key)) return;
    this.asked.add(key);
    // A refusal is not asked again on every render; the feed's next change to the item re-reads it.
    load().then(
      () => this.hooks.changed(),
      () => {},
    );
  }
}

/** Check-ins by member and period, once each, newest first. */
function mergeCheckins(fresh: Checkin[], known: { checkins: Checkin[] } | undefined): Checkin[] {
  const byKey = new Map<string, Checkin>();
  for (const c of [...fresh, ...(known?.checkins ?? [])]) byKey.set(`${c.user.id} ${c.period}`, byKey.get(`${c.user.id} ${c.period}`) ?? c);
  return [...byKey.values()].sort((a, b) => (a.checkedAt < b.checkedAt ? 1 : a.checkedAt > b.checkedAt ? -1 : 0));
}
