/**
 * The web client's state, kept in step with the server through the SDK: the user's rooms with
 * unread counts, one timeline per room (history pages + live messages, merged by seq), sends in
 * flight with their outcome, and the live extras (typing, presence, reactions, pins,
 * announcement). Components read it and re-render on `subscribe`; they never talk to the SDK
 * for state themselves.
 */
import type { Static } from 'typebox';
import { QuanziClient, isQuanziError, newClientMsgId, type ClientEvents, type ConnectionState } from '../../sdk/index.ts';
import type { Announcement, LinkPreview, Member, Message, Pin, ReactionCount, ReadPosition, Recall, Role, Room, RoomChange, RoomPresence, SafetyReasonView, User } from '../../../shared/schemas.ts';
import type { AttachmentView } from './media/attachment-view.ts';

/** Mirrors shared/schemas.ts UNREAD_COUNT_LIMIT and TYPING_INTERVAL_MS (types only are imported into the bundle). */
export const UNREAD_LIMIT = 1000;
const TYPING_INTERVAL_MS = 2000;
/** docs/protocol.md: hide an indicator about 5 s after the last one received. */
const TYPING_SHOWN_MS = 5000;
const PAGE = 50;

export type WireError = { code: string; message: string; details?: Record<string, unknown> };
export type SafetyReason = Static<typeof SafetyReasonView>;

export interface PendingMessage {
  clientMsgId: string;
  roomId: string;
  text: string;
  replyTo: number | null;
  /** Uploaded and ready, sent with the text (docs/protocol.md, "Attachments"). */
  attachments: AttachmentView[];
  status: 'sending' | 'failed' | 'held' | 'blocked';
  error: WireError | null;
  createdAt: string;
  /**
   * The newest stored seq in the room when this attempt started. A message still sending stays
   * at the bottom; once held, blocked or failed it keeps this place, so later messages go below it.
   */
  afterSeq: number;
}

/** One row of the timeline: a stored message, or one of mine not (yet) stored. */
export type TimelineItem = { kind: 'message'; message: Message } | { kind: 'pending'; pending: PendingMessage };

/**
 * The timeline in reading order, as WeChat and Telegram show it: stored messages by seq; a
 * held, blocked or failed message of mine where I sent it (after the message that was newest
 * then); messages still sending at the very bottom, in the order written.
 */
export function timelineItems(tl: Timeline): TimelineItem[] {
  const pending = tl.pending.filter((p) => !tl.mine.has(p.clientMsgId));
  const settled = pending.filter((p) => p.status !== 'sending').sort((a, b) => a.afterSeq - b.afterSeq);
  const items: TimelineItem[] = [];
  let next = 0;
  for (const message of tl.messages) {
    while (next < settled.length && settled[next]!.afterSeq < message.seq) items.push({ kind: 'pending', pending: settled[next++]! });
    items.push({ kind: 'message', message });
  }
  while (next < settled.length) items.push({ kind: 'pending', pending: settled[next++]! });
  for (const p of pending) if (p.status === 'sending') items.push({ kind: 'pending', pending: p });
  return items;
}

export interface RoomEntry {
  room: Room;
  role: Role;
  unread: number;
  unreadMentions: number;
  lastReadSeq: number;
}

export interface Timeline {
  roomId: string;
  messages: Message[];
  bySeq: Map<number, Message>;
  /** clientMsgIds of my stored messages, so a pending copy disappears the moment the real one is in. */
  mine: Set<string>;
  loaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  pending: PendingMessage[];
  reactions: Map<number, ReactionCount[]>;
  /** Link preview cards, by message seq (the server's `preview` changes). */
  previews: Map<number, LinkPreview[]>;
  pins: Set<number>;
  /** The pinned messages, newest pin first (GET …/pins, then the pin/unpin changes). */
  pinList: Pin[];
  hidden: Set<number>;
  announcement: { announcement: Announcement; readByMe: boolean } | null;
  presence: RoomPresence | null;
  typing: Map<string, { name: string; until: number }>;
  members: Member[] | null;
}

/** Open items waiting for the room's staff: pending join requests and the review queue. */
export interface StaffQueue {
  joinRequests: number;
  review: number;
}

/** Why the user lost a room (`room:removed`); rendered in the current language when shown. */
export interface Notice {
  id: number;
  kind: 'kicked' | 'banned' | 'dissolved';
  roomId: string;
  roomName: string;
}

export type View = { kind: 'home' } | { kind: 'discover' } | { kind: 'room'; roomId: string };

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
  private lastTypingSent = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private offs: Array<() => void> = [];

  constructor(client: QuanziClient) {
    this.client = client;
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
        this.connection = state;
        this.changed();
      }),
      c.on('message', (message) => this.onMessage(message)),
      c.on('change', (change) => this.onChange(change)),
      c.on('reset', ({ roomId, messages, hasMore }) => {
        const tl = this.timeline(roomId);
        tl.messages = [];
        tl.bySeq.clear();
        tl.mine.clear();
        tl.hasOlder = hasMore;
        tl.loaded = true;
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
    for (const room of me.rooms) {
      const { role, joinedAt: _joined, unread, unreadMentions, lastReadSeq, ...plain } = room;
      this.rooms.set(room.id, { room: plain as Room, role, unread: unread ?? 0, unreadMentions: unreadMentions ?? 0, lastReadSeq: lastReadSeq ?? room.lastSeq });
    }
    this.changed();
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
    if (!tl) {
      tl = {
        roomId,
        messages: [],
        bySeq: new Map(),
        mine: new Set(),
        loaded: false,
        hasOlder: true,
        loadingOlder: false,
        pending: [],
        reactions: new Map(),
        previews: new Map(),
        pins: new Set(),
        pinList: [],
        hidden: new Set(),
        announcement: null,
        presence: null,
        typing: new Map(),
        members: null,
      };
      this.timelines.set(roomId, tl);
    }
    return tl;
  }

  private async openRoom(roomId: string): Promise<void> {
    const tl = this.timeline(roomId);
    if (!this.rooms.has(roomId)) return; // a preview; the view offers to join
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
      const tl = this.timeline(roomId);
      tl.pinList = (await this.client.rest.pins(roomId)).pins;
      tl.pins = new Set(tl.pinList.map((p) => p.seq));
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
          const [requests, queue] = await Promise.all([this.client.rest.joinRequests(roomId), this.client.rest.reviewQueue(roomId)]);
          if (this.isStaff(roomId)) this.staffQueues.set(roomId, { joinRequests: requests.length, review: queue.held.length + queue.reported.length });
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
      const counts = await this.client.rest.reactionsInRange(roomId, messages[0]!.seq, messages.at(-1)!.seq);
      const tl = this.timeline(roomId);
      for (const [seq, list] of Object.entries(counts)) tl.reactions.set(Number(seq), list);
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

  private merge(roomId: string, messages: Message[]): void {
    const tl = this.timeline(roomId);
    let appended = false;
    for (const message of messages) {
      const known = tl.bySeq.get(message.seq);
      // A recall may have reached us before an older copy of the message: keep the recalled one.
      if (known?.recalledAt && !message.recalledAt) continue;
      tl.bySeq.set(message.seq, message);
      if (message.clientMsgId && message.sender?.id === this.me?.id) tl.mine.add(message.clientMsgId);
      if (message.sender && !this.names.has(message.sender.id)) this.names.set(message.sender.id, message.sender.displayName);
      appended = true;
    }
    if (appended) {
      tl.messages = [...tl.bySeq.values()].sort((a, b) => a.seq - b.seq);
      tl.pending = tl.pending.filter((p) => !tl.mine.has(p.clientMsgId));
    }
    this.changed();
  }

  private onMessage(message: Message): void {
    const tl = this.timeline(message.roomId);
    // Rooms whose history is not loaded yet only keep what arrives after; loading fills the rest.
    this.merge(message.roomId, [message]);
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
    const tl = this.timeline(change.roomId);
    switch (change.kind) {
      case 'recall': {
        const { seq, recalledAt, recalledBy } = change.payload;
        this.applyRecall({ roomId: change.roomId, seq, recalledAt, recalledBy });
        break;
      }
      case 'reactions': {
        const { seq, counts, userId, emoji: changed, op } = change.payload;
        const before = tl.reactions.get(seq) ?? [];
        const byMe = userId === this.me?.id;
        // Counts are the full state after the change; `mine` moves only with my own add/remove.
        tl.reactions.set(
          seq,
          counts.map(({ emoji, count }) => ({ emoji, count, mine: byMe && changed === emoji ? op === 'add' : (before.find((r) => r.emoji === emoji)?.mine ?? false) })),
        );
        break;
      }
      case 'pin': {
        const { seq, pinnedBy, pinnedAt } = change.payload;
        tl.pins.add(seq);
        const message = tl.bySeq.get(seq);
        // The payload names the seq only: a message outside the loaded pages comes with the list.
        if (message) this.addPin(tl, { seq, pinnedBy, pinnedAt, message });
        else void this.loadPins(change.roomId);
        break;
      }
      case 'unpin': {
        const { seq } = change.payload;
        tl.pins.delete(seq);
        tl.pinList = tl.pinList.filter((x) => x.seq !== seq);
        break;
      }
      case 'announcement': {
        const { announcement } = change.payload;
        tl.announcement = { announcement, readByMe: announcement.author.id === this.me?.id };
        break;
      }
      case 'hidden': {
        const { seq, hiddenAt, message } = change.payload;
        if (hiddenAt) tl.hidden.add(seq);
        else {
          tl.hidden.delete(seq);
          if (message) this.merge(change.roomId, [message]);
        }
        break;
      }
      case 'room':
        void this.refreshRoom(change.roomId);
        break;
      case 'preview':
        tl.previews.set(change.payload.seq, change.payload.previews);
        break;
    }
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
        const event = payload;
        const tl = this.timeline(event.roomId);
        if (!tl.presence) break;
        const others = tl.presence.online.filter((u) => u.id !== event.userId);
        const name = tl.members?.find((m) => m.user.id === event.userId)?.user.displayName ?? '';
        const online = event.online ? [...others, { id: event.userId, displayName: name }] : others;
        tl.presence = { online, count: online.length };
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
      case 'review:new':
        this.refreshStaffQueue(payload.roomId, 150);
        break;
      case 'review:decided': {
        const event = payload;
        this.refreshStaffQueue(event.roomId, 150);
        if (event.kind !== 'held') break;
        const tl = this.timeline(event.roomId);
        const pending = tl.pending.find((p) => p.clientMsgId === event.clientMsgId);
        if (event.status === 'approved' && event.message) this.merge(event.roomId, [event.message]);
        else if (pending && event.status === 'rejected') {
          pending.status = 'blocked';
          pending.error = { code: 'REJECTED_IN_REVIEW', message: 'Rejected in review' };
        }
        break;
      }
      case 'join:decided': {
        if (payload.status === 'approved') void this.refreshRooms();
        break;
      }
      default:
        return;
    }
    this.changed();
  }

  private applyRecall(recall: Recall): void {
    const tl = this.timeline(recall.roomId);
    const message = tl.bySeq.get(recall.seq);
    if (!message) return;
    // Its photos and files go with it: members can no longer fetch them (docs/protocol.md).
    const recalled = { ...message, text: '', recalledAt: recall.recalledAt, recalledBy: recall.recalledBy, attachments: [] } as Message;
    tl.bySeq.set(recall.seq, recalled);
    tl.messages = tl.messages.map((m) => (m.seq === recall.seq ? recalled : m));
    tl.pins.delete(recall.seq);
    tl.pinList = tl.pinList.filter((x) => x.seq !== recall.seq);
    this.changed();
  }

  private addPin(tl: Timeline, pin: Pin): void {
    tl.pinList = [pin, ...tl.pinList.filter((x) => x.seq !== pin.seq)];
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
      if (message.mentionsAll || (this.me && message.mentions.includes(this.me.id))) entry.unreadMentions = Math.min(UNREAD_LIMIT, entry.unreadMentions + 1);
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
        const entry: RoomEntry = { room: plain as Room, role, unread: unread ?? 0, unreadMentions: unreadMentions ?? 0, lastReadSeq: lastReadSeq ?? room.lastSeq };
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
    return this.view.kind === 'room' && this.view.roomId === roomId && this.atBottom && document.visibilityState === 'visible';
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
      const newest = this.timeline(roomId).messages.at(-1)?.seq ?? 0;
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
    const pending: PendingMessage = { clientMsgId: newClientMsgId(), roomId, text, replyTo, attachments, status: 'sending', error: null, createdAt: new Date().toISOString(), afterSeq: 0 };
    this.timeline(roomId).pending.push(pending);
    this.atBottom = true;
    // Sending jumps to the newest message: what arrived while I was scrolled up is now read.
    this.markReadSoon();
    void this.attempt(pending);
  }

  retry(pending: PendingMessage): void {
    void this.attempt(pending);
  }

  discard(pending: PendingMessage): void {
    const tl = this.timeline(pending.roomId);
    tl.pending = tl.pending.filter((p) => p !== pending);
    this.changed();
  }

  private async attempt(pending: PendingMessage): Promise<void> {
    pending.status = 'sending';
    pending.error = null;
    // A retry is sent anew: it goes back to the bottom, and stays after what is newest now — the
    // room's newest as this page knows it, even if its history has not finished loading.
    pending.afterSeq = Math.max(this.timeline(pending.roomId).messages.at(-1)?.seq ?? 0, this.rooms.get(pending.roomId)?.room.lastSeq ?? 0);
    this.timeline(pending.roomId).pending = [...this.timeline(pending.roomId).pending.filter((p) => p !== pending), pending];
    this.changed();
    try {
      // The same clientMsgId on every attempt: a retry can never store the message twice.
      const { message } = await this.client.send(pending.roomId, pending.text, {
        clientMsgId: pending.clientMsgId,
        ...(pending.replyTo ? { replyTo: pending.replyTo } : {}),
        ...(pending.attachments.length > 0 ? { attachments: pending.attachments.map((a) => a.id) } : {}),
      });
      this.merge(pending.roomId, [message]);
    } catch (error) {
      const wire: WireError = isQuanziError(error) ? error.toJSON() : { code: 'INTERNAL', message: String(error) };
      pending.status = wire.code === 'HELD_FOR_REVIEW' ? 'held' : wire.code === 'BLOCKED_BY_SAFETY' ? 'blocked' : 'failed';
      pending.error = wire;
      this.changed();
    }
  }

  /** Tells the room I am typing, at most once per TYPING_INTERVAL_MS (the server's relay limit). */
  typing(roomId: string, again = true): void {
    const wait = this.lastTypingSent + TYPING_INTERVAL_MS + 100 - Date.now();
    if (wait > 0) {
      // Still typing after the interval: say so once more at its end (trailing edge).
      this.typingTimer ??= setTimeout(() => {
        this.typingTimer = null;
        this.typing(roomId);
      }, wait);
      return;
    }
    if (this.connection !== 'connected') return;
    this.lastTypingSent = Date.now();
    this.client.request('typing', { roomId }).then(
      (ack) => {
        // The server's window started when it handled our previous notice, a little after we
        // sent it: a notice at the very end of ours can fall just inside. Try once more.
        if (!ack.relayed && again) {
          this.lastTypingSent = 0;
          this.typingTimer ??= setTimeout(() => {
            this.typingTimer = null;
            this.typing(roomId, false);
          }, 300);
        }
      },
      () => {},
    );
  }

  /** The composer was emptied or sent: no trailing typing notice. */
  stopTyping(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
  }

  // ---- rooms ----

  async createRoom(fields: { name: string; topic: string; tags: string[] }): Promise<Room> {
    const room = await this.client.createRoom(fields);
    this.rooms.set(room.id, { room, role: 'owner', unread: 0, unreadMentions: 0, lastReadSeq: room.lastSeq });
    this.show({ kind: 'room', roomId: room.id });
    return room;
  }

  /** Joins; resolves to 'requested' when the room wants an admin's approval first. */
  async joinRoom(roomId: string, answer?: string): Promise<'joined' | 'requested'> {
    const reply = await this.client.joinRoom(roomId, answer);
    if (reply.status === 'requested') return 'requested';
    this.notices = this.notices.filter((n) => n.roomId !== roomId);
    this.rooms.set(roomId, { room: reply.room, role: reply.role ?? 'member', unread: 0, unreadMentions: 0, lastReadSeq: reply.room.lastSeq });
    this.timelines.delete(roomId);
    this.show({ kind: 'room', roomId });
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
      tl.pins.delete(seq);
      tl.pinList = tl.pinList.filter((x) => x.seq !== seq);
    } else {
      const { pin } = await this.client.rest.pin(roomId, seq);
      tl.pins.add(seq);
      this.addPin(tl, pin);
    }
    this.changed();
  }

  /** For the UI after an action that changed the store outside the SDK's events. */
  touch(): void {
    this.changed();
  }

  async signOut(): Promise<void> {
    this.stop();
    await this.client.rest.closeMediaSession().catch(() => {});
    await this.client.signOut().catch(() => {});
    this.signedOut = true;
    this.changed();
  }
}
