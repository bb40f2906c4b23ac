/**
 * The web client's store: the user's rooms with unread counts, navigation, and the wiring from
 * the SDK's events to the pure parts beside it — one timeline per room (timeline.ts), my unsent
 * messages (outbox.ts), typing notices (typing.ts). Components read it and re-render on
 * `subscribe`; they never talk to the SDK for state themselves.
 */
import type { Static } from 'typebox';
import { QuanziClient, isQuanziError, newClientMsgId, type ClientEvents, type ConnectionState } from '../../../sdk/index.ts';
import type { Message, ReadPosition, Recall, Role, Room, RoomChange, SafetyReasonView, User } from '../../../../shared/schemas.ts';
import type { AttachmentView } from '../media/attachment-view.ts';
import { Outbox, type KeyValueStorage, type PendingMessage } from './outbox.ts';
import { addPin, applyChange, applyPresence, applyRecall, createTimeline, mergeMessages, newestSeq, removePin, resetMessages, setPins, setReactions, type Timeline } from './timeline.ts';
import { TypingNotifier } from './typing.ts';
import { MessageEdits } from './message-edits.ts';
import { MessageSearch } from './search.ts';
import { HistoryWindows } from './history-window.ts';
import { CommunityState } from './community.ts';
import { MeetupPopups } from './meetup-popups.ts';
import { MeetupProposals } from './meetup-proposals.ts';
import { People, type NotificationMode } from './people.ts';
import { DirectMessages } from './dms.ts';

export type { PendingMessage, WireError } from './outbox.ts';
export type { Timeline } from './timeline.ts';

/** Mirrors shared/schemas.ts UNREAD_COUNT_LIMIT (types only are imported into the bundle). */
export const UNREAD_LIMIT = 1000;
/** docs/protocol.md: hide an indicator about 5 s after the last one received. */
const TYPING_SHOWN_MS = 5000;
const PAGE = 50;

export type SafetyReason = Static<typeof SafetyReasonView>;

export interface RoomEntry {
  room: Room;
  role: Role;
  unread: number;
  unreadMentions: number;
  lastReadSeq: number;
  /** 消息免打扰 (people.ts): absent means 'all'. */
  notifications?: NotificationMode;
}

/** Open items waiting for the room's staff: pending join requests and the review queue. */
export interface StaffQueue {
  joinRequests: number;
  review: number;
  /** Meetups members proposed, waiting for a decision (the Events section lists them). */
  proposals: number;
}

/** Why the user lost a room (`room:removed`); rendered in the current language when shown. */
export interface Notice {
  id: number;
  kind: 'kicked' | 'banned' | 'dissolved';
  roomId: string;
  roomName: string;
}

/**
 * Where I had read up to when I opened a room, kept while it stays open: the "new messages"
 * divider and the jumps to the first unread and to the first @me start from it (reading the room
 * moves the read position on at once, so it cannot be read back from the room's entry).
 */
export interface ReadMark {
  readUpTo: number;
  unread: number;
  mentions: number;
}

export type View = { kind: 'home' } | { kind: 'discover' } | { kind: 'create' } | { kind: 'room'; roomId: string } | { kind: 'requests' } | { kind: 'me' };

/** The page's storage, when it has one it may use (tests and private windows may not). */
function pageStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export class ChatStore {
  readonly client: QuanziClient;
  me: User | null = null;
  connection: ConnectionState = 'offline';
  rooms = new Map<string, RoomEntry>();
  timelines = new Map<string, Timeline>();
  view: View = { kind: 'home' };
  /** Per room where I am owner or admin: what waits for a decision (loaded on open, kept live). */
  staffQueues = new Map<string, StaffQueue>();
  /** Rooms taken from me while this page was open, newest last; dismissed by the user. */
  notices: Notice[] = [];
  /** Display names by user id, from member lists and messages: system messages carry ids only. */
  names = new Map<string, string>();
  private noticeId = 0;
  /** When this page last had a message of mine stored, per room (slow mode counts from it). */
  readonly lastSentAt = new Map<string, number>();
  /** Rooms where my join request waits for the staff (kept across reloads, per user). */
  readonly requested = new Set<string>();
  private readonly storage: KeyValueStorage | null;
  /** Per room, where I had read up to when I last opened it. */
  readMarks = new Map<string, ReadMark>();
  /** The user is looking at the newest messages of the open room (so they count as read). */
  atBottom = true;
  signedOut = false;
  /**
   * The media cookie is set (or setting it failed): attachment URLs may be loaded. Before that an
   * `<img>` would load without it and show a broken picture.
   */
  mediaReady = false;
  private listeners = new Set<() => void>();
  private version = 0;
  private readTimer: ReturnType<typeof setTimeout> | null = null;
  private offs: Array<() => void> = [];
  /** My messages not stored yet, per room; unsent ones survive a reload. */
  readonly outbox: Outbox;
  private readonly typingNotices: TypingNotifier;
  /** Editing my messages in place (message-edits.ts) and message search (search.ts). */
  readonly edits: MessageEdits;
  readonly search: MessageSearch;
  /** A stretch of history far back, opened by a jump (history-window.ts). */
  readonly windows: HistoryWindows;
  /** 接龙, polls, meetups, challenges and the rules, as I see them (community.ts). */
  readonly community: CommunityState;
  /** Meetups members propose for the staff to approve (meetup-proposals.ts), and the meetup popups: reminders, decisions (meetup-popups.ts). */
  readonly proposals: MeetupProposals;
  readonly popups: MeetupPopups;
  /** Profiles, blocks, privacy and do-not-disturb (people.ts); DM rooms' people and message requests (dms.ts). */
  readonly people: People;
  readonly dms: DirectMessages;

  constructor(client: QuanziClient, storage: KeyValueStorage | null = pageStorage()) {
    this.client = client;
    this.storage = storage;
    this.outbox = new Outbox(storage, newClientMsgId, () => this.changed());
    this.community = new CommunityState(client.rest, {
      myId: () => this.me?.id ?? null,
      isStaff: (roomId) => this.isStaff(roomId),
      changed: () => this.changed(),
      rulesAccepted: (roomId) => this.retryRefused(roomId, 'RULES_NOT_ACCEPTED'),
    });
    this.proposals = new MeetupProposals(client.rest, { changed: () => this.changed() });
    this.popups = new MeetupPopups(() => this.changed());
    this.typingNotices = new TypingNotifier({
      canSend: () => this.connection === 'connected',
      send: (roomId) => this.client.request('typing', { roomId }).then((ack) => ack.relayed),
    });
    this.edits = new MessageEdits({
      myId: () => this.me?.id ?? null,
      timeline: (roomId) => this.timeline(roomId),
      edit: (roomId, seq, text) =>
        this.connection === 'connected' ? this.client.request('message:edit', { roomId, seq, text }).then((ack) => ack.message) : this.client.rest.editMessage(roomId, seq, text),
      versions: (roomId, seq) => this.client.rest.messageVersions(roomId, seq),
      toWireError: (error) => (isQuanziError(error) ? error.toJSON() : { code: 'INTERNAL', message: String(error) }),
      changed: () => this.changed(),
    });
    this.windows = new HistoryWindows({
      history: (roomId, query) => this.client.history(roomId, query),
      reactions: (roomId, from, to) => this.client.rest.reactionsInRange(roomId, from, to),
      timeline: (roomId) => this.timeline(roomId),
      loadBackTo: (roomId, seq) => this.loadBackTo(roomId, seq),
      myId: () => this.me?.id ?? null,
      setAtBottom: (atBottom) => (this.atBottom = atBottom),
      changed: () => this.changed(),
    });
    this.search = new MessageSearch({
      searchRoom: (roomId, query) => this.client.rest.searchRoom(roomId, query),
      search: (query) => this.client.rest.search(query),
      toWireError: (error) => (isQuanziError(error) ? error.toJSON() : { code: 'INTERNAL', message: String(error) }),
    });
    this.people = new People(this);
    this.dms = new DirectMessages(this);
  }

  // ---- subscription ----

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get revision(): number {
    return this.version;
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  // ---- start and stop ----

  async start(): Promise<void> {
    const c = this.client;
    this.offs.push(
      c.on('state', (state) => {
        // A message request made while this page had no socket (before it connected, or during
        // a drop) had no live event to bring it: the list is read again on every connect.
        if (state === 'connected' && this.connection !== 'connected' && this.me) void this.optional(() => this.dms.load());
        this.connection = state;
        this.changed();
      }),
      c.on('message', (message) => this.onMessage(message)),
      c.on('change', (change) => this.onChange(change)),
      c.on('reset', ({ roomId, messages, hasMore }) => {
        resetMessages(this.timeline(roomId), messages, hasMore, this.me?.id ?? null);
        this.community.forgetRoom(roomId);
        this.merge(roomId, messages);
      }),
      c.on('removed', ({ roomId }) => {
        this.rooms.delete(roomId);
        this.changed();
      }),
      c.on('unauthenticated', () => {
        this.signedOut = true;
        this.changed();
      }),
      c.on('event', (...event) => this.onEvent(...event)),
    );
    const [me] = await Promise.all([c.start(), this.openMediaSession()]);
    this.me = me.user;
    this.outbox.open(me.user.id);
    for (const roomId of this.readRequested()) this.requested.add(roomId);
    for (const room of me.rooms) {
      const { role, joinedAt: _joined, unread, unreadMentions, lastReadSeq, ...plain } = room;
      this.rooms.set(room.id, { room: plain as Room, role, unread: unread ?? 0, unreadMentions: unreadMentions ?? 0, lastReadSeq: lastReadSeq ?? room.lastSeq, notifications: room.notifications });
    }
    this.changed();
    void this.optional(() => this.people.load());
    void this.optional(() => this.dms.load());
  }

  /** Sets the media cookie (docs/protocol.md, "How a browser shows an image"); a refusal leaves plain text links working. */
  private async openMediaSession(): Promise<void> {
    await this.client.rest.openMediaSession().catch(() => {});
    this.mediaReady = true;
    this.changed();
  }

  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
    // A look the staff queue or a meetup had scheduled would otherwise call a server being left.
    for (const timer of this.staffTimers.values()) clearTimeout(timer);
    this.staffTimers.clear();
    this.community.stop();
    this.client.disconnect();
  }

  // ---- navigation ----

  show(view: View): void {
    this.view = view;
    this.atBottom = true;
    this.changed();
    if (view.kind === 'room') void this.openRoom(view.roomId);
  }

  timeline(roomId: string): Timeline {
    let tl = this.timelines.get(roomId);
    if (!tl) this.timelines.set(roomId, (tl = createTimeline(roomId)));
    return tl;
  }

  private async openRoom(roomId: string): Promise<void> {
    const tl = this.timeline(roomId);
    const entry = this.rooms.get(roomId);
    if (!entry) return; // a preview; the view offers to join
    this.readMarks.set(roomId, { readUpTo: entry.lastReadSeq, unread: entry.unread, mentions: entry.unreadMentions });
    if (!tl.loaded) {
      const page = await this.client.history(roomId, { limit: PAGE });
      tl.loaded = true;
      tl.hasOlder = page.hasMore;
      this.merge(roomId, page.messages);
      void this.loadReactions(roomId, page.messages);
    }
    this.markReadSoon();
    // The extras are independent: one failing (or missing on this server) leaves the rest.
    void this.optional(async () => {
      tl.announcement = await this.client.rest.announcement(roomId).then((a) => (a.announcement ? { announcement: a.announcement, readByMe: a.readByMe } : null));
    });
    void this.loadPins(roomId);
    if (this.isStaff(roomId)) void this.refreshStaffQueue(roomId);
    void this.optional(async () => {
      tl.presence = await this.client.rest.presence(roomId);
    });
    void this.loadMembers(roomId);
    void this.optional(async () => {
      await this.community.loadRules(roomId);
    });
  }

  async loadMembers(roomId: string): Promise<void> {
    await this.optional(async () => {
      const members = await this.client.members(roomId);
      this.timeline(roomId).members = members;
      for (const m of members) this.names.set(m.user.id, m.nickname ?? m.user.displayName);
    });
  }

  async loadPins(roomId: string): Promise<void> {
    await this.optional(async () => {
      setPins(this.timeline(roomId), (await this.client.rest.pins(roomId)).pins);
    });
  }

  isStaff(roomId: string): boolean {
    const role = this.rooms.get(roomId)?.role;
    return role === 'owner' || role === 'admin';
  }

  private staffTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * Re-counts what waits for the staff. Counted from the server rather than from the events: a
   * report on an already reported message, or another admin deciding, would otherwise drift.
   * Events in a burst (a raid of join requests) coalesce into one look.
   */
  refreshStaffQueue(roomId: string, delayMs = 0): void {
    if (!this.isStaff(roomId) || this.staffTimers.has(roomId)) return;
    this.staffTimers.set(
      roomId,
      setTimeout(() => {
        this.staffTimers.delete(roomId);
        void this.optional(async () => {
          const [requests, queue, proposals] = await Promise.all([this.client.rest.joinRequests(roomId), this.client.rest.reviewQueue(roomId), this.proposals.load(roomId).catch(() => [])]);
          if (this.isStaff(roomId)) this.staffQueues.set(roomId, { joinRequests: requests.length, review: queue.held.length + queue.reported.length, proposals: proposals.length });
        });
      }, delayMs),
    );
  }

  /** Forgets a room I no longer belong to, and tells me why. */
  private removeRoom(roomId: string, reason: Notice['kind']): void {
    const entry = this.rooms.get(roomId);
    this.rooms.delete(roomId);
    this.timelines.delete(roomId);
    this.staffQueues.delete(roomId);
    this.client.untrack(roomId);
    if (entry) this.notices = [...this.notices.filter((n) => n.roomId !== roomId), { id: ++this.noticeId, kind: reason, roomId, roomName: entry.room.name }];
  }

  dismissNotice(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changed();
  }

  async loadOlder(roomId: string): Promise<void> {
    const tl = this.timeline(roomId);
    if (!tl.loaded || tl.loadingOlder || !tl.hasOlder) return;
    const oldest = tl.messages[0]?.seq;
    if (oldest === undefined || oldest <= 1) {
      tl.hasOlder = false;
      return this.changed();
    }
    tl.loadingOlder = true;
    this.changed();
    try {
      const page = await this.client.history(roomId, { before: oldest, limit: PAGE });
      tl.hasOlder = page.hasMore;
      this.merge(roomId, page.messages);
      void this.loadReactions(roomId, page.messages);
    } finally {
      tl.loadingOlder = false;
      this.changed();
    }
  }

  private async loadReactions(roomId: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await this.optional(async () => {
      setReactions(this.timeline(roomId), await this.client.rest.reactionsInRange(roomId, messages[0]!.seq, messages.at(-1)!.seq));
    });
  }

  /** Runs a request whose endpoint may not exist on this server yet; 404s and 403s are quiet. */
  private async optional(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!isQuanziError(error)) console.error(error);
    }
    this.changed();
  }

  // ---- merging messages ----

  /** Stored messages into the room's timeline; my pending copies of them are done. */
  private merge(roomId: string, messages: Message[]): void {
    const tl = this.timeline(roomId);
    if (mergeMessages(tl, messages, this.me?.id ?? null)) {
      for (const message of messages) if (message.sender && !this.names.has(message.sender.id)) this.names.set(message.sender.id, message.sender.displayName);
      this.outbox.settle(roomId, tl.mine);
    }
    this.changed();
  }

  private onMessage(message: Message): void {
    const tl = this.timeline(message.roomId);
    // Rooms whose history is not loaded yet only keep what arrives after; loading fills the rest.
    this.merge(message.roomId, [message]);
    this.community.onMessage(message);
    const entry = this.rooms.get(message.roomId);
    // A room joined elsewhere (another tab, an approved request, an invite): learn about it.
    if (!entry) void this.refreshRooms();
    if (entry) {
      this.countArrival(entry, message);
      // Membership and settings events change the member list or the room: refresh what is shown.
      const event = message.kind === 'system' ? String(message.data?.event ?? '') : '';
      if (event.startsWith('member.') || event.startsWith('role.') || event === 'owner.transferred') void this.refreshMembership(message.roomId);
      // The member count lives on the room: re-read it when someone comes or goes.
      if (event.startsWith('room.') || /^member\.(joined|left|kicked|banned)$/.test(event)) void this.refreshRoom(message.roomId);
      // Another admin may have approved a request (the staff get no event for that).
      if (event === 'member.joined') this.refreshStaffQueue(message.roomId, 300);
    }
    tl.typing.delete(message.sender?.id ?? '');
    this.changed();
  }

  private onChange(change: RoomChange): void {
    const followUp = applyChange(this.timeline(change.roomId), change, this.me?.id ?? null);
    this.community.applyChange(change);
    if (followUp === 'refresh-room') void this.refreshRoom(change.roomId);
    else if (followUp === 'load-pins') void this.loadPins(change.roomId);
    if (change.kind === 'edit') this.search.update(change.payload.message);
    else if (change.kind === 'recall' || (change.kind === 'hidden' && change.payload.hiddenAt)) this.search.forget(change.roomId, change.payload.seq);
    this.changed();
  }

  private onEvent(...[name, payload]: ClientEvents['event']): void {
    switch (name) {
      case 'typing': {
        const event = payload;
        if (event.user.id === this.me?.id) return;
        this.timeline(event.roomId).typing.set(event.user.id, { name: event.user.displayName, until: Date.now() + TYPING_SHOWN_MS });
        setTimeout(() => this.changed(), TYPING_SHOWN_MS + 50);
        break;
      }
      case 'presence': {
        applyPresence(this.timeline(payload.roomId), payload.userId, payload.online);
        break;
      }
      case 'read': {
        const position = payload;
        const entry = this.rooms.get(position.roomId);
        // Two devices reading at once: events may cross, and the highest position wins.
        if (entry && position.seq >= entry.lastReadSeq) Object.assign(entry, { lastReadSeq: position.seq, unread: position.unread, unreadMentions: position.unreadMentions });
        break;
      }
      case 'message:recalled':
        this.applyRecall(payload);
        break;
      case 'room:removed': {
        // A reason a newer server adds reads as the plainest one.
        this.removeRoom(payload.roomId, payload.reason === 'banned' || payload.reason === 'dissolved' ? payload.reason : 'kicked');
        break;
      }
      case 'join:requested':
        this.refreshStaffQueue(payload.roomId, 150);
        break;
      case 'review:new':
        this.refreshStaffQueue(payload.roomId, 150);
        if (payload.kind === 'signupEntry') this.community.heldChanged(payload.signupId);
        if (payload.kind === 'eventProposal') this.proposals.moved(payload.roomId);
        break;
      case 'review:decided': {
        const event = payload;
        this.refreshStaffQueue(event.roomId, 150);
        if (event.kind === 'signupEntry') {
          if (event.userId === this.me?.id) this.community.lineDecided(event.signupId);
          this.community.heldChanged(event.signupId);
        }
        if (event.kind === 'eventProposal') {
          this.proposals.moved(event.roomId);
          if (event.userId === this.me?.id) this.popups.decided(event);
        }
        if (event.kind !== 'held') break;
        if (event.status === 'approved' && event.message) this.merge(event.roomId, [event.message]);
        else if (event.status === 'rejected') this.outbox.rejectedInReview(event.roomId, event.clientMsgId);
        break;
      }
      case 'event:rsvp':
        this.community.onRsvpNotice(payload);
        break;
      case 'event:reminder':
        this.popups.reminder(payload);
        break;
      case 'dm:request':
        this.dms.onRequest(payload.request);
        break;
      case 'dm:opened':
        this.dms.onOpened(payload.room, payload.peerIds);
        break;
      case 'member:notifications':
        this.people.applyNotifications(payload.roomId, payload.mode);
        break;
      case 'join:decided': {
        this.setRequested(payload.roomId, false);
        if (payload.status === 'approved') void this.refreshRooms();
        break;
      }
      default:
        return;
    }
    this.changed();
  }

  private applyRecall(recall: Recall): void {
    if (applyRecall(this.timeline(recall.roomId), recall)) this.changed();
  }

  /**
   * Loads history back to `seq` so a pinned (or quoted) message far up the room can be shown.
   * Pages back from the oldest loaded message, so the timeline stays one unbroken run of seqs.
   */
  async loadBackTo(roomId: string, seq: number): Promise<boolean> {
    const tl = this.timeline(roomId);
    if (tl.bySeq.has(seq)) return true;
    if (tl.loadingOlder) return false;
    tl.loadingOlder = true;
    try {
      for (let rounds = 0; !tl.bySeq.has(seq) && rounds < 50; rounds++) {
        const oldest = tl.messages[0]?.seq;
        if (!tl.loaded || oldest === undefined || oldest <= seq || !tl.hasOlder) break;
        const page = await this.client.history(roomId, { before: oldest, limit: 100 });
        tl.hasOlder = page.hasMore;
        this.merge(roomId, page.messages);
        void this.loadReactions(roomId, page.messages);
      }
    } finally {
      tl.loadingOlder = false;
      this.changed();
    }
    return tl.bySeq.has(seq);
  }

  /**
   * A message this page received live: it moves the room's newest seq and, unless it is mine or I
   * am reading the room, its unread counts. One the counts already hold (the room's entry was read
   * from the server after the message was stored) is not counted again.
   */
  private countArrival(entry: RoomEntry, message: Message): void {
    if (message.seq <= entry.room.lastSeq) return;
    entry.room = { ...entry.room, lastSeq: message.seq };
    const fromMe = message.sender?.id === this.me?.id;
    if (fromMe || message.kind !== 'text') return;
    if (this.isReading(message.roomId)) this.markReadSoon();
    else {
      entry.unread = Math.min(UNREAD_LIMIT, entry.unread + 1);
      // Under 消息免打扰 'none' only @me alerts, not @all.
      if ((message.mentionsAll && entry.notifications !== 'none') || (this.me && message.mentions.includes(this.me.id))) entry.unreadMentions = Math.min(UNREAD_LIMIT, entry.unreadMentions + 1);
    }
  }

  private refreshingRooms: Promise<void> | null = null;

  /** Re-reads my rooms (with read state) and adds those this page did not know about. */
  refreshRooms(): Promise<void> {
    return (this.refreshingRooms ??= this.optional(async () => {
      const me = await this.client.me();
      for (const room of me.rooms) {
        if (this.rooms.has(room.id)) continue;
        const { role, joinedAt: _joined, unread, unreadMentions, lastReadSeq, ...plain } = room;
        const entry: RoomEntry = { room: plain as Room, role, unread: unread ?? 0, unreadMentions: unreadMentions ?? 0, lastReadSeq: lastReadSeq ?? room.lastSeq, notifications: room.notifications };
        this.rooms.set(room.id, entry);
        // Messages that arrived while the room was being read and are newer than that read.
        for (const message of this.timeline(room.id).messages) this.countArrival(entry, message);
        if (!this.client.cursorOf(room.id)) this.client.track(room.id, { seq: room.lastSeq, change: room.lastChange });
      }
    }).finally(() => (this.refreshingRooms = null)));
  }

  private async refreshRoom(roomId: string): Promise<void> {
    await this.optional(async () => {
      const room = await this.client.getRoom(roomId);
      const entry = this.rooms.get(roomId);
      // lastSeq stays the newest this page has counted: anything newer still arrives live and is counted then.
      if (entry) entry.room = { ...room, lastSeq: entry.room.lastSeq };
    });
  }

  /** My role may have changed (promoted, muted, removed): re-read my rooms and the member list. */
  private async refreshMembership(roomId: string): Promise<void> {
    await this.optional(async () => {
      const me = await this.client.me();
      const fresh = me.rooms.find((r) => r.id === roomId);
      const entry = this.rooms.get(roomId);
      if (!fresh) this.rooms.delete(roomId);
      else if (entry) entry.role = fresh.role;
    });
    if (this.timelines.get(roomId)?.members) await this.loadMembers(roomId);
  }

  // ---- reading ----

  private isReading(roomId: string): boolean {
    return this.view.kind === 'room' && this.view.roomId === roomId && this.atBottom && (typeof document === 'undefined' || document.visibilityState === 'visible');
  }

  setAtBottom(atBottom: boolean): void {
    if (atBottom === this.atBottom) return;
    this.atBottom = atBottom;
    if (atBottom) this.markReadSoon();
  }

  /** Marks the open room read up to its newest message, at most about once a second. */
  markReadSoon(): void {
    if (this.readTimer) return;
    this.readTimer = setTimeout(() => {
      this.readTimer = null;
      if (this.view.kind !== 'room' || !this.isReading(this.view.roomId)) return;
      const roomId = this.view.roomId;
      const entry = this.rooms.get(roomId);
      const newest = newestSeq(this.timeline(roomId));
      if (!entry || newest === 0 || (entry.lastReadSeq >= newest && entry.unread === 0)) return;
      Object.assign(entry, { lastReadSeq: newest, unread: 0, unreadMentions: 0 });
      this.changed();
      const done = (position: ReadPosition) => Object.assign(entry, { unread: position.unread, unreadMentions: position.unreadMentions });
      this.client
        .request('read', { roomId, seq: newest })
        .catch(() => this.client.rest.markRead(roomId, newest))
        .then(done, () => {});
    }, 800);
  }

  // ---- sending ----

  send(roomId: string, text: string, replyTo: number | null, attachments: AttachmentView[] = []): void {
    this.stopTyping();
    const pending = this.outbox.create(roomId, text, replyTo, attachments);
    // Written while reading far back: the message goes where the newest are, and so does the reader.
    void this.windows.backToNewest(roomId);
    this.atBottom = true;
    // Sending jumps to the newest message: what arrived while I was scrolled up is now read.
    this.markReadSoon();
    void this.attempt(pending);
  }

  retry(pending: PendingMessage): void {
    void this.attempt(pending);
  }

  discard(pending: PendingMessage): void {
    this.outbox.discard(pending);
  }

  private async attempt(pending: PendingMessage): Promise<void> {
    // A retry is sent anew: it goes back to the bottom, and stays after what is newest now — the
    // room's newest as this page knows it, even if its history has not finished loading.
    const afterSeq = Math.max(newestSeq(this.timeline(pending.roomId)), this.rooms.get(pending.roomId)?.room.lastSeq ?? 0);
    const stored = await this.outbox.attempt(pending, afterSeq, async (p) => {
      const { message } = await this.client.send(p.roomId, p.text, {
        clientMsgId: p.clientMsgId,
        ...(p.replyTo ? { replyTo: p.replyTo } : {}),
        ...(p.attachments.length > 0 ? { attachments: p.attachments.map((a) => a.id) } : {}),
      });
      return message;
    });
    if (stored) {
      this.lastSentAt.set(pending.roomId, Date.now());
      this.merge(pending.roomId, [stored]);
    } else if (pending.error?.code === 'RULES_NOT_ACCEPTED') this.community.showRules(pending.roomId);
  }

  /** Sends again what the server refused with `code` (now resolved, e.g. the rules accepted). */
  private retryRefused(roomId: string, code: string): void {
    for (const p of this.outbox.of(roomId)) if (p.status === 'failed' && p.error?.code === code) void this.attempt(p);
  }

  /** Tells the room I am typing, at most once per interval (the server's relay limit). */
  typing(roomId: string): void {
    this.typingNotices.typing(roomId);
  }

  /** The composer was emptied or sent: no trailing typing notice. */
  stopTyping(): void {
    this.typingNotices.stop();
  }

  // ---- rooms ----

  async createRoom(fields: { name: string; topic: string; tags: string[]; visibility?: Room['visibility']; preview?: boolean }): Promise<Room> {
    const room = await this.client.createRoom(fields);
    this.rooms.set(room.id, { room, role: 'owner', unread: 0, unreadMentions: 0, lastReadSeq: room.lastSeq });
    this.show({ kind: 'room', roomId: room.id });
    return room;
  }

  /** Joins; resolves to 'requested' when the room wants an admin's approval first. */
  async joinRoom(roomId: string, answer?: string): Promise<'joined' | 'requested'> {
    let reply: Awaited<ReturnType<QuanziClient['joinRoom']>>;
    try {
      reply = await this.client.joinRoom(roomId, answer);
    } catch (error) {
      // Asked before, on another page or before a reload: it is the same request, still waiting.
      if (isQuanziError(error) && error.code === 'JOIN_REQUEST_PENDING') {
        this.setRequested(roomId, true);
        return 'requested';
      }
      throw error;
    }
    if (reply.status === 'requested') {
      this.setRequested(roomId, true);
      return 'requested';
    }
    this.setRequested(roomId, false);
    this.notices = this.notices.filter((n) => n.roomId !== roomId);
    this.rooms.set(roomId, { room: reply.room, role: reply.role ?? 'member', unread: 0, unreadMentions: 0, lastReadSeq: reply.room.lastSeq });
    this.timelines.delete(roomId);
    this.show({ kind: 'room', roomId });
    // The must-read rules, shown on joining (docs/protocol.md, "Must-read rules").
    const rules = 'rules' in reply ? reply.rules : undefined;
    if (rules?.rules) this.community.showRules(roomId, rules);
    return 'joined';
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.client.leaveRoom(roomId);
    this.rooms.delete(roomId);
    this.timelines.delete(roomId);
    this.show({ kind: 'home' });
  }

  async markAnnouncementRead(roomId: string): Promise<void> {
    await this.client.rest.markAnnouncementRead(roomId);
    const tl = this.timeline(roomId);
    if (tl.announcement) tl.announcement = { ...tl.announcement, readByMe: true };
    this.changed();
  }

  async react(roomId: string, seq: number, emoji: string): Promise<void> {
    const mine = this.timeline(roomId).reactions.get(seq)?.find((r) => r.emoji === emoji)?.mine ?? false;
    const result = await this.client.rest.react(roomId, seq, emoji, !mine);
    this.timeline(roomId).reactions.set(seq, result.reactions);
    this.changed();
  }

  async recall(roomId: string, seq: number): Promise<void> {
    this.applyRecall(await this.client.rest.recall(roomId, seq));
  }

  async togglePin(roomId: string, seq: number): Promise<void> {
    const tl = this.timeline(roomId);
    if (tl.pins.has(seq)) {
      await this.client.rest.unpin(roomId, seq);
      removePin(tl, seq);
    } else {
      const { pin } = await this.client.rest.pin(roomId, seq);
      addPin(tl, pin);
    }
    this.changed();
  }

  private requestedKey(): string | null {
    return this.me ? `quanzi.requested.${this.me.id}` : null;
  }

  private readRequested(): string[] {
    const key = this.requestedKey();
    try {
      const saved: unknown = key && this.storage ? JSON.parse(this.storage.getItem(key) ?? '[]') : [];
      return Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }

  private setRequested(roomId: string, waiting: boolean): void {
    if (waiting) this.requested.add(roomId);
    else if (!this.requested.delete(roomId)) return;
    const key = this.requestedKey();
    try {
      if (key && this.storage) this.storage.setItem(key, JSON.stringify([...this.requested]));
    } catch {
      // Storage refused: the page still knows until it closes.
    }
    this.changed();
  }

  /** A room I am now in that this page did not list (a DM opened here or by the other person). */
  adoptRoom(room: Room): void {
    if (this.rooms.has(room.id)) return;
    this.rooms.set(room.id, { room, role: 'member', unread: 0, unreadMentions: 0, lastReadSeq: 0, notifications: 'all' });
    // From seq 0: the first message may be stored already, and sync brings it (and counts it) once.
    if (!this.client.cursorOf(room.id)) this.client.track(room.id, { seq: 0, change: room.lastChange });
    this.changed();
  }

  /** Drops the loaded timelines (their messages are read again on opening), and re-reads the open room's. */
  reloadTimelines(): void {
    this.timelines.clear();
    if (this.view.kind === 'room') void this.openRoom(this.view.roomId);
    this.changed();
  }

  /** My display name changed (PATCH /v1/me). */
  renamed(displayName: string): void {
    if (this.me) this.me = { ...this.me, displayName };
    if (this.me) this.names.set(this.me.id, displayName);
    this.changed();
  }

  /** For the UI after an action that changed the store outside the SDK's events. */
  touch(): void {
    this.changed();
  }

  async signOut(): Promise<void> {
    this.stop();
    // Signing out on purpose takes my unsent messages along (a shared computer keeps none).
    this.outbox.clear();
    await this.client.rest.closeMediaSession().catch(() => {});
    await this.client.signOut().catch(() => {});
    this.signedOut = true;
    this.changed();
  }
}
