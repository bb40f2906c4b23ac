/**
 * What a bot registers: the endpoint its events go to (checked to be public and HTTPS), its
 * delivery log, and the slash commands it handles in a room. Whatever changes who listens where
 * makes every gateway forget its remembered answer (bot-events.ts, `mayHaveReceivers`).
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { BotDelivery, BotWebhookResponse, RoomCommandsResponse, SetBotCommandsBody, SetBotWebhookBody } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { listDeliveries } from '../store/bot-deliveries.ts';
import { findBot, listRoomCommands, replaceBotCommands, resumeBotWebhook, setBotWebhook } from '../store/bots.ts';
import { findMembership } from '../store/members.ts';
import { requireManagedBot, toPublicBot } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { isAllowedDestination } from './public-addresses.ts';
import { requireMembership } from './rooms.ts';

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
