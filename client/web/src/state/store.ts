/**
 * The web client's store: the coordinator that builds the page's state parts, wires them to the
 * SDK's socket and REST calls and to each other, and tells the components when anything changed.
 * Each part has one job (docs/architecture.md, "The web client", lists who owns what): my rooms
 * (room-list.ts, rules in rooms.ts), one timeline per room (timeline.ts), history paging
 * (history-pages.ts), reading (reading.ts), sending (sending.ts over outbox.ts), the open room's
 * details (room-details.ts), the live stream (live.ts, its table in live-events.ts), the staff's
 * queues (staff-queues.ts), my join requests (join-requests.ts) and the panels' sections.
 * Components read it and re-render on `subscribe`; they never talk to the SDK for state themselves.
 */
import type { Static } from 'typebox';
import { QuanziClient, isQuanziError, newClientMsgId, type ConnectionState } from '../../../sdk/index.ts';
import type { Message, Room, SafetyReasonView, User } from '../../../../shared/schemas.ts';
import type { AttachmentView } from '../media/attachment-view.ts';
import { Outbox, type KeyValueStorage, type PendingMessage, type WireError } from './outbox.ts';
import { createTimeline, mergeMessages, newestSeq, type Timeline } from './timeline.ts';
import { isStaffRole, type RoomEntry } from './rooms.ts';
import { RoomList } from './room-list.ts';
import { RoomDetails } from './room-details.ts';
import { HistoryPages } from './history-pages.ts';
import { Reading } from './reading.ts';
import { Sending } from './sending.ts';
import { StaffQueues } from './staff-queues.ts';
import { JoinRequests } from './join-requests.ts';
import type { Notice } from './notices.ts';
import { followLive } from './live.ts';
import { TypingNotifier } from './typing.ts';
import { MessageEdits } from './message-edits.ts';
import { MessageSearch } from './search.ts';
import { HistoryWindows } from './history-window.ts';
import { CommunityState } from './community.ts';
import { MeetupPopups } from './meetup-popups.ts';
import { MeetupProposals } from './meetup-proposals.ts';
import { People } from './people.ts';
import { DirectMessages } from './dms.ts';

export type { PendingMessage, WireError } from './outbox.ts';
export type { Timeline } from './timeline.ts';
export type { RoomEntry } from './rooms.ts';
export { UNREAD_LIMIT } from './rooms.ts';
export type { StaffQueue } from './staff-queues.ts';
export type { Notice } from './notices.ts';
export type { ReadMark } from './reading.ts';

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
  timelines = new Map<string, Timeline>();
  view: View = { kind: 'home' };
  /** Display names by user id, from member lists and messages: system messages carry ids only. */
  names = new Map<string, string>();
  signedOut = false;
  /**
   * The media cookie is set (or setting it failed): attachment URLs may be loaded. Before that an
   * `<img>` would load without it and show a broken picture.
   */
  mediaReady = false;
  private listeners = new Set<() => void>();
  private version = 0;
  private offs: Array<() => void> = [];
  /** Rooms where my join request waits for the staff (kept across reloads, per user). */
  readonly requested: JoinRequests;
  readonly outbox: Outbox;
  /** Paging history into the timelines (older pages, back to a message). */
  readonly pages: HistoryPages;
  /** Whether I am at the newest messages, and where I had read up to on opening each room. */
  readonly reading: Reading;
  /** Per room where I am owner or admin: what waits for a decision (loaded on open, kept live). */
  readonly staff: StaffQueues;
  /** Telling the room I am typing, at most once per interval (the server's relay limit). */
  readonly typingNotices: TypingNotifier;
  /** The open room's announcement, pins, presence and members, and my reactions, recalls and pins. */
  readonly details: RoomDetails;
  readonly edits: MessageEdits;
  readonly search: MessageSearch;
  readonly windows: HistoryWindows;
  readonly community: CommunityState;
  /** Meetups members propose for the staff to approve (meetup-proposals.ts), and the meetup popups: reminders, decisions (meetup-popups.ts). */
  readonly proposals: MeetupProposals;
  readonly popups: MeetupPopups;
  readonly people: People;
  readonly dms: DirectMessages;
  private readonly list: RoomList;
  private readonly sending: Sending;

  constructor(client: QuanziClient, storage: KeyValueStorage | null = pageStorage()) {
    this.client = client;
    const changed = () => this.changed();
    const myId = () => this.me?.id ?? null;
    const timeline = (roomId: string) => this.timeline(roomId);
    const optional = (work: () => Promise<void>) => this.optional(work);
    const isStaff = (roomId: string) => this.isStaff(roomId);
    const reactions = (roomId: string, from: number, to: number) => client.rest.reactionsInRange(roomId, from, to);
    this.requested = new JoinRequests(storage);
    this.outbox = new Outbox(storage, newClientMsgId, changed);
    this.proposals = new MeetupProposals(client.rest, { changed });
    this.popups = new MeetupPopups(changed);
    this.staff = new StaffQueues({ rest: client.rest, isStaff, optional, proposals: (roomId) => this.proposals.load(roomId) });
    this.details = new RoomDetails({ client, timeline, names: this.names, optional, changed });
    this.pages = new HistoryPages({ history: (roomId, query) => client.history(roomId, query), reactions, timeline, merge: (roomId, messages) => this.merge(roomId, messages), optional, changed });
    this.reading = new Reading({
      openRoom: () => (this.view.kind === 'room' ? this.view.roomId : null),
      visible: () => typeof document === 'undefined' || document.visibilityState === 'visible',
      entry: (roomId) => this.rooms.get(roomId),
      newestSeq: (roomId) => newestSeq(this.timeline(roomId)),
      report: (roomId, seq) => client.request('read', { roomId, seq }).catch(() => client.rest.markRead(roomId, seq)),
      changed,
    });
    this.list = new RoomList({
      client,
      myId,
      timeline,
      isReading: (roomId) => this.reading.isReading(roomId),
      markReadSoon: () => this.reading.markReadSoon(),
      forgotten: (roomId) => (this.timelines.delete(roomId), this.staff.forget(roomId)),
      optional,
      changed,
    });
    this.sending = new Sending({
      client,
      outbox: this.outbox,
      // The room's newest as this page knows it, even if its history has not finished loading.
      newestSeq: (roomId) => Math.max(newestSeq(this.timeline(roomId)), this.rooms.get(roomId)?.room.lastSeq ?? 0),
      writing: (roomId) => {
        this.typingNotices.stop();
        // Written while reading far back: the message goes where the newest are, and so does the reader.
        void this.windows.backToNewest(roomId);
        this.reading.atBottom = true;
        // Sending jumps to the newest message: what arrived while I was scrolled up is now read.
        this.reading.markReadSoon();
      },
      stored: (roomId, message) => this.merge(roomId, [message]),
      rulesRefused: (roomId) => this.community.showRules(roomId),
      now: () => Date.now(),
    });
    this.community = new CommunityState(client.rest, { myId, isStaff, changed, rulesAccepted: (roomId) => this.sending.retryRefused(roomId, 'RULES_NOT_ACCEPTED') });
    this.typingNotices = new TypingNotifier({ canSend: () => this.connection === 'connected', send: (roomId) => client.request('typing', { roomId }).then((ack) => ack.relayed) });
    this.edits = new MessageEdits({
      myId,
      timeline,
      edit: (roomId, seq, text) => (this.connection === 'connected' ? client.request('message:edit', { roomId, seq, text }).then((ack) => ack.message) : client.rest.editMessage(roomId, seq, text)),
      versions: (roomId, seq) => client.rest.messageVersions(roomId, seq),
      toWireError,
      changed,
    });
    this.windows = new HistoryWindows({ history: (roomId, query) => client.history(roomId, query), reactions, timeline, loadBackTo: (roomId, seq) => this.pages.backTo(roomId, seq), myId, setAtBottom: (atBottom) => (this.reading.atBottom = atBottom), changed });
    this.search = new MessageSearch({ searchRoom: (roomId, query) => client.rest.searchRoom(roomId, query), search: (query) => client.rest.search(query), toWireError });
    this.people = new People(this);
    this.dms = new DirectMessages(this);
  }

  /** My rooms, each with my role and read state (room-list.ts). */
  get rooms(): Map<string, RoomEntry> {
    return this.list.entries;
  }

  /** Rooms taken from me while this page was open, newest last; dismissed by the user. */
  get notices(): readonly Notice[] {
    return this.list.notices;
  }

  /** When this page last had a message of mine stored, per room (slow mode counts from it). */
  get lastSentAt(): Map<string, number> {
    return this.sending.lastSentAt;
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
      c.on('unauthenticated', () => {
        this.signedOut = true;
        this.changed();
      }),
      ...followLive(c, {
        myId: () => this.me?.id ?? null,
        timeline: (roomId) => this.timeline(roomId),
        merge: (roomId, messages) => this.merge(roomId, messages),
        refreshMembership: (roomId) => void this.refreshMembership(roomId),
        setRequested: (roomId, waiting) => this.setRequested(roomId, waiting),
        changed: () => this.changed(),
        list: this.list,
        staff: this.staff,
        details: this.details,
        outbox: this.outbox,
        search: this.search,
        community: this.community,
        proposals: this.proposals,
        popups: this.popups,
        dms: this.dms,
        people: this.people,
      }),
    );
    const [me] = await Promise.all([c.start(), this.openMediaSession()]);
    this.me = me.user;
    this.outbox.open(me.user.id);
    this.requested.open(me.user.id);
    this.list.load(me.rooms);
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
    const entry = this.rooms.get(roomId);
    if (!entry) return; // a preview; the view offers to join
    this.reading.opened(roomId, entry);
    await this.pages.first(roomId);
    this.reading.markReadSoon();
    this.details.loadOnOpen(roomId);
    if (this.isStaff(roomId)) this.staff.refresh(roomId);
    void this.optional(async () => void (await this.community.loadRules(roomId)));
  }

  /** Drops the loaded timelines (their messages are read again on opening), and re-reads the open room's. */
  reloadTimelines(): void {
    this.timelines.clear();
    if (this.view.kind === 'room') void this.openRoom(this.view.roomId);
    this.changed();
  }

  /** Stored messages into the room's timeline; my pending copies of them are done. */
  private merge(roomId: string, messages: Message[]): void {
    const tl = this.timeline(roomId);
    if (mergeMessages(tl, messages, this.me?.id ?? null)) {
      for (const message of messages) if (message.sender && !this.names.has(message.sender.id)) this.names.set(message.sender.id, message.sender.displayName);
      this.outbox.settle(roomId, tl.mine);
    }
    this.changed();
  }

  // ---- my rooms ----

  isStaff(roomId: string): boolean {
    return isStaffRole(this.rooms.get(roomId)?.role);
  }

  dismissNotice(id: number): void {
    this.list.dismissNotice(id);
  }

  /** My role may have changed (promoted, muted, removed): re-read my rooms and the member list. */
  private async refreshMembership(roomId: string): Promise<void> {
    await this.list.refreshRole(roomId);
    if (this.timelines.get(roomId)?.members) await this.details.loadMembers(roomId);
  }

  /** A room I am now in that this page did not list (a DM opened here or by the other person). */
  adoptRoom(room: Room): void {
    this.list.adopt(room);
  }

  async createRoom(fields: { name: string; topic: string; tags: string[]; visibility?: Room['visibility']; preview?: boolean }): Promise<Room> {
    const room = await this.client.createRoom(fields);
    this.list.joined(room, 'owner');
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
    this.list.joined(reply.room, reply.role ?? 'member');
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
    this.list.left(roomId);
    this.show({ kind: 'home' });
  }

  /** My display name changed (PATCH /v1/me). */
  renamed(displayName: string): void {
    if (this.me) this.me = { ...this.me, displayName };
    if (this.me) this.names.set(this.me.id, displayName);
    this.changed();
  }

  // ---- writing ----

  send(roomId: string, text: string, replyTo: number | null, attachments: AttachmentView[] = []): void {
    this.sending.send(roomId, text, replyTo, attachments);
  }

  retry(pending: PendingMessage): void {
    this.sending.retry(pending);
  }
}
