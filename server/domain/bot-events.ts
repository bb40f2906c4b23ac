/**
 * Outgoing events: what a bot registers (endpoint, events, slash commands) and what is queued
 * for it when something happens in its rooms. Queuing happens after a message is stored and
 * never waits on the receiver: the worker in server/bots/delivery-worker.ts sends the queue.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { isAllowedDestination } from '../bots/outbound.ts';
import type { BotDelivery, BotEventEnvelope, BotEventName, BotWebhookResponse, Message, RoomCommandsResponse, SetBotCommandsBody, SetBotWebhookBody } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { eventReceiversInRoom, findBot, listRoomCommands, replaceBotCommands, resumeBotWebhook, setBotWebhook } from '../store/bots.ts';
import { insertDeliveries, listDeliveries, type NewDelivery } from '../store/bot-deliveries.ts';
import { findMembership } from '../store/members.ts';
import type { DomainDeps } from './deps.ts';
import { requireManagedBot, toPublicBot } from './bots.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

/** What the message path tells the bot layer; implemented by `BotEventQueue`. */
export interface BotEventSink {
  /** A message (text or system) was stored and published. Returns at once; queuing runs behind. */
  messageStored(message: Message): void;
}

/** `/remind Saturday 10:00 meetup` → { name: 'remind', args: 'Saturday 10:00 meetup' }; `/cmd@botname` also works. */
export function parseSlashCommand(text: string): { name: string; args: string } | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return match ? { name: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() } : null;
}

/**
 * Most rooms have no bot listening, and asking the database on every message to find that out
 * would double the message path's queries. So each gateway remembers, per room, whether any bot
 * receives events there (`DomainDeps.botListeners`, see fact-cache.ts); whatever changes that
 * calls LiveUpdates.forgetBotListeners after the change and before it is acknowledged.
 */
async function mayHaveReceivers(deps: Pick<DomainDeps, 'db' | 'botListeners'>, roomId: string): Promise<boolean> {
  const { value } = await deps.botListeners.lookup(roomId, async () => (await eventReceiversInRoom(deps.db, roomId, null)).length > 0);
  return value;
}

/** Decides which bots get which event for a stored message. */
export async function eventsForMessage(deps: Pick<DomainDeps, 'db' | 'botListeners'>, message: Message): Promise<NewDelivery[]> {
  if (!(await mayHaveReceivers(deps, message.roomId))) return [];
  const createdAt = new Date().toISOString();
  const envelope = (botId: string, event: BotEventName, extra: Partial<BotEventEnvelope>): NewDelivery => {
    const id = randomUUID();
    const payload: BotEventEnvelope = { id, event, botId, roomId: message.roomId, createdAt, ...extra };
    return { id, botId, roomId: message.roomId, event, payload };
  };

  if (message.kind === 'system') {
    const joined = message.data?.event === 'member.joined' ? message.data : null;
    if (!joined) return [];
    const receivers = await eventReceiversInRoom(deps.db, message.roomId, null);
    return receivers
      .filter((r) => r.events.includes('member.joined') && r.botId !== joined.userId)
      .map((r) => envelope(r.botId, 'member.joined', { user: { id: joined.userId, displayName: joined.displayName } }));
  }

  const sender = message.sender;
  if (!sender) return [];
  // A bot's own posts never come back to it, and bots do not hear other bots' chatter either:
  // two bots answering each other would loop forever.
  if (sender.kind === 'bot') return [];
  const command = parseSlashCommand(message.text);
  const receivers = await eventReceiversInRoom(deps.db, message.roomId, command?.name ?? null);
  const out: NewDelivery[] = [];
  for (const r of receivers) {
    if (r.botId === sender.id) continue;
    if (command && r.handlesCommand) out.push(envelope(r.botId, 'command', { message, command }));
    else if (r.events.includes('mention') && message.mentions.includes(r.botId)) out.push(envelope(r.botId, 'mention', { message }));
    else if (r.events.includes('message')) out.push(envelope(r.botId, 'message', { message }));
  }
  return out;
}

/**
 * Queues events for stored messages off the message path: the send has already been
 * acknowledged when the insert runs. `flush` lets shutdown wait for queued inserts.
 */
export class BotEventQueue implements BotEventSink {
  private readonly pending = new Set<Promise<void>>();
  constructor(
    private readonly deps: Pick<DomainDeps, 'db' | 'log' | 'botListeners'>,
    private readonly onQueued: () => void,
  ) {}

  messageStored(message: Message): void {
    const work = eventsForMessage(this.deps, message)
      .then(async (rows) => {
        if (rows.length === 0) return;
        await insertDeliveries(this.deps.db, rows);
        this.onQueued();
      })
      .catch((error: unknown) => this.deps.log.error({ err: error, roomId: message.roomId, seq: message.seq }, 'queuing bot events failed'));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}

// ---- The bot's endpoint ----

function checkWebhookUrl(deps: DomainDeps, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('WEBHOOK_URL_INVALID', 'The webhook URL is not a URL');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0 && !loopback && !isAllowedDestination(literal, false)) {
    throw new AppError('WEBHOOK_URL_INVALID', 'The webhook URL must point at a public address');
  }
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol === 'http:' && loopback && deps.config.botWebhookAllowLoopbackHttp) return url.toString();
  throw new AppError('WEBHOOK_URL_INVALID', loopback ? 'Plain HTTP is allowed only to loopback, and only when the server enables BOT_WEBHOOK_ALLOW_LOOPBACK_HTTP' : 'The webhook URL must be HTTPS');
}

/** The bot's owner, or the bot itself with `events:receive`, registers where events go. */
export async function setWebhook(deps: DomainDeps, principal: Principal, botId: string, input: SetBotWebhookBody): Promise<BotWebhookResponse> {
  const bot = await requireManagedBot(deps, principal, botId, 'events:receive');
  const url = checkWebhookUrl(deps, input.url);
  const issue = !bot.webhookSecret || input.rotateSecret === true;
  const secret = issue ? `qzw_${randomBytes(24).toString('base64url')}` : bot.webhookSecret!;
  await setBotWebhook(deps.db, botId, { url, events: [...input.events], secret });
  await deps.live.forgetBotListeners(null);
  const webhook = toPublicBot((await findBot(deps.db, botId))!).webhook;
  return issue ? { webhook, signingSecret: secret } : { webhook };
}

export async function getWebhook(deps: DomainDeps, principal: Principal, botId: string): Promise<BotWebhookResponse> {
  return { webhook: toPublicBot(await requireManagedBot(deps, principal, botId, 'events:receive')).webhook };
}

export async function removeWebhook(deps: DomainDeps, principal: Principal, botId: string): Promise<void> {
  await requireManagedBot(deps, principal, botId, 'events:receive');
  await setBotWebhook(deps.db, botId, { url: null, events: [], secret: null });
  await deps.live.forgetBotListeners(null);
}

/** A paused endpoint starts receiving again, beginning with the deliveries that waited. */
export async function resumeWebhook(deps: DomainDeps, principal: Principal, botId: string): Promise<BotWebhookResponse> {
  await requireManagedBot(deps, principal, botId, 'events:receive');
  await resumeBotWebhook(deps.db, botId);
  await deps.live.forgetBotListeners(null);
  return { webhook: toPublicBot((await findBot(deps.db, botId))!).webhook };
}

export async function botDeliveries(deps: DomainDeps, principal: Principal, botId: string, limit: number): Promise<BotDelivery[]> {
  await requireManagedBot(deps, principal, botId, 'events:receive');
  return listDeliveries(deps.db, botId, limit);
}

// ---- Slash commands ----

/** Replaces the bot's commands in one room. A name another bot already holds there is COMMAND_TAKEN. */
export async function setCommands(deps: DomainDeps, principal: Principal, roomId: string, botId: string, input: SetBotCommandsBody): Promise<RoomCommandsResponse> {
  await requireManagedBot(deps, principal, botId, 'events:receive');
  if ((await findMembership(deps.db, roomId, botId))?.role !== 'bot') throw new AppError('BOT_NOT_FOUND', 'The bot is not in this room');
  const wanted = input.commands.map((c) => ({ command: c.command.toLowerCase(), description: c.description?.trim() ?? '' }));
  await deps.db.transaction(async (tx) => {
    const stored = await replaceBotCommands(tx, roomId, botId, wanted);
    const taken = wanted.map((c) => c.command).filter((name) => !stored.includes(name));
    if (taken.length > 0) throw new AppError('COMMAND_TAKEN', `Another bot in this room already handles /${taken[0]}`, { commands: taken });
  });
  await deps.live.forgetBotListeners(roomId);
  return { commands: await listRoomCommands(deps.db, roomId) };
}

/** Every member can see the room's commands (a client shows them as suggestions after "/"). */
export async function roomCommands(deps: DomainDeps, principal: Principal, roomId: string): Promise<RoomCommandsResponse> {
  await requireMembership(deps.db, principal, roomId);
  return { commands: await listRoomCommands(deps.db, roomId) };
}
