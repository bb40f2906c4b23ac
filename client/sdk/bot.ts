/**
 * The bot side of the SDK (Node): a typed REST client that authenticates with
 * `Authorization: Bot <token>`, signature verification for outgoing-event deliveries, and a
 * ready-made `node:http` handler that verifies, parses and answers them. See docs/bots.md.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  Announcement,
  BotDelivery,
  BotEventEnvelope,
  BotEventName,
  BotWebhookResponse,
  CreateScheduledPostBody,
  Message,
  MessagePage,
  RoomCommandsResponse,
  ScheduledPost,
} from '../../shared/schemas.ts';
import { QuanziError } from './errors.ts';

export type { BotEventEnvelope, BotEventName } from '../../shared/schemas.ts';

/** Receivers reject deliveries whose timestamp is older than this (replay protection). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface QuanziBotOptions {
  /** e.g. `http://localhost:3000` */
  baseUrl: string;
  /** A bot token (`qzb_…`) issued by the bot's owner. */
  token: string;
  fetch?: typeof fetch;
}

export class QuanziBot {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: QuanziBotOptions) {
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bot ${this.options.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetchImpl(this.options.baseUrl.replace(/\/$/, '') + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
      throw new QuanziError(error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${response.status}`, { status: response.status, details: error?.details });
    }
    return parsed as T;
  }

  /** Needs `messages:write`. The same `clientMsgId` on a retry returns the original message. */
  async sendMessage(roomId: string, text: string, options: { clientMsgId?: string; replyTo?: number } = {}): Promise<Message> {
    const clientMsgId = options.clientMsgId ?? `bot-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const body = { text, clientMsgId, ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}) };
    return (await this.request<{ message: Message }>('POST', `/v1/rooms/${roomId}/messages`, body)).message;
  }

  /** Needs `messages:read`. */
  history(roomId: string, query: { before?: number; after?: number; limit?: number } = {}): Promise<MessagePage> {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    return this.request('GET', `/v1/rooms/${roomId}/messages${params.size ? `?${params}` : ''}`);
  }

  /** Needs `announcements:write`. */
  async postAnnouncement(roomId: string, text: string): Promise<Announcement> {
    return (await this.request<{ announcement: Announcement }>('POST', `/v1/rooms/${roomId}/announcement`, { text })).announcement;
  }

  /** Needs `events:receive`. The answer carries `signingSecret` when a new one was issued: keep it. */
  setWebhook(botId: string, url: string, events: BotEventName[], options: { rotateSecret?: boolean } = {}): Promise<BotWebhookResponse> {
    return this.request('PUT', `/v1/bots/${botId}/webhook`, { url, events, ...options });
  }

  setCommands(roomId: string, botId: string, commands: Array<{ command: string; description?: string }>): Promise<RoomCommandsResponse> {
    return this.request('PUT', `/v1/rooms/${roomId}/bots/${botId}/commands`, { commands });
  }

  async deliveries(botId: string, limit = 50): Promise<BotDelivery[]> {
    return (await this.request<{ deliveries: BotDelivery[] }>('GET', `/v1/bots/${botId}/deliveries?limit=${limit}`)).deliveries;
  }

  async schedule(roomId: string, body: CreateScheduledPostBody): Promise<ScheduledPost> {
    return (await this.request<{ schedule: ScheduledPost }>('POST', `/v1/rooms/${roomId}/schedules`, body)).schedule;
  }

  /** The bot's own user (its id is the bot id). */
  async me(): Promise<{ id: string; displayName: string }> {
    return (await this.request<{ user: { id: string; displayName: string } }>('GET', '/v1/me')).user;
  }
}

/**
 * Checks `X-Quanzi-Signature: sha256=<hex>` = HMAC-SHA256(secret, timestamp + "." + rawBody) and
 * that `X-Quanzi-Timestamp` is within five minutes. Verify the raw body bytes, before parsing.
 */
export function verifySignature(input: { secret: string; body: string; timestamp: string | undefined; signature: string | undefined; nowSeconds?: number; toleranceSeconds?: number }): boolean {
  if (!input.timestamp || !input.signature || !/^\d+$/.test(input.timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(input.timestamp)) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', input.secret).update(`${input.timestamp}.${input.body}`).digest('hex')}`);
  const given = Buffer.from(input.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What a handler answers: `{ text }` posts a reply in the room (for commands, as a reply to it). */
export type BotReply = { text: string } | null | undefined | void;

/**
 * A `node:http` request handler for deliveries: verifies the signature (401 if wrong or stale),
 * parses the event, calls `onEvent`, and answers its `{ text }` synchronously. Answer within
 * BOT_DELIVERY_TIMEOUT_MS (5 s by default); for slower work answer nothing and post later.
 */
export function createWebhookHandler(options: { secret: () => string | undefined; onEvent: (event: BotEventEnvelope) => BotReply | Promise<BotReply> }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const secret = options.secret();
      const header = (name: string) => (Array.isArray(req.headers[name]) ? req.headers[name][0] : (req.headers[name] as string | undefined));
      if (req.method !== 'POST' || !secret || !verifySignature({ secret, body, timestamp: header('x-quanzi-timestamp'), signature: header('x-quanzi-signature') })) {
        res.writeHead(401).end();
        return;
      }
      Promise.resolve()
        .then(() => options.onEvent(JSON.parse(body) as BotEventEnvelope))
        .then(
          (reply) => {
            if (reply && typeof reply.text === 'string') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: reply.text }));
            else res.writeHead(204).end();
          },
          () => res.writeHead(500).end(),
        );
    });
  };
}
