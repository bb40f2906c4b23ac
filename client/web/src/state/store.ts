/**
 * The web client's store: the coordinator that wires the SDK's socket and REST calls to the
 * parts beside it, each with one job — my rooms and their unread counts (rooms.ts), one timeline
 * per room (timeline.ts), paging history (history-pages.ts), reading (reading.ts), my unsent
 * messages (outbox.ts), what live events mean (live-events.ts), the staff's queues
 * (staff-queues.ts), my join requests (join-requests.ts), lost rooms (notices.ts) and the panels'
 * sections. Components read it and re-render on `subscribe`; they never talk to the SDK for state
 * themselves. docs/architecture.md ("Web client") lists who owns what.
 */
import type { Static } from 'typebox';
import { QuanziClient, isQuanziError, newClientMsgId, type ClientEvents, type ConnectionState } from '../../../sdk/index.ts';
import type { Message, Recall, Room, RoomChange, SafetyReasonView, User } from '../../../../shared/schemas.ts';
import type { AttachmentView } from '../media/attachment-view.ts';
import { Outbox, type KeyValueStorage, type PendingMessage, type WireError } from './outbox.ts';
import { addPin, applyChange, applyPresence, applyRecall, createTimeline, mergeMessages, newestSeq, removePin, resetMessages, setPins, type Timeline } from './timeline.ts';
import { adoptedEntry, arrival, entryOf, isStaffRole, joinedEntry, membershipOf, readPositionChange, refreshedRoom, type RoomEntry } from './rooms.ts';
import { HistoryPages } from './history-pages.ts';
import { Reading, type ReadMark } from './reading.ts';
import { StaffQueues, type StaffQueue } from './staff-queues.ts';
import { JoinRequests } from './join-requests.ts';
import { addNotice, clearRoom, dismissNotice, type Notice, type RemovalReason } from './notices.ts';
import { followUpsOf, stepsOf, type LiveStep } from './live-events.ts';
import { TypingNotifier } from './typing.ts';
import { MessageEdits } from './message-edits.ts';
import { MessageSearch } from './search.ts';
import { HistoryWindows } from './history-window.ts';
import { CommunityState } from './community.ts';
import { People } from './people.ts';
import { DirectMessages } from './dms.ts';

export type { PendingMessage, WireError } from './outbox.ts';
export type { Timeline } from './timeline.ts';
export type { RoomEntry } from './rooms.ts';
export { UNREAD_LIMIT } from './rooms.ts';
export type { StaffQueue } from './staff-queues.ts';
export type { Notice } from './notices.ts';
export type { ReadMark } from './reading.ts';

/** docs/protocol.md: hide an indicator about 5 s after the last one received. */
const TYPING_SHOWN_MS = 5000;

export type SafetyReason = Static<typeof SafetyReasonView>;

export type View = { kind: 'home' } | { kind: 'discover' } | { kind: 'create' } | { kind: 'room'; roomId: string } | { kind: 'requests' } | { kind: 'me' };

/** The page's storage, when it has one it may use (tests and private windows may not). */
function pageStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const toWireError = (error: unknown): WireError => (isQuanziError(error) ? error.toJSON() : { code: 'INTERNAL', message: String(error) });

export class ChatStore {
  readonly client: QuanziClient;
  me: User | null = null;
  connection: ConnectionState = 'offline';
  rooms = new Map<string, RoomEntry>();
  timelines = new Map<string, Timeline>();
  view: View = { kind: 'home' };
  /** Rooms taken from me while this page was open, newest last; dismissed by the user. */
  notices: Notice[] = [];
  /** Display names by user id, from member lists and messages: system messages carry ids only. */
  names = new Map<string, string>();
  private noticeId = 0;
  /** When this page last had a message of mine stored, per room (slow mode counts from it). */
  readonly lastSentAt = new Map<string, number>();
  /** Rooms where my join request waits for the staff (kept across reloads, per user). */
  readonly requested: JoinRequests;
  signedOut = false;
  /**
   * The media cookie is set (or setting it failed): attachment URLs may be loaded. Before that an
   * `<img>` would load without it and show a broken picture.
   */
  mediaReady = false;
  private listeners = new Set<() => void>();
  private version = 0;
  private offs: Array<() => void> = [];
  private refreshingRooms: Promise<void> | null = null;
  readonly outbox: Outbox;
  private readonly pages: HistoryPages;
  private readonly reading: Reading;
  private readonly staff: StaffQueues;
  private readonly typingNotices: TypingNotifier;
  readonly edits: MessageEdits;
  readonly search: MessageSearch;
  readonly windows: HistoryWindows;
  readonly community: CommunityState;
  readonly people: People;
  readonly dms: DirectMessages;

  constructor(client: QuanziClient, storage: KeyValueStorage | null = pageStorage()) {
    this.client = client;
    const changed = () => this.changed();
    const myId = () => this.me?.id ?? null;
    const timeline = (roomId: string) => this.timeline(roomId);
    const optional = (work: () => Promise<void>) => this.optional(work);
    this.requested = new JoinRequests(storage);
    this.outbox = new Outbox(storage, newClientMsgId, changed);
    this.pages = new HistoryPages({ history: (roomId, query) => client.history(roomId, query), reactions: (roomId, from, to) => client.rest.reactionsInRange(roomId, from, to), timeline, merge: (roomId, messages) => this.merge(roomId, messages), optional, changed });
    this.reading = new Reading({
      openRoom: () => (this.view.kind === 'room' ? this.view.roomId : null),
      visible: () => typeof document === 'undefined' || document.visibilityState === 'visible',
      entry: (roomId) => this.rooms.get(roomId),
      newestSeq: (roomId) => newestSeq(this.timeline(roomId)),
      report: (roomId, seq) => client.request('read', { roomId, seq }).catch(() => client.rest.markRead(roomId, seq)),
      changed,
    });
    this.staff = new StaffQueues({
      isStaff: (roomId) => this.isStaff(roomId),
      count: async (roomId) => {
        const [requests, queue] = await Promise.all([client.rest.joinRequests(roomId), client.rest.reviewQueue(roomId)]);
        return { joinRequests: requests.length, review: queue.held.length + queue.reported.length };
      },
      optional,
    });
    this.community = new CommunityState(client.rest, { myId, isStaff: (roomId) => this.isStaff(roomId), changed, rulesAccepted: (roomId) => this.retryRefused(roomId, 'RULES_NOT_ACCEPTED') });
    this.typingNotices = new TypingNotifier({ canSend: () => this.connection === 'connected', send: (roomId) => client.request('typing', { roomId }).then((ack) => ack.relayed) });
    this.edits = new MessageEdits({
      myId,
      timeline,
      edit: (roomId, seq, text) => (this.connection === 'connected' ? client.request('message:edit', { roomId, seq, text }).then((ack) => ack.message) : client.rest.editMessage(roomId, seq, text)),
      versions: (roomId, seq) => client.rest.messageVersions(roomId, seq),
      toWireError,
      changed,
    });
    this.windows = new HistoryWindows({
      history: (roomId, query) => client.history(roomId, query),
      reactions: (roomId, from, to) => client.rest.reactionsInRange(roomId, from, to),
      timeline,
      loadBackTo: (roomId, seq) => this.loadBackTo(roomId, seq),
      myId,
      setAtBottom: (atBottom) => (this.reading.atBottom = atBottom),
      changed,
    });
    this.search = new MessageSearch({ searchRoom: (roomId, query) => client.rest.searchRoom(roomId, query), search: (query) => client.rest.search(query), toWireError });
    this.people = new People(this);
    this.dms = new DirectMessages(this);
  }

  /** Per room where I am owner or admin: what waits for a decision (loaded on open, kept live). */
  get staffQueues(): ReadonlyMap<string, StaffQueue> {
    return this.staff.counts;
  }

  /** Per room, where I had read up to when I last opened it. */
  get readMarks(): ReadonlyMap<string, ReadMark> {
    return this.reading.marks;
  }

  /** The user is looking at the newest messages of the open room (so they count as read). */
  get atBottom(): boolean {
    return this.reading.atBottom;
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

  /** For the UI after an action that changed the store outside the SDK's events. */
  touch(): void {
    this.changed();
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
      c.on('event', (...event) => this.onEvent(event)),
    );
    const [me] = await Promise.all([c.start(), this.openMediaSession()]);
    this.me = me.user;
    this.outbox.open(me.user.id);
    this.requested.open(me.user.id);
    for (const room of me.rooms) this.rooms.set(room.id, entryOf(room));
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
    // A look the staff queue, a read report or a meetup had scheduled would otherwise call a server being left.
    this.staff.stop();
    this.reading.stop();
    this.community.stop();
    this.client.disconnect();
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

  // ---- navigation and loading ----

  show(view: View): void {
    this.view = view;
    this.reading.atBottom = true;
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
    this.reading.opened(roomId, entry);
    await this.pages.first(roomId);
    this.reading.markReadSoon();
    // The extras are independent: one failing (or missing on this server) leaves the rest.
    void this.optional(async () => {
      tl.announcement = await this.client.rest.announcement(roomId).then((a) => (a.announcement ? { announcement: a.announcement, readByMe: a.readByMe } : null));
    });
    void this.loadPins(roomId);
    if (this.isStaff(roomId)) this.staff.refresh(roomId);
    void this.optional(async () => {
      tl.presence = await this.client.rest.presence(roomId);
    });
    void this.loadMembers(roomId);
    void this.optional(async () => void (await this.community.loadRules(roomId)));
  }

  async loadMembers(roomId: string): Promise<void> {
    await this.optional(async () => {
      const members = await this.client.members(roomId);
      this.timeline(roomId).members = members;
      for (const m of members) this.names.set(m.user.id, m.nickname ?? m.user.displayName);
    });
  }

  async loadPins(roomId: string): Promise<void> {
    await this.optional(async () => setPins(this.timeline(roomId), (await this.client.rest.pins(roomId)).pins));
  }

  loadOlder(roomId: string): Promise<void> {
    return this.pages.older(roomId);
  }

  /** Loads history back to `seq` so a pinned (or quoted) message far up the room can be shown. */
  loadBackTo(roomId: string, seq: number): Promise<boolean> {
    return this.pages.backTo(roomId, seq);
  }

  /** Drops the loaded timelines (their messages are read again on opening), and re-reads the open room's. */
  reloadTimelines(): void {
    this.timelines.clear();
    if (this.view.kind === 'room') void this.openRoom(this.view.roomId);
    this.changed();
  }

  isStaff(roomId: string): boolean {
    return isStaffRole(this.rooms.get(roomId)?.role);
  }

  /** Re-counts what waits for the staff (staff-queues.ts); a burst of calls is one look. */
  refreshStaffQueue(roomId: string, delayMs = 0): void {
    this.staff.refresh(roomId, delayMs);
  }

  // ---- live ----

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
    else {
      this.countArrival(entry, message);
      const followUps = followUpsOf(message);
      if (followUps.membership) void this.refreshMembership(message.roomId);
      if (followUps.room) void this.refreshRoom(message.roomId);
      if (followUps.staffQueueDelayMs !== null) this.staff.refresh(message.roomId, followUps.staffQueueDelayMs);
    }
    tl.typing.delete(message.sender?.id ?? '');
    this.changed();
  }

  private countArrival(entry: RoomEntry, message: Message): void {
    const counted = arrival(entry, message, this.me?.id ?? null, this.reading.isReading(message.roomId));
    if (counted) Object.assign(entry, counted.change);
    if (counted?.markRead) this.reading.markReadSoon();
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

  private onEvent(event: ClientEvents['event']): void {
    const steps = stepsOf(event, this.me?.id ?? null);
    for (const step of steps) this.carryOut(step);
    if (steps.length > 0) this.changed();
  }

  /** One step of a live event (live-events.ts says which), handed to the part that owns it. */
  private carryOut(step: LiveStep): void {
    switch (step.do) {
      case 'typing':
        this.timeline(step.roomId).typing.set(step.userId, { name: step.name, until: Date.now() + TYPING_SHOWN_MS });
        setTimeout(() => this.changed(), TYPING_SHOWN_MS + 50);
        return;
      case 'presence':
        applyPresence(this.timeline(step.roomId), step.userId, step.online);
        return;
      case 'read': {
        const entry = this.rooms.get(step.position.roomId);
        const change = entry && readPositionChange(entry, step.position);
        if (change) Object.assign(entry, change);
        return;
      }
      case 'recall':
        return this.applyRecall(step.recall);
      case 'remove-room':
        return this.removeRoom(step.roomId, step.reason);
      case 'count-staff-queue':
        return this.staff.refresh(step.roomId, step.delayMs);
      case 'signup-held-changed':
        return this.community.heldChanged(step.signupId);
      case 'my-line-decided':
        return this.community.lineDecided(step.signupId);
      case 'merge':
        return this.merge(step.roomId, [step.message]);
      case 'rejected-in-review':
        return this.outbox.rejectedInReview(step.roomId, step.clientMsgId);
      case 'rsvp-notice':
        return this.community.onRsvpNotice(step.notice);
      case 'dm-request':
        return this.dms.onRequest(step.request);
      case 'dm-opened':
        return this.dms.onOpened(step.room, step.peerIds);
      case 'notifications':
        return this.people.applyNotifications(step.roomId, step.mode);
      case 'request-decided':
        this.setRequested(step.roomId, false);
        if (step.approved) void this.refreshRooms();
        return;
    }
  }

  private applyRecall(recall: Recall): void {
    if (applyRecall(this.timeline(recall.roomId), recall)) this.changed();
  }

  /** Forgets a room I no longer belong to, and tells me why. */
  private removeRoom(roomId: string, reason: RemovalReason): void {
    const entry = this.rooms.get(roomId);
    this.rooms.delete(roomId);
    this.timelines.delete(roomId);
    this.staff.forget(roomId);
    this.client.untrack(roomId);
    if (entry) this.notices = addNotice(this.notices, { id: ++this.noticeId, kind: reason, roomId, roomName: entry.room.name });
  }

  dismissNotice(id: number): void {
    this.notices = dismissNotice(this.notices, id);
    this.changed();
  }

  /** Re-reads my rooms (with read state) and adds those this page did not know about. */
  refreshRooms(): Promise<void> {
    return (this.refreshingRooms ??= this.optional(async () => {
      const me = await this.client.me();
      for (const room of me.rooms) {
        if (this.rooms.has(room.id)) continue;
        const entry = entryOf(room);
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
      if (entry) Object.assign(entry, refreshedRoom(entry, room));
    });
  }

  /** My role may have changed (promoted, muted, removed): re-read my rooms and the member list. */
  private async refreshMembership(roomId: string): Promise<void> {
    await this.optional(async () => {
      const role = membershipOf((await this.client.me()).rooms, roomId);
      const entry = this.rooms.get(roomId);
      if (role === 'gone') this.rooms.delete(roomId);
      else if (entry) entry.role = role;
    });
    if (this.timelines.get(roomId)?.members) await this.loadMembers(roomId);
  }

  /** A room I am now in that this page did not list (a DM opened here or by the other person). */
  adoptRoom(room: Room): void {
    if (this.rooms.has(room.id)) return;
    this.rooms.set(room.id, adoptedEntry(room));
    if (!this.client.cursorOf(room.id)) this.client.track(room.id, { seq: 0, change: room.lastChange });
    this.changed();
  }

  // ---- reading ----

  setAtBottom(atBottom: boolean): void {
    this.reading.setAtBottom(atBottom);
  }

  /** Marks the open room read up to its newest message, at most about once a second. */
  markReadSoon(): void {
    this.reading.markReadSoon();
  }

  // ---- sending ----

  send(roomId: string, text: string, replyTo: number | null, attachments: AttachmentView[] = []): void {
    this.stopTyping();
    const pending = this.outbox.create(roomId, text, replyTo, attachments);
    // Written while reading far back: the message goes where the newest are, and so does the reader.
    void this.windows.backToNewest(roomId);
    this.reading.atBottom = true;
    // Sending jumps to the newest message: what arrived while I was scrolled up is now read.
    this.reading.markReadSoon();
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
    this.rooms.set(room.id, joinedEntry(room, 'owner'));
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
      if (!isQuanziError(error) || error.code !== 'JOIN_REQUEST_PENDING') throw error;
      this.setRequested(roomId, true);
      return 'requested';
    }
    this.setRequested(roomId, reply.status === 'requested');
    if (reply.status === 'requested') return 'requested';
    this.notices = clearRoom(this.notices, roomId);
    this.rooms.set(roomId, joinedEntry(reply.room, reply.role ?? 'member'));
    this.timelines.delete(roomId);
    this.show({ kind: 'room', roomId });
    // The must-read rules, shown on joining (docs/protocol.md, "Must-read rules").
    const rules = 'rules' in reply ? reply.rules : undefined;
    if (rules?.rules) this.community.showRules(roomId, rules);
    return 'joined';
  }

  private setRequested(roomId: string, waiting: boolean): void {
    if (this.requested.set(roomId, waiting)) this.changed();
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
    } else addPin(tl, (await this.client.rest.pin(roomId, seq)).pin);
    this.changed();
  }

  /** My display name changed (PATCH /v1/me). */
  renamed(displayName: string): void {
    if (this.me) this.me = { ...this.me, displayName };
    if (this.me) this.names.set(this.me.id, displayName);
    this.changed();
  }
}
