/**
 * QuanziClient: the REST API plus a realtime connection that keeps every room's message stream
 * complete and in order (docs/protocol.md, "Catching up without gaps or duplicates"):
 *
 * - listens for `message` and `room:change` before it syncs, so nothing falls between the two;
 * - delivers each message once, in seq order per room (RoomStream drops duplicates and holds
 *   early arrivals);
 * - on every (re)connect, and whenever a live item skips ahead of a room's cursor, runs `sync`
 *   with `{ seq, change }` cursors and pages until the server says there is no more;
 * - sends with a clientMsgId chosen once, retrying with the same id after a timeout or a
 *   reconnect, so a retry can never store the message twice.
 *
 * Framework-free: runs in Node (tests, bots) and in the browser (the web client).
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  ClientEventName,
  ClientEventPayload,
  ClientEventResult,
  ClientToServerEvents,
  SendMessageResult,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from '../../shared/events.ts';
import type { Ack, CreateRoomBody, Message, RoomChange, Room, RoomSync, SignInBody, SignUpBody, SyncResult } from '../../shared/schemas.ts';
import { Emitter } from './emitter.ts';
import { QuanziError, isRetryable, retryAfterMsOf } from './errors.ts';
import { RestClient, type Auth, type Me, type Membership } from './rest.ts';
import { RoomStream, type Cursor } from './room-stream.ts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export type SendResult = SendMessageResult;

/** The realtime connection, typed with the protocol's event maps (shared/events.ts). */
type QuanziSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Events handled by the stream logic; everything else goes out as `event`. */
type StreamEventName = 'message' | 'room:change';
const STREAM_EVENTS = new Set<string>(['message', 'room:change'] satisfies StreamEventName[]);
type PassedThroughName = Exclude<ServerEventName, StreamEventName>;

export interface SendOptions {
  replyTo?: number;
  /** Ids of uploads (RestClient.uploadAttachment) to send with the message; the text may then be empty. */
  attachments?: string[];
  /** Reuse the id of an earlier attempt to retry it safely; generated when absent. */
  clientMsgId?: string;
  /** Give up (QuanziError TIMEOUT) after this long without an acknowledgement. */
  deadlineMs?: number;
}

export interface ClientEvents {
  /** A stored message, exactly once, in seq order per room (live or caught up by sync). */
  message: [Message];
  /** A change-feed entry (recall, reactions, pin, announcement, room settings), in order per room. */
  change: [RoomChange];
  /** The room was too far behind to replay: drop what you show and use this newest page. */
  reset: [{ roomId: string; messages: Message[]; hasMore: boolean }];
  state: [ConnectionState];
  /** A sync round finished for these rooms (their cursors are at the server's newest). */
  synced: [{ roomIds: string[] }];
  /** A live item skipped ahead of the cursor; a sync was started to fill the hole. */
  gap: [{ roomId: string; cursor: number; seq: number }];
  /** The server says the user is no longer a member (left, kicked, banned elsewhere). */
  removed: [{ roomId: string }];
  /** The token was refused; the client stays offline until it gets a new one. */
  unauthenticated: [QuanziError];
  /** Any other server → client event (typing, presence, notices…), passed through as is; checking the name narrows the payload. */
  event: { [E in PassedThroughName]: [E, ServerEventPayload<E>] }[PassedThroughName];
}

export interface QuanziClientOptions {
  /** e.g. `http://localhost:3000`; '' in a page served by the server itself. */
  baseUrl: string;
  token?: string | null;
  /** How long one socket request waits for its acknowledgement. */
  ackTimeoutMs?: number;
  /** Default deadline of a send, across retries and reconnects. */
  sendDeadlineMs?: number;
  /** Passed to socket.io-client (e.g. reconnection delays); `auth` is managed by the client. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  fetch?: typeof fetch;
}

/** Rooms per `sync` call: the server's limit. */
const MAX_SYNC_ROOMS = 1000;

export class QuanziClient extends Emitter<ClientEvents> {
  readonly rest: RestClient;
  private readonly options: Required<Pick<QuanziClientOptions, 'ackTimeoutMs' | 'sendDeadlineMs'>> & QuanziClientOptions;
  private socket: QuanziSocket | null = null;
  private state: ConnectionState = 'offline';
  /** The app asked to be online (connect() without a later disconnect() or a refused token). */
  private wanted = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly streams = new Map<string, RoomStream>();
  private readonly syncQueue = new Set<string>();
  private readonly inSync = new Set<string>();
  private syncLoop: Promise<void> | null = null;

  constructor(options: QuanziClientOptions) {
    super();
    this.options = { ackTimeoutMs: 8_000, sendDeadlineMs: 60_000, ...options };
    this.rest = new RestClient(options.baseUrl, options.token ?? null, options.fetch);
  }

  get token(): string | null {
    return this.rest.token;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  // ---- accounts (REST) ----

  signUp(body: SignUpBody): Promise<Auth> {
    return this.rest.signUp(body);
  }

  signIn(body: SignInBody): Promise<Auth> {
    return this.rest.signIn(body);
  }

  /** Closes the realtime connection, revokes the token and forgets all room state. */
  async signOut(): Promise<void> {
    this.disconnect();
    try {
      await this.rest.signOut();
    } finally {
      this.rest.token = null;
      this.streams.clear();
      this.syncQueue.clear();
    }
  }

  me(): Promise<Me> {
    return this.rest.me();
  }

  /**
   * Loads the user's rooms, tracks each from its newest message (earlier history is read with
   * `history`), and connects. Returns what `me()` returned.
   */
  async start(): Promise<Me> {
    const me = await this.rest.me();
    for (const room of me.rooms) this.trackIfAbsent(room);
    this.connect();
    return me;
  }

  // ---- rooms (REST, keeping the tracked set in step) ----

  async createRoom(body: CreateRoomBody): Promise<Room> {
    const room = await this.rest.createRoom(body);
    this.trackIfAbsent(room);
    return room;
  }

  discoverRooms(...args: Parameters<RestClient['discoverRooms']>): Promise<Room[]> {
    return this.rest.discoverRooms(...args);
  }

  getRoom(roomId: string): Promise<Room> {
    return this.rest.getRoom(roomId);
  }

  async joinRoom(roomId: string, answer?: string): Promise<Membership> {
    const membership = await this.rest.joinRoom(roomId, answer);
    if (membership.status !== 'requested') this.trackIfAbsent(membership.room);
    return membership;
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.rest.leaveRoom(roomId);
    this.untrack(roomId);
  }

  members(roomId: string): ReturnType<RestClient['members']> {
    return this.rest.members(roomId);
  }

  history(...args: Parameters<RestClient['history']>): ReturnType<RestClient['history']> {
    return this.rest.history(...args);
  }

  // ---- room tracking ----

  /**
   * Delivers this room's messages after `cursor.seq` (and changes after `cursor.change`) from now
   * on. Replaces any cursor the room had: the caller says what it already has.
   */
  track(roomId: string, cursor: { seq: number; change?: number | null }): void {
    this.streams.set(roomId, new RoomStream(roomId, { seq: cursor.seq, change: cursor.change ?? null }));
  }

  untrack(roomId: string): void {
    this.streams.delete(roomId);
    this.syncQueue.delete(roomId);
  }

  cursorOf(roomId: string): Cursor | null {
    return this.streams.get(roomId)?.position ?? null;
  }

  trackedRooms(): string[] {
    return [...this.streams.keys()];
  }

  private trackIfAbsent(room: Pick<Room, 'id' | 'lastSeq' | 'lastChange'>): void {
    if (!this.streams.has(room.id)) this.track(room.id, { seq: room.lastSeq, change: room.lastChange });
  }

  // ---- connection ----

  connect(): void {
    this.wanted = true;
    if (!this.socket) this.socket = this.createSocket();
    if (this.socket.connected) return;
    this.setState(this.state === 'offline' ? 'connecting' : 'reconnecting');
    this.socket.connect();
  }

  /** Goes offline on purpose; pending sends fail with TIMEOUT unless connect() comes first. */
  disconnect(): void {
    this.wanted = false;
    this.clearRetry();
    this.socket?.disconnect();
    this.setState('offline');
  }

  /** Resolves once connected; rejects with TIMEOUT after `timeoutMs`, or when going offline. */
  waitUntilConnected(timeoutMs: number): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new QuanziError('TIMEOUT', 'Not connected to the server'));
      }, Math.max(0, timeoutMs));
      const off = this.on('state', (state) => {
        if (state === 'connected') {
          clearTimeout(timer);
          off();
          resolve();
        } else if (state === 'offline') {
          clearTimeout(timer);
          off();
          reject(new QuanziError('TIMEOUT', 'Offline'));
        }
      });
    });
  }

  private createSocket(): QuanziSocket {
    const socket: QuanziSocket = io(this.options.baseUrl || undefined, {
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3_000,
      ...this.options.socketOptions,
      // A function, so every reconnection presents the current token.
      auth: (cb) => cb({ token: this.rest.token }),
    });
    socket.on('connect', () => {
      this.clearRetry();
      this.setState('connected');
      this.scheduleSync(this.trackedRooms());
    });
    socket.on('disconnect', (reason) => {
      if (!this.wanted) return this.setState('offline');
      this.setState('reconnecting');
      // The server closed us on purpose (restart drain, or sign-out elsewhere): socket.io does
      // not retry by itself then. The handshake will say whether the token still works.
      if (reason === 'io server disconnect') this.retryLater(500);
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string; message?: string; details?: { retryAfterMs?: unknown } } }) => {
      if (error.data?.code === 'UNAUTHENTICATED') {
        this.wanted = false;
        this.setState('offline');
        this.emit('unauthenticated', new QuanziError('UNAUTHENTICATED', error.data.message ?? error.message));
        return;
      }
      if (!this.wanted) return;
      this.setState(this.state === 'connecting' ? 'connecting' : 'reconnecting');
      // Refused by the server's handshake (SHUTTING_DOWN, UNAVAILABLE): socket.io leaves retrying to us.
      const hint = error.data?.details?.retryAfterMs;
      if (!socket.active) this.retryLater(typeof hint === 'number' && hint >= 0 ? Math.min(hint, 10_000) : 1_000);
    });
    socket.on('message', (message) => this.onLiveMessage(message));
    socket.on('room:change', (change) => this.onLiveChange(change));
    socket.onAny((event: string, payload: unknown) => {
      // The server's events are the protocol's (shared/events.ts); the name says which payload.
      if (!STREAM_EVENTS.has(event)) this.emit('event', ...([event, payload] as ClientEvents['event']));
    });
    return socket;
  }

  private retryLater(ms: number): void {
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.wanted && this.socket && !this.socket.connected) this.socket.connect();
    }, ms);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.emit('state', state);
  }

  // ---- the streams ----

  private onLiveMessage(message: Message): void {
    let stream = this.streams.get(message.roomId);
    if (!stream) {
      // A room joined elsewhere (another tab or device): follow it from here on.
      stream = new RoomStream(message.roomId, { seq: message.seq - 1, change: null });
      this.streams.set(message.roomId, stream);
    }
    const cursor = stream.position.seq;
    for (const ready of stream.acceptMessage(message)) this.emit('message', ready);
    this.checkGap(stream, cursor, message.seq);
  }

  private onLiveChange(change: RoomChange): void {
    const stream = this.streams.get(change.roomId);
    if (!stream) return;
    const cursor = stream.position.change ?? 0;
    for (const ready of stream.acceptChange(change)) this.emit('change', ready);
    this.checkGap(stream, cursor, change.position);
  }

  private checkGap(stream: RoomStream, cursor: number, seen: number): void {
    // A sync already running for the room fills the hole; it checks again when it finishes.
    if (!stream.hasGap || this.inSync.has(stream.roomId)) return;
    this.emit('gap', { roomId: stream.roomId, cursor, seq: seen });
    this.scheduleSync([stream.roomId]);
  }

  /** Catches up these rooms (all tracked rooms by default) now; resolves when the round is done. */
  syncNow(roomIds: string[] = this.trackedRooms()): Promise<void> {
    this.scheduleSync(roomIds);
    return this.syncLoop ?? Promise.resolve();
  }

  private scheduleSync(roomIds: string[]): void {
    for (const id of roomIds) this.syncQueue.add(id);
    if (!this.syncLoop && this.syncQueue.size > 0) {
      this.syncLoop = this.runSyncLoop().finally(() => {
        this.syncLoop = null;
      });
    }
  }

  private async runSyncLoop(): Promise<void> {
    let failures = 0;
    while (this.syncQueue.size > 0 && this.socket?.connected) {
      const ids = [...this.syncQueue].filter((id) => this.streams.has(id)).slice(0, MAX_SYNC_ROOMS);
      for (const id of [...this.syncQueue]) if (!this.streams.has(id)) this.syncQueue.delete(id);
      if (ids.length === 0) break;
      const cursors: Record<string, number | { seq: number; change: number }> = {};
      for (const id of ids) {
        this.syncQueue.delete(id);
        this.inSync.add(id);
        const { seq, change } = this.streams.get(id)!.position;
        cursors[id] = change === null ? seq : { seq, change };
      }
      let result: SyncResult;
      try {
        result = await this.request('sync', { cursors });
      } catch (error) {
        for (const id of ids) this.syncQueue.add(id);
        // Without a connection the next 'connect' syncs everything anyway.
        if (!isRetryable(error) || ++failures > 5) break;
        await sleep(200 * failures);
        continue;
      } finally {
        for (const id of ids) this.inSync.delete(id);
      }
      failures = 0;
      const done: string[] = [];
      for (const [roomId, page] of Object.entries(result.rooms)) {
        if (this.applySync(roomId, page)) this.syncQueue.add(roomId);
        else done.push(roomId);
      }
      for (const roomId of result.notMember) {
        this.untrack(roomId);
        this.emit('removed', { roomId });
      }
      if (done.length > 0) this.emit('synced', { roomIds: done });
    }
  }

  /** Applies one room's sync answer; true when the room needs another round. */
  private applySync(roomId: string, page: RoomSync): boolean {
    const stream = this.streams.get(roomId);
    if (!stream) return false;
    if (page.reset) {
      const newest = page.messages.at(-1)?.seq ?? 0;
      const early = stream.reset({ seq: newest, change: page.lastChange ?? stream.position.change });
      this.emit('reset', { roomId, messages: page.messages, hasMore: page.hasMore });
      for (const message of early.messages) this.emit('message', message);
      for (const change of early.changes) this.emit('change', change);
      return false;
    }
    for (const message of page.messages) for (const ready of stream.acceptMessage(message)) this.emit('message', ready);
    // The page is all there is up to its last seq: one missing below it (a blocked sender's) will not come.
    const through = page.messages.at(-1)?.seq;
    if (through !== undefined) for (const ready of stream.settleThrough(through)) this.emit('message', ready);
    for (const change of page.changes ?? []) for (const ready of stream.acceptChange(change)) this.emit('change', ready);
    const changeCursor = stream.position.change;
    const moreChanges = page.lastChange !== undefined && changeCursor !== null && changeCursor < page.lastChange && (page.changes?.length ?? 0) > 0;
    if (page.hasMore || moreChanges) return true;
    // Complete up to the server's newest at the time of the read. Something newer than that and
    // not contiguous means a live item is still in flight; look again shortly rather than spin.
    if (stream.hasGap) setTimeout(() => this.scheduleSync([roomId]), 200);
    return false;
  }

  // ---- sending ----

  /**
   * Sends a message over the socket, retrying with the same clientMsgId after an ack timeout,
   * a dropped connection, a draining server or a server whose database is away (UNAVAILABLE, after
   * the `retryAfterMs` it asks for), waiting longer after each failure, until `deadlineMs`. Refusals (MUTED,
   * BLOCKED_BY_SAFETY, …) reject at once with the server's code. Without a realtime connection
   * (connect() never called) it goes over REST, with the same retry rule.
   */
  async send(roomId: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    const payload = {
      roomId,
      text,
      clientMsgId: options.clientMsgId ?? newClientMsgId(),
      ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}),
      ...(options.attachments?.length ? { attachments: options.attachments } : {}),
    };
    const deadline = Date.now() + (options.deadlineMs ?? this.options.sendDeadlineMs);
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new QuanziError('TIMEOUT', 'The message was not confirmed in time; it may still arrive. Retrying is safe.', { details: { clientMsgId: payload.clientMsgId } });
      try {
        if (!this.wanted) {
          const { roomId: _room, ...body } = payload;
          const sent = await this.rest.postMessage(roomId, body);
          return { message: sent.message, duplicate: false };
        }
        if (this.state !== 'connected') await this.waitUntilConnected(remaining);
        // Each retry waits longer: a slow commit must not turn into an endless string of retries.
        const patience = this.options.ackTimeoutMs * 2 ** Math.min(attempt, 6);
        return await this.request('message:send', payload, Math.min(patience, deadline - Date.now()));
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt > 0 || (error as QuanziError).code !== 'TIMEOUT') await sleep(Math.min(retryWait(error, attempt), Math.max(0, deadline - Date.now())));
      }
    }
  }

  /**
   * Any client → server socket event with an acknowledgement: resolves with the ack minus `ok`,
   * rejects with QuanziError (the server's code, or TIMEOUT / NETWORK).
   */
  async request<E extends ClientEventName>(event: E, payload: ClientEventPayload<E>, timeoutMs = this.options.ackTimeoutMs): Promise<ClientEventResult<E>> {
    // Socket.IO's types cannot follow a generic event name; the signature has paired it with its payload and answer.
    const socket: Socket | null = this.socket;
    if (!socket?.connected) throw new QuanziError('NETWORK', 'Not connected to the server');
    let ack: Ack<ClientEventResult<E>> | undefined;
    try {
      ack = await socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      throw new QuanziError('TIMEOUT', `No answer to ${event} within ${timeoutMs} ms`);
    }
    if (!ack || typeof ack !== 'object') throw new QuanziError('INTERNAL', `Malformed answer to ${event}`);
    if (!ack.ok) {
      const error = ack.error ?? { code: 'INTERNAL', message: `${event} failed` };
      throw new QuanziError(error.code, error.message, { details: error.details });
    }
    const { ok: _ok, ...rest } = ack;
    return rest as ClientEventResult<E>;
  }
}

/** A fresh clientMsgId. Uses getRandomValues, which (unlike randomUUID) also exists on plain-HTTP pages. */
export function newClientMsgId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return `c${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The longest pause between two attempts of a send, whatever the server asks. */
const MAX_RETRY_WAIT_MS = 10_000;

/**
 * How long to wait before attempt `attempt + 1`: doubling from 250 ms, at least what the server
 * asked for, at most MAX_RETRY_WAIT_MS, and spread by ±20 % so the clients of a recovering server
 * do not all come back in the same instant.
 */
function retryWait(error: unknown, attempt: number): number {
  const backoff = 250 * 2 ** Math.min(attempt, 6);
  const wait = Math.min(MAX_RETRY_WAIT_MS, Math.max(backoff, retryAfterMsOf(error) ?? 0));
  return Math.round(wait * (0.8 + Math.random() * 0.4));
}
