/**
 * The REST half of the API (docs/protocol.md), one method per endpoint, typed from
 * shared/schemas.ts. `request` stays public so callers can reach endpoints that have no typed
 * wrapper yet.
 */
import type { Static } from 'typebox';
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
import { QuanziError } from './errors.ts';

export type Auth = Static<typeof AuthResponse>;
/** `GET /v1/me`; rooms carry read state (unread counts) when the server provides it. */
export type Me = Static<typeof MeResponse>;
/** The answer to a join: `status` is 'requested' when an approval room queued a join request. */
export type Membership = Static<typeof JoinResponse> | (Static<typeof MembershipResponse> & { status?: undefined });

type Query = Record<string, string | number | boolean | undefined | null>;

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
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
      throw new QuanziError(error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${response.status}`, { status: response.status, details: error?.details });
    }
    return parsed as T;
  }

  // ---- accounts ----

  async signUp(body: SignUpBody): Promise<Auth> {
    const auth = await this.request<Auth>('POST', '/v1/users', { body });
    this.token = auth.token;
    return auth;
  }

  async signIn(body: SignInBody): Promise<Auth> {
    const auth = await this.request<Auth>('POST', '/v1/sessions', { body });
    this.token = auth.token;
    return auth;
  }

  async signOut(): Promise<void> {
    await this.request<null>('DELETE', '/v1/sessions/current');
    this.token = null;
  }

  me(): Promise<Me> {
    return this.request<Me>('GET', '/v1/me');
  }

  /**
   * Deletes the signed-in account for good (the password again, to confirm). Refused with
   * INVALID_CREDENTIALS for a wrong password and OWNER_MUST_TRANSFER (details.roomIds) while
   * the user still owns rooms.
   */
  async deleteAccount(password: string): Promise<void> {
    await this.request<null>('DELETE', '/v1/me', { body: { password } });
    this.token = null;
  }

  // ---- rooms ----

  async createRoom(body: CreateRoomBody): Promise<Room> {
    return (await this.request<{ room: Room }>('POST', '/v1/rooms', { body })).room;
  }

  async discoverRooms(query: RoomDiscoveryQuery = {}): Promise<Room[]> {
    return (await this.request<{ rooms: Room[] }>('GET', '/v1/rooms', { query })).rooms;
  }

  async getRoom(roomId: string): Promise<Room> {
    return (await this.request<{ room: Room }>('GET', `/v1/rooms/${enc(roomId)}`)).room;
  }

  /** `answer` replies to the join question of an approval room. */
  joinRoom(roomId: string, answer?: string): Promise<Membership> {
    return this.request<Membership>('POST', `/v1/rooms/${enc(roomId)}/join`, answer === undefined ? {} : { body: { answer } });
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.request<null>('POST', `/v1/rooms/${enc(roomId)}/leave`);
  }

  async members(roomId: string): Promise<Member[]> {
    return (await this.request<{ members: Member[] }>('GET', `/v1/rooms/${enc(roomId)}/members`)).members;
  }

  // ---- messages ----

  /** A history page, oldest first: `before` pages back, `after` forward, neither gives the newest. */
  history(roomId: string, query: HistoryQuery = {}): Promise<MessagePage> {
    return this.request<MessagePage>('GET', `/v1/rooms/${enc(roomId)}/messages`, { query });
  }

  async postMessage(roomId: string, body: SendMessageBody): Promise<{ message: Message }> {
    return this.request<{ message: Message }>('POST', `/v1/rooms/${enc(roomId)}/messages`, { body });
  }

  /**
   * Uploads a file to a room (multipart, one part "file"); send its id in a message's
   * `attachments`. The server decides the type from the content, never from the name.
   */
  async uploadAttachment(roomId: string, file: Blob, name: string, options: { signal?: AbortSignal } = {}): Promise<Attachment> {
    const form = new FormData();
    form.append('file', file, name);
    return (await this.request<{ attachment: Attachment }>('POST', `/v1/rooms/${enc(roomId)}/attachments`, { body: form, signal: options.signal })).attachment;
  }

  /** Browsers: sets the HttpOnly media cookie, so `<img src="/v1/attachments/…">` loads without the token in the URL. */
  async openMediaSession(): Promise<void> {
    await this.request<null>('POST', '/v1/media-session');
  }

  async closeMediaSession(): Promise<void> {
    await this.request<null>('DELETE', '/v1/media-session');
  }


  /** The room's album (群相册): sent photos and videos, newest first; page back with `before: page.nextBefore`. */
  album(roomId: string, query: AlbumQuery = {}): Promise<RoomMediaPage> {
    return this.request<RoomMediaPage>('GET', `/v1/rooms/${enc(roomId)}/album`, { query });
  }

  /** The room's files (群文件): sent audio and other files, newest first; `q` finds them by name. */
  files(roomId: string, query: FilesQuery = {}): Promise<RoomMediaPage> {
    return this.request<RoomMediaPage>('GET', `/v1/rooms/${enc(roomId)}/files`, { query });
  }

  /** Look before joining: a public room's card, announcement and newest messages, when its staff allow it. */
  previewRoom(roomId: string): Promise<RoomPreviewResponse> {
    return this.request<RoomPreviewResponse>('GET', `/v1/rooms/${enc(roomId)}/preview`);
  }

  /** Messages of one room matching every word of `q`, newest first; page with `before` = the last result's seq. */
  searchRoom(roomId: string, query: RoomSearchQuery): Promise<SearchResponse> {
    return this.request<SearchResponse>('GET', `/v1/rooms/${enc(roomId)}/search`, { query });
  }

  /** The same across every room I am in; page with `before` = the answer's `next`. */
  search(query: SearchQuery): Promise<SearchResponse> {
    return this.request<SearchResponse>('GET', '/v1/search', { query });
  }

  // ---- message actions ----

  /** Your own text message, within the server's edit window; members get a change of kind `edit`. */
  async editMessage(roomId: string, seq: number, text: string): Promise<Message> {
    return (await this.request<{ message: Message }>('PATCH', `/v1/rooms/${enc(roomId)}/messages/${seq}`, { body: { text } })).message;
  }

  /** Staff only: the earlier texts of an edited message. */
  messageVersions(roomId: string, seq: number): Promise<MessageVersionsResponse> {
    return this.request<MessageVersionsResponse>('GET', `/v1/rooms/${enc(roomId)}/messages/${seq}/versions`);
  }

  /** Forwards message `seq` into `toRoomId`; a retry with the same clientMsgId returns the same message. */
  async forwardMessage(roomId: string, seq: number, toRoomId: string, clientMsgId: string): Promise<Message> {
    return (await this.request<{ message: Message }>('POST', `/v1/rooms/${enc(roomId)}/messages/${seq}/forward`, { body: { toRoomId, clientMsgId } })).message;
  }

  async recall(roomId: string, seq: number): Promise<Recall> {
    return (await this.request<{ recall: Recall }>('POST', `/v1/rooms/${enc(roomId)}/messages/${seq}/recall`)).recall;
  }

  /** Staff only: the text of a recalled message. */
  recalledMessage(roomId: string, seq: number): Promise<RecalledMessageResponse> {
    return this.request<RecalledMessageResponse>('GET', `/v1/rooms/${enc(roomId)}/messages/${seq}/recalled`);
  }

  react(roomId: string, seq: number, emoji: string, on = true): Promise<ReactionsResponse> {
    return this.request<ReactionsResponse>(on ? 'PUT' : 'DELETE', `/v1/rooms/${enc(roomId)}/messages/${seq}/reactions/${enc(emoji)}`);
  }

  reactionDetails(roomId: string, seq: number): Promise<ReactionDetails> {
    return this.request<ReactionDetails>('GET', `/v1/rooms/${enc(roomId)}/messages/${seq}/reactions`);
  }

  /** Reaction counts for an inclusive seq range of at most 100 messages (the page on screen). */
  async reactionsInRange(roomId: string, fromSeq: number, toSeq: number): Promise<ReactionRangeResponse['reactions']> {
    return (await this.request<ReactionRangeResponse>('GET', `/v1/rooms/${enc(roomId)}/reactions`, { query: { fromSeq, toSeq } })).reactions;
  }

  async pins(roomId: string): Promise<{ pins: Pin[]; limit: number }> {
    return this.request<{ pins: Pin[]; limit: number }>('GET', `/v1/rooms/${enc(roomId)}/pins`);
  }

  pin(roomId: string, seq: number): Promise<{ pin: Pin; changed: boolean }> {
    return this.request('PUT', `/v1/rooms/${enc(roomId)}/pins/${seq}`);
  }

  unpin(roomId: string, seq: number): Promise<{ changed: boolean }> {
    return this.request('DELETE', `/v1/rooms/${enc(roomId)}/pins/${seq}`);
  }

  announcement(roomId: string): Promise<CurrentAnnouncementResponse> {
    return this.request<CurrentAnnouncementResponse>('GET', `/v1/rooms/${enc(roomId)}/announcement`);
  }

  async postAnnouncement(roomId: string, text: string): Promise<Announcement> {
    return (await this.request<{ announcement: Announcement }>('POST', `/v1/rooms/${enc(roomId)}/announcement`, { body: { text } })).announcement;
  }

  /** "I've read it". */
  markAnnouncementRead(roomId: string): Promise<AnnouncementReadResponse> {
    return this.request<AnnouncementReadResponse>('POST', `/v1/rooms/${enc(roomId)}/announcement/read`);
  }

  announcementReads(roomId: string): Promise<AnnouncementReadsResponse> {
    return this.request<AnnouncementReadsResponse>('GET', `/v1/rooms/${enc(roomId)}/announcement/reads`);
  }

  // ---- read state and presence ----

  markRead(roomId: string, seq: number): Promise<ReadPosition> {
    return this.request<ReadPosition>('POST', `/v1/rooms/${enc(roomId)}/read`, { body: { seq } });
  }

  presence(roomId: string): Promise<RoomPresence> {
    return this.request<RoomPresence>('GET', `/v1/rooms/${enc(roomId)}/presence`);
  }

  // ---- running a group: settings, roles, moderation (owner and admins) ----

  async updateRoom(roomId: string, body: UpdateRoomBody): Promise<Room> {
    return (await this.request<{ room: Room }>('PATCH', `/v1/rooms/${enc(roomId)}`, { body })).room;
  }

  /** Owner only: deletes the room; every member gets `room:removed` with reason 'dissolved'. */
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

  async dissolveRoom(roomId: string): Promise<void> {
    await this.request<null>('DELETE', `/v1/rooms/${enc(roomId)}`);
  }

  async setRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
    await this.request('PUT', `/v1/rooms/${enc(roomId)}/members/${enc(userId)}/role`, { body: { role } });
  }

  async transferOwnership(roomId: string, userId: string): Promise<void> {
    await this.request('POST', `/v1/rooms/${enc(roomId)}/transfer`, { body: { userId } });
  }

  /** 群昵称; null clears it. */
  async setNickname(roomId: string, nickname: string | null): Promise<void> {
    await this.request('PUT', `/v1/rooms/${enc(roomId)}/members/me/nickname`, { body: { nickname } });
  }

  /** Without durationSeconds: until unmuted. Resolves to the end of the mute. */
  mute(roomId: string, userId: string, body: Static<typeof MuteBody> = {}): Promise<{ until: string | null }> {
    return this.request('POST', `/v1/rooms/${enc(roomId)}/members/${enc(userId)}/mute`, { body });
  }

  async unmute(roomId: string, userId: string): Promise<void> {
    await this.request('DELETE', `/v1/rooms/${enc(roomId)}/members/${enc(userId)}/mute`);
  }

  async kick(roomId: string, userId: string, reason?: string): Promise<void> {
    await this.request('POST', `/v1/rooms/${enc(roomId)}/members/${enc(userId)}/kick`, { body: reason ? { reason } : {} });
  }

  async ban(roomId: string, body: Static<typeof BanBody>): Promise<void> {
    await this.request('POST', `/v1/rooms/${enc(roomId)}/bans`, { body });
  }

  async bans(roomId: string): Promise<Ban[]> {
    return (await this.request<{ bans: Ban[] }>('GET', `/v1/rooms/${enc(roomId)}/bans`)).bans;
  }

  async unban(roomId: string, userId: string): Promise<void> {
    await this.request('DELETE', `/v1/rooms/${enc(roomId)}/bans/${enc(userId)}`);
  }

  /** 全员禁言 on or off. */
  async setMuteAll(roomId: string, enabled: boolean): Promise<Room> {
    return (await this.request<{ room: Room }>('PUT', `/v1/rooms/${enc(roomId)}/mute-all`, { body: { enabled } })).room;
  }

  async setSlowMode(roomId: string, seconds: number): Promise<Room> {
    return (await this.request<{ room: Room }>('PUT', `/v1/rooms/${enc(roomId)}/slow-mode`, { body: { seconds } })).room;
  }

  async audit(roomId: string, query: Static<typeof AuditQuery> = {}): Promise<AuditEntry[]> {
    return (await this.request<{ entries: AuditEntry[] }>('GET', `/v1/rooms/${enc(roomId)}/audit`, { query })).entries;
  }

  // ---- joining: requests and invite links ----

  async joinRequests(roomId: string, status: JoinRequest['status'] = 'pending'): Promise<JoinRequest[]> {
    return (await this.request<{ requests: JoinRequest[] }>('GET', `/v1/rooms/${enc(roomId)}/join-requests`, { query: { status } })).requests;
  }

  async decideJoinRequest(roomId: string, requestId: string, verb: 'approve' | 'reject'): Promise<JoinRequest> {
    return (await this.request<{ request: JoinRequest }>('POST', `/v1/rooms/${enc(roomId)}/join-requests/${enc(requestId)}/${verb}`)).request;
  }

  async createInvite(roomId: string, body: Static<typeof CreateInviteBody> = {}): Promise<Invite> {
    return (await this.request<{ invite: Invite }>('POST', `/v1/rooms/${enc(roomId)}/invites`, { body })).invite;
  }

  async invites(roomId: string): Promise<Invite[]> {
    return (await this.request<{ invites: Invite[] }>('GET', `/v1/rooms/${enc(roomId)}/invites`)).invites;
  }

  async revokeInvite(roomId: string, inviteId: string): Promise<void> {
    await this.request('DELETE', `/v1/rooms/${enc(roomId)}/invites/${enc(inviteId)}`);
  }

  inviteInfo(code: string): Promise<{ room: Room; expiresAt: string | null }> {
    return this.request('GET', `/v1/invites/${enc(code)}`);
  }

  acceptInvite(code: string): Promise<Membership> {
    return this.request<Membership>('POST', `/v1/invites/${enc(code)}/accept`);
  }

  // ---- safety: reports, review queue, policy ----

  async report(roomId: string, seq: number, body: ReportBody): Promise<Report> {
    return (await this.request<{ report: Report }>('POST', `/v1/rooms/${enc(roomId)}/messages/${seq}/report`, { body })).report;
  }

  reviewQueue(roomId: string, query: ReviewQuery = {}): Promise<ReviewQueueResponse> {
    return this.request<ReviewQueueResponse>('GET', `/v1/rooms/${enc(roomId)}/review`, { query });
  }

  decideHeld(roomId: string, heldId: string, verb: 'approve' | 'reject'): Promise<HeldDecisionResponse> {
    return this.request<HeldDecisionResponse>('POST', `/v1/rooms/${enc(roomId)}/review/${enc(heldId)}/${verb}`);
  }

  /** Approve (it becomes `ready`) or reject (it becomes `blocked`) an attachment the safety rules held. */
  decideHeldAttachment(roomId: string, attachmentId: string, verb: 'approve' | 'reject'): Promise<AttachmentDecisionResponse> {
    return this.request<AttachmentDecisionResponse>('POST', `/v1/rooms/${enc(roomId)}/review/attachments/${enc(attachmentId)}/${verb}`);
  }

  decideReported(roomId: string, seq: number, verb: 'dismiss' | 'remove'): Promise<ReportDecisionResponse> {
    return this.request<ReportDecisionResponse>('POST', `/v1/rooms/${enc(roomId)}/review/messages/${seq}/${verb}`);
  }

  safetyPolicy(roomId: string): Promise<SafetyPolicyResponse> {
    return this.request<SafetyPolicyResponse>('GET', `/v1/rooms/${enc(roomId)}/safety`);
  }

  setSafetyPolicy(roomId: string, policy: SafetyPolicy): Promise<SafetyPolicyResponse> {
    return this.request<SafetyPolicyResponse>('PUT', `/v1/rooms/${enc(roomId)}/safety`, { body: policy });
  }

  // ---- bots and incoming webhooks (docs/bots.md) ----

  async createBot(body: CreateBotBody): Promise<Bot> {
    return (await this.request<{ bot: Bot }>('POST', '/v1/bots', { body })).bot;
  }

  async myBots(): Promise<Bot[]> {
    return (await this.request<{ bots: Bot[] }>('GET', '/v1/bots')).bots;
  }

  async roomBots(roomId: string): Promise<Bot[]> {
    return (await this.request<{ bots: Bot[] }>('GET', `/v1/rooms/${enc(roomId)}/bots`)).bots;
  }

  async addBotToRoom(roomId: string, botId: string): Promise<void> {
    await this.request('POST', `/v1/rooms/${enc(roomId)}/bots`, { body: { botId } });
  }

  async removeBotFromRoom(roomId: string, botId: string): Promise<void> {
    await this.request('DELETE', `/v1/rooms/${enc(roomId)}/bots/${enc(botId)}`);
  }

  /** The secret is in this answer only. */
  issueBotToken(botId: string, scopes: BotScope[], name?: string): Promise<IssuedBotTokenResponse> {
    return this.request<IssuedBotTokenResponse>('POST', `/v1/bots/${enc(botId)}/tokens`, { body: name ? { scopes, name } : { scopes } });
  }

  async botTokens(botId: string): Promise<BotToken[]> {
    return (await this.request<{ tokens: BotToken[] }>('GET', `/v1/bots/${enc(botId)}/tokens`)).tokens;
  }

  rotateBotToken(botId: string, tokenId: string): Promise<IssuedBotTokenResponse> {
    return this.request<IssuedBotTokenResponse>('POST', `/v1/bots/${enc(botId)}/tokens/${enc(tokenId)}/rotate`);
  }

  async revokeBotToken(botId: string, tokenId: string): Promise<void> {
    await this.request('DELETE', `/v1/bots/${enc(botId)}/tokens/${enc(tokenId)}`);
  }

  /** `signingSecret` is in the answer only when a new one was issued. */
  setBotWebhook(botId: string, body: SetBotWebhookBody): Promise<BotWebhookResponse> {
    return this.request<BotWebhookResponse>('PUT', `/v1/bots/${enc(botId)}/webhook`, { body });
  }

  async removeBotWebhook(botId: string): Promise<void> {
    await this.request('DELETE', `/v1/bots/${enc(botId)}/webhook`);
  }

  resumeBotWebhook(botId: string): Promise<BotWebhookResponse> {
    return this.request<BotWebhookResponse>('POST', `/v1/bots/${enc(botId)}/webhook/resume`);
  }

  async botDeliveries(botId: string, limit = 50): Promise<BotDelivery[]> {
    return (await this.request<{ deliveries: BotDelivery[] }>('GET', `/v1/bots/${enc(botId)}/deliveries`, { query: { limit } })).deliveries;
  }

  /** `url` (a path, /v1/hooks/:hookId/:secret) is in this answer only. */
  createIncomingWebhook(roomId: string, body: CreateIncomingWebhookBody): Promise<{ hook: IncomingWebhook; url: string }> {
    return this.request('POST', `/v1/rooms/${enc(roomId)}/hooks`, { body });
  }

  async incomingWebhooks(roomId: string): Promise<IncomingWebhook[]> {
    return (await this.request<{ hooks: IncomingWebhook[] }>('GET', `/v1/rooms/${enc(roomId)}/hooks`)).hooks;
  }

  async revokeIncomingWebhook(roomId: string, hookId: string): Promise<void> {
    await this.request('DELETE', `/v1/rooms/${enc(roomId)}/hooks/${enc(hookId)}`);
  }
}

export const enc = encodeURIComponent;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
