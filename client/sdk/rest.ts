/**
 * The REST half of the API (docs/protocol.md), one method per endpoint, typed from
 * shared/schemas.ts. `request` stays public so callers can reach endpoints that have no typed
 * wrapper yet.
 */
import type { Static, TSchema } from 'typebox';
import type {
  AlbumQuery,
  Announcement,
  AnnouncementReadResponse,
  AnnouncementReadsResponse,
  Attachment,
  AuditEntry,
  AuditQuery,
  AuthResponse,
  RoomExportLine,
  Ban,
  BanBody,
  Bot,
  BotDelivery,
  BotScope,
  BotToken,
  BotWebhookResponse,
  CreateBotBody,
  CreateIncomingWebhookBody,
  IncomingWebhook,
  IssuedBotTokenResponse,
  SetBotWebhookBody,
  CreateInviteBody,
  AttachmentDecisionResponse,
  FilesQuery,
  HeldDecisionResponse,
  Invite,
  JoinRequest,
  MuteBody,
  Report,
  ReportBody,
  ReportDecisionResponse,
  ReviewQuery,
  ReviewQueueResponse,
  RoomMediaPage,
  SafetyPolicy,
  SafetyPolicyResponse,
  UpdateRoomBody,
  CurrentAnnouncementResponse,
  CreateRoomBody,
  HistoryQuery,
  JoinResponse,
  Member,
  MeResponse,
  MembershipResponse,
  Message,
  MessagePage,
  Pin,
  ReactionDetails,
  ReactionRangeResponse,
  ReactionsResponse,
  ReadPosition,
  Recall,
  RecalledMessageResponse,
  Room,
  RoomPresence,
  RoomDiscoveryQuery,
  RoomPreviewResponse,
  RoomSearchQuery,
  SearchQuery,
  SearchResponse,
  MessageVersionsResponse,
  SendMessageBody,
  SignInBody,
  SignUpBody,
} from '../../shared/schemas.ts';
import type { ApiRoute, ApiRoutes } from '../../shared/api-routes.ts';
import { QuanziError } from './errors.ts';

export type Auth = Static<typeof AuthResponse>;
/** `GET /v1/me`; rooms carry read state (unread counts) when the server provides it. */
export type Me = Static<typeof MeResponse>;
/** The answer to a join: `status` is 'requested' when an approval room queued a join request. */
export type Membership = Static<typeof JoinResponse> | (Static<typeof MembershipResponse> & { status?: undefined });

type Query = Record<string, string | number | boolean | undefined | null>;

// ---- the typed route table (shared/api-routes.ts), as call() arguments and answers ----

type Contract<R extends ApiRoute> = ApiRoutes[R];
type PathOf<R extends string> = R extends `${string} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;
/** What a route takes as its body: its JSON schema's type, or a form for an upload. */
export type BodyOf<R extends ApiRoute> = Contract<R> extends { body: infer B extends TSchema } ? Static<B> : Contract<R> extends { multipart: true } ? FormData : never;
export type QueryOf<R extends ApiRoute> = Contract<R> extends { query: infer Q extends TSchema } ? Static<Q> : never;
/** What a route answers; null for a 204. */
export type AnswerOf<R extends ApiRoute> = Contract<R> extends { response: infer A extends TSchema }
  ? Static<A>
  : Contract<R> extends { responses: Record<number, infer A extends TSchema> }
    ? Static<A>
    : null;
export type RouteParams<R extends ApiRoute> = Record<ParamNames<PathOf<R>>, string | number>;
export type CallArgs<R extends ApiRoute> = ([ParamNames<PathOf<R>>] extends [never] ? unknown : { params: RouteParams<R> }) &
  ([BodyOf<R>] extends [never] ? unknown : { body: BodyOf<R> }) &
  ([QueryOf<R>] extends [never] ? unknown : { query?: QueryOf<R> }) & { signal?: AbortSignal };
type CallArgsTuple<R extends ApiRoute> = object extends CallArgs<R> ? [args?: CallArgs<R>] : [args: CallArgs<R>];

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

export class RestClient {
  /** Bearer token; set by signUp / signIn, cleared by signOut. */
  token: string | null;

  constructor(
    /** e.g. `http://localhost:3000`; '' in a browser page served by the server itself. */
    readonly baseUrl: string,
    token: string | null = null,
    private readonly fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
  ) {
    this.token = token;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | FormData | undefined;
    // A form (an upload) sets its own multipart content type, boundary included.
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path + queryString(options.query), { method, headers, body, signal: options.signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new QuanziError('NETWORK', `Could not reach the server: ${(error as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new QuanziError('INTERNAL', `The server answered ${response.status} with something that is not JSON`, { status: response.status });
      }
    }
    const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
    // A 202 with an error body (held for review: a message, a 接龙 line) is an outcome, not the answer asked for.
    if (!response.ok || (response.status === 202 && error)) {
      throw new QuanziError(error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${response.status}`, { status: response.status, details: error?.details });
    }
    return parsed as T;
  }

  /**
   * One route of the contract (shared/api-routes.ts): the path, its parameters, the body, the
   * query and the answer are all typed from the route's schemas, so a route the client does not
   * follow fails the type-check here rather than at run time.
   */
  call<R extends ApiRoute>(route: R, ...[args]: CallArgsTuple<R>): Promise<AnswerOf<R>> {
    const given = (args ?? {}) as { params?: Record<string, string | number>; body?: unknown; query?: Query; signal?: AbortSignal };
    const { method, path } = routeTarget(route, (given.params ?? {}) as RouteParams<R>);
    return this.request<AnswerOf<R>>(method, path, { body: given.body, query: given.query, signal: given.signal });
  }

  // ---- accounts ----

  async signUp(body: SignUpBody): Promise<Auth> {
    const auth = await this.call('POST /v1/users', { body });
    this.token = auth.token;
    return auth;
  }

  async signIn(body: SignInBody): Promise<Auth> {
    const auth = await this.call('POST /v1/sessions', { body });
    this.token = auth.token;
    return auth;
  }

  async signOut(): Promise<void> {
    await this.call('DELETE /v1/sessions/current');
    this.token = null;
  }

  me(): Promise<Me> {
    return this.call('GET /v1/me');
  }

  /**
   * Deletes the signed-in account for good (the password again, to confirm). Refused with
   * INVALID_CREDENTIALS for a wrong password and OWNER_MUST_TRANSFER (details.roomIds) while
   * the user still owns rooms.
   */
  async deleteAccount(password: string): Promise<void> {
    await this.call('DELETE /v1/me', { body: { password } });
    this.token = null;
  }

  // ---- rooms ----

  async createRoom(body: CreateRoomBody): Promise<Room> {
    return (await this.call('POST /v1/rooms', { body })).room;
  }

  async discoverRooms(query: RoomDiscoveryQuery = {}): Promise<Room[]> {
    return (await this.call('GET /v1/rooms', { query })).rooms;
  }

  async getRoom(roomId: string): Promise<Room> {
    return (await this.call('GET /v1/rooms/:roomId', { params: { roomId } })).room;
  }

  /** `answer` replies to the join question of an approval room. */
  joinRoom(roomId: string, answer?: string): Promise<Membership> {
    return this.call('POST /v1/rooms/:roomId/join', { params: { roomId }, body: answer === undefined ? undefined : { answer } } as CallArgs<'POST /v1/rooms/:roomId/join'>);
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.call('POST /v1/rooms/:roomId/leave', { params: { roomId } });
  }

  async members(roomId: string): Promise<Member[]> {
    return (await this.call('GET /v1/rooms/:roomId/members', { params: { roomId } })).members;
  }

  // ---- messages ----

  /** A history page, oldest first: `before` pages back, `after` forward, neither gives the newest. */
  history(roomId: string, query: HistoryQuery = {}): Promise<MessagePage> {
    return this.call('GET /v1/rooms/:roomId/messages', { params: { roomId }, query });
  }

  async postMessage(roomId: string, body: SendMessageBody): Promise<{ message: Message }> {
    return this.call('POST /v1/rooms/:roomId/messages', { params: { roomId }, body });
  }

  /**
   * Uploads a file to a room (multipart, one part "file"); send its id in a message's
   * `attachments`. The server decides the type from the content, never from the name. A video
   * may bring `poster`, a JPEG, PNG or WebP of its first frame, which becomes its thumbnail.
   */
  async uploadAttachment(roomId: string, file: Blob, name: string, options: { signal?: AbortSignal; poster?: Blob } = {}): Promise<Attachment> {
    const form = new FormData();
    // Before the file: the server reads the parts in order and streams the file as it comes.
    if (options.poster) form.append('poster', options.poster, 'poster.jpg');
    form.append('file', file, name);
    return (await this.call('POST /v1/rooms/:roomId/attachments', { params: { roomId }, body: form, signal: options.signal })).attachment;
  }

  /** Browsers: sets the HttpOnly media cookie, so `<img src="/v1/attachments/…">` loads without the token in the URL. */
  async openMediaSession(): Promise<void> {
    await this.call('POST /v1/media-session');
  }

  async closeMediaSession(): Promise<void> {
    await this.call('DELETE /v1/media-session');
  }

  /** The room's album (群相册): sent photos and videos, newest first; page back with `before: page.nextBefore`. */
  album(roomId: string, query: AlbumQuery = {}): Promise<RoomMediaPage> {
    return this.call('GET /v1/rooms/:roomId/album', { params: { roomId }, query });
  }

  /** The room's files (群文件): sent audio and other files, newest first; `q` finds them by name. */
  files(roomId: string, query: FilesQuery = {}): Promise<RoomMediaPage> {
    return this.call('GET /v1/rooms/:roomId/files', { params: { roomId }, query });
  }

  /** Look before joining: a public room's card, announcement and newest messages, when its staff allow it. */
  previewRoom(roomId: string): Promise<RoomPreviewResponse> {
    return this.call('GET /v1/rooms/:roomId/preview', { params: { roomId } });
  }

  /** Messages of one room matching every word of `q`, newest first; page with `before` = the last result's seq. */
  searchRoom(roomId: string, query: RoomSearchQuery): Promise<SearchResponse> {
    return this.call('GET /v1/rooms/:roomId/search', { params: { roomId }, query });
  }

  /** The same across every room I am in; page with `before` = the answer's `next`. */
  search(query: SearchQuery): Promise<SearchResponse> {
    return this.call('GET /v1/search', { query });
  }

  // ---- message actions ----

  /** Your own text message, within the server's edit window; members get a change of kind `edit`. */
  async editMessage(roomId: string, seq: number, text: string): Promise<Message> {
    return (await this.call('PATCH /v1/rooms/:roomId/messages/:seq', { params: { roomId, seq }, body: { text } })).message;
  }

  /** Staff only: the earlier texts of an edited message. */
  messageVersions(roomId: string, seq: number): Promise<MessageVersionsResponse> {
    return this.call('GET /v1/rooms/:roomId/messages/:seq/versions', { params: { roomId, seq } });
  }

  /** Forwards message `seq` into `toRoomId`; a retry with the same clientMsgId returns the same message. */
  async forwardMessage(roomId: string, seq: number, toRoomId: string, clientMsgId: string): Promise<Message> {
    return (await this.call('POST /v1/rooms/:roomId/messages/:seq/forward', { params: { roomId, seq }, body: { toRoomId, clientMsgId } })).message;
  }

  async recall(roomId: string, seq: number): Promise<Recall> {
    return (await this.call('POST /v1/rooms/:roomId/messages/:seq/recall', { params: { roomId, seq } })).recall;
  }

  /** Staff only: the text of a recalled message. */
  recalledMessage(roomId: string, seq: number): Promise<RecalledMessageResponse> {
    return this.call('GET /v1/rooms/:roomId/messages/:seq/recalled', { params: { roomId, seq } });
  }

  react(roomId: string, seq: number, emoji: string, on = true): Promise<ReactionsResponse> {
    const params = { roomId, seq, emoji };
    return on ? this.call('PUT /v1/rooms/:roomId/messages/:seq/reactions/:emoji', { params }) : this.call('DELETE /v1/rooms/:roomId/messages/:seq/reactions/:emoji', { params });
  }

  reactionDetails(roomId: string, seq: number): Promise<ReactionDetails> {
    return this.call('GET /v1/rooms/:roomId/messages/:seq/reactions', { params: { roomId, seq } });
  }

  /** Reaction counts for an inclusive seq range of at most 100 messages (the page on screen). */
  async reactionsInRange(roomId: string, fromSeq: number, toSeq: number): Promise<ReactionRangeResponse['reactions']> {
    return (await this.call('GET /v1/rooms/:roomId/reactions', { params: { roomId }, query: { fromSeq, toSeq } })).reactions;
  }

  async pins(roomId: string): Promise<{ pins: Pin[]; limit: number }> {
    return this.call('GET /v1/rooms/:roomId/pins', { params: { roomId } });
  }

  pin(roomId: string, seq: number): Promise<{ pin: Pin; changed: boolean }> {
    return this.call('PUT /v1/rooms/:roomId/pins/:seq', { params: { roomId, seq } });
  }

  unpin(roomId: string, seq: number): Promise<{ changed: boolean }> {
    return this.call('DELETE /v1/rooms/:roomId/pins/:seq', { params: { roomId, seq } });
  }

  announcement(roomId: string): Promise<CurrentAnnouncementResponse> {
    return this.call('GET /v1/rooms/:roomId/announcement', { params: { roomId } });
  }

  async postAnnouncement(roomId: string, text: string): Promise<Announcement> {
    return (await this.call('POST /v1/rooms/:roomId/announcement', { params: { roomId }, body: { text } })).announcement;
  }

  /** "I've read it". */
  markAnnouncementRead(roomId: string): Promise<AnnouncementReadResponse> {
    return this.call('POST /v1/rooms/:roomId/announcement/read', { params: { roomId } });
  }

  announcementReads(roomId: string): Promise<AnnouncementReadsResponse> {
    return this.call('GET /v1/rooms/:roomId/announcement/reads', { params: { roomId } });
  }

  // ---- read state and presence ----

  markRead(roomId: string, seq: number): Promise<ReadPosition> {
    return this.call('POST /v1/rooms/:roomId/read', { params: { roomId }, body: { seq } });
  }

  presence(roomId: string): Promise<RoomPresence> {
    return this.call('GET /v1/rooms/:roomId/presence', { params: { roomId } });
  }

  // ---- running a group: settings, roles, moderation (owner and admins) ----

  async updateRoom(roomId: string, body: UpdateRoomBody): Promise<Room> {
    return (await this.call('PATCH /v1/rooms/:roomId', { params: { roomId }, body })).room;
  }

  /**
   * Owner and admins: the room's export, line by line as it downloads (never the whole file in
   * memory). The last line is `{ type: 'end' }`; a download that ends without it was cut short,
   * and this throws.
   */
  async *exportRoom(roomId: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<RoomExportLine> {
    const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/v1/rooms/${enc(roomId)}/export`, { headers, signal: options.signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new QuanziError('NETWORK', `Could not reach the server: ${(error as Error).message}`);
    }
    if (!response.ok || !response.body) {
      const error = ((await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
      throw new QuanziError(error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${response.status}`, { status: response.status, details: error?.details });
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let tail = '';
    let ended = false;
    for (;;) {
      const { done, value } = await reader.read();
      const lines = (tail + (done ? decoder.decode() : decoder.decode(value, { stream: true }))).split('\n');
      tail = done ? '' : lines.pop()!;
      for (const line of lines) {
        if (line === '') continue;
        const parsed = JSON.parse(line) as RoomExportLine;
        ended = parsed.type === 'end';
        yield parsed;
      }
      if (done) break;
    }
    if (!ended) throw new QuanziError('NETWORK', 'The export was cut short: its end line never arrived');
  }

  /** Owner only: deletes the room; every member gets `room:removed` with reason 'dissolved'. */
  async dissolveRoom(roomId: string): Promise<void> {
    await this.call('DELETE /v1/rooms/:roomId', { params: { roomId } });
  }

  async setRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
    await this.call('PUT /v1/rooms/:roomId/members/:userId/role', { params: { roomId, userId }, body: { role } });
  }

  async transferOwnership(roomId: string, userId: string): Promise<void> {
    await this.call('POST /v1/rooms/:roomId/transfer', { params: { roomId }, body: { userId } });
  }

  /** 群昵称; null clears it. */
  async setNickname(roomId: string, nickname: string | null): Promise<void> {
    await this.call('PUT /v1/rooms/:roomId/members/me/nickname', { params: { roomId }, body: { nickname } });
  }

  /** Without durationSeconds: until unmuted. Resolves to the end of the mute. */
  mute(roomId: string, userId: string, body: Static<typeof MuteBody> = {}): Promise<{ until: string | null }> {
    return this.call('POST /v1/rooms/:roomId/members/:userId/mute', { params: { roomId, userId }, body });
  }

  async unmute(roomId: string, userId: string): Promise<void> {
    await this.call('DELETE /v1/rooms/:roomId/members/:userId/mute', { params: { roomId, userId } });
  }

  async kick(roomId: string, userId: string, reason?: string): Promise<void> {
    await this.call('POST /v1/rooms/:roomId/members/:userId/kick', { params: { roomId, userId }, body: reason ? { reason } : {} });
  }

  async ban(roomId: string, body: Static<typeof BanBody>): Promise<void> {
    await this.call('POST /v1/rooms/:roomId/bans', { params: { roomId }, body });
  }

  async bans(roomId: string): Promise<Ban[]> {
    return (await this.call('GET /v1/rooms/:roomId/bans', { params: { roomId } })).bans;
  }

  async unban(roomId: string, userId: string): Promise<void> {
    await this.call('DELETE /v1/rooms/:roomId/bans/:userId', { params: { roomId, userId } });
  }

  /** 全员禁言 on or off. */
  async setMuteAll(roomId: string, enabled: boolean): Promise<Room> {
    return (await this.call('PUT /v1/rooms/:roomId/mute-all', { params: { roomId }, body: { enabled } })).room;
  }

  async setSlowMode(roomId: string, seconds: number): Promise<Room> {
    return (await this.call('PUT /v1/rooms/:roomId/slow-mode', { params: { roomId }, body: { seconds } })).room;
  }

  async audit(roomId: string, query: Static<typeof AuditQuery> = {}): Promise<AuditEntry[]> {
    return (await this.call('GET /v1/rooms/:roomId/audit', { params: { roomId }, query })).entries;
  }

  // ---- joining: requests and invite links ----

  async joinRequests(roomId: string, status: JoinRequest['status'] = 'pending'): Promise<JoinRequest[]> {
    return (await this.call('GET /v1/rooms/:roomId/join-requests', { params: { roomId }, query: { status } })).requests;
  }

  async decideJoinRequest(roomId: string, requestId: string, verb: 'approve' | 'reject'): Promise<JoinRequest> {
    const params = { roomId, requestId };
    const answer = verb === 'approve' ? await this.call('POST /v1/rooms/:roomId/join-requests/:requestId/approve', { params }) : await this.call('POST /v1/rooms/:roomId/join-requests/:requestId/reject', { params });
    return answer.request;
  }

  async createInvite(roomId: string, body: Static<typeof CreateInviteBody> = {}): Promise<Invite> {
    return (await this.call('POST /v1/rooms/:roomId/invites', { params: { roomId }, body })).invite;
  }

  async invites(roomId: string): Promise<Invite[]> {
    return (await this.call('GET /v1/rooms/:roomId/invites', { params: { roomId } })).invites;
  }

  async revokeInvite(roomId: string, inviteId: string): Promise<void> {
    await this.call('DELETE /v1/rooms/:roomId/invites/:inviteId', { params: { roomId, inviteId } });
  }

  inviteInfo(code: string): Promise<{ room: Room; expiresAt: string | null }> {
    return this.call('GET /v1/invites/:code', { params: { code } });
  }

  acceptInvite(code: string): Promise<Membership> {
    return this.call('POST /v1/invites/:code/accept', { params: { code } });
  }

  // ---- safety: reports, review queue, policy ----

  async report(roomId: string, seq: number, body: ReportBody): Promise<Report> {
    return (await this.call('POST /v1/rooms/:roomId/messages/:seq/report', { params: { roomId, seq }, body })).report;
  }

  reviewQueue(roomId: string, query: ReviewQuery = {}): Promise<ReviewQueueResponse> {
    return this.call('GET /v1/rooms/:roomId/review', { params: { roomId }, query });
  }

  decideHeld(roomId: string, heldId: string, verb: 'approve' | 'reject'): Promise<HeldDecisionResponse> {
    const params = { roomId, heldId };
    return verb === 'approve' ? this.call('POST /v1/rooms/:roomId/review/:heldId/approve', { params }) : this.call('POST /v1/rooms/:roomId/review/:heldId/reject', { params });
  }

  /** Approve (it becomes `ready`) or reject (it becomes `blocked`) an attachment the safety rules held. */
  decideHeldAttachment(roomId: string, attachmentId: string, verb: 'approve' | 'reject'): Promise<AttachmentDecisionResponse> {
    const params = { roomId, attachmentId };
    return verb === 'approve'
      ? this.call('POST /v1/rooms/:roomId/review/attachments/:attachmentId/approve', { params })
      : this.call('POST /v1/rooms/:roomId/review/attachments/:attachmentId/reject', { params });
  }

  decideReported(roomId: string, seq: number, verb: 'dismiss' | 'remove'): Promise<ReportDecisionResponse> {
    const params = { roomId, seq };
    return verb === 'dismiss' ? this.call('POST /v1/rooms/:roomId/review/messages/:seq/dismiss', { params }) : this.call('POST /v1/rooms/:roomId/review/messages/:seq/remove', { params });
  }

  safetyPolicy(roomId: string): Promise<SafetyPolicyResponse> {
    return this.call('GET /v1/rooms/:roomId/safety', { params: { roomId } });
  }

  setSafetyPolicy(roomId: string, policy: SafetyPolicy): Promise<SafetyPolicyResponse> {
    return this.call('PUT /v1/rooms/:roomId/safety', { params: { roomId }, body: policy });
  }

  // ---- bots and incoming webhooks (docs/bots.md) ----

  async createBot(body: CreateBotBody): Promise<Bot> {
    return (await this.call('POST /v1/bots', { body })).bot;
  }

  async myBots(): Promise<Bot[]> {
    return (await this.call('GET /v1/bots')).bots;
  }

  async roomBots(roomId: string): Promise<Bot[]> {
    return (await this.call('GET /v1/rooms/:roomId/bots', { params: { roomId } })).bots;
  }

  async addBotToRoom(roomId: string, botId: string): Promise<void> {
    await this.call('POST /v1/rooms/:roomId/bots', { params: { roomId }, body: { botId } });
  }

  async removeBotFromRoom(roomId: string, botId: string): Promise<void> {
    await this.call('DELETE /v1/rooms/:roomId/bots/:botId', { params: { roomId, botId } });
  }

  /** The secret is in this answer only. */
  issueBotToken(botId: string, scopes: BotScope[], name?: string): Promise<IssuedBotTokenResponse> {
    return this.call('POST /v1/bots/:botId/tokens', { params: { botId }, body: name ? { scopes, name } : { scopes } });
  }

  async botTokens(botId: string): Promise<BotToken[]> {
    return (await this.call('GET /v1/bots/:botId/tokens', { params: { botId } })).tokens;
  }

  rotateBotToken(botId: string, tokenId: string): Promise<IssuedBotTokenResponse> {
    return this.call('POST /v1/bots/:botId/tokens/:tokenId/rotate', { params: { botId, tokenId } });
  }

  async revokeBotToken(botId: string, tokenId: string): Promise<void> {
    await this.call('DELETE /v1/bots/:botId/tokens/:tokenId', { params: { botId, tokenId } });
  }

  /** `signingSecret` is in the answer only when a new one was issued. */
  setBotWebhook(botId: string, body: SetBotWebhookBody): Promise<BotWebhookResponse> {
    return this.call('PUT /v1/bots/:botId/webhook', { params: { botId }, body });
  }

  async removeBotWebhook(botId: string): Promise<void> {
    await this.call('DELETE /v1/bots/:botId/webhook', { params: { botId } });
  }

  resumeBotWebhook(botId: string): Promise<BotWebhookResponse> {
    return this.call('POST /v1/bots/:botId/webhook/resume', { params: { botId } });
  }

  async botDeliveries(botId: string, limit = 50): Promise<BotDelivery[]> {
    return (await this.call('GET /v1/bots/:botId/deliveries', { params: { botId }, query: { limit } })).deliveries;
  }

  /** `url` (a path, /v1/hooks/:hookId/:secret) is in this answer only. */
  createIncomingWebhook(roomId: string, body: CreateIncomingWebhookBody): Promise<{ hook: IncomingWebhook; url: string }> {
    return this.call('POST /v1/rooms/:roomId/hooks', { params: { roomId }, body });
  }

  async incomingWebhooks(roomId: string): Promise<IncomingWebhook[]> {
    return (await this.call('GET /v1/rooms/:roomId/hooks', { params: { roomId } })).hooks;
  }

  async revokeIncomingWebhook(roomId: string, hookId: string): Promise<void> {
    await this.call('DELETE /v1/rooms/:roomId/hooks/:hookId', { params: { roomId, hookId } });
  }
}

export const enc = encodeURIComponent;

/** The method and the path of a route of the contract, its parameters filled in (for callers that cannot use fetch, like an upload with progress). */
export function routeTarget<R extends ApiRoute>(route: R, params: RouteParams<R>): { method: string; path: string } {
  const [method, template] = route.split(' ') as [string, string];
  const values = params as Record<string, string | number>;
  return { method, path: template.replace(/:(\w+)/g, (_, name: string) => enc(String(values[name]))) };
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
