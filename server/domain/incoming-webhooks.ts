/**
 * Incoming webhooks (Slack/Discord/Mattermost style): a per-room URL with a secret in it, for
 * tools that can only send an HTTP POST. Each hook posts as a bot identity through the normal
 * message pipeline. An unknown hook, a wrong secret and a revoked hook all look the same: 404.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { MAX_TEXT_LENGTH, type CreateIncomingWebhookBody, type HookPostBody, type IncomingWebhook } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { findIncomingWebhook, insertIncomingWebhook, listIncomingWebhooks, revokeIncomingWebhook } from '../store/bots.ts';
import { findMembership } from '../store/members.ts';
import { findUserById } from '../store/users.ts';
import { createBot, requireManagedBot } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { sendMessage, type SendResult } from './send-message.ts';
import { storableText } from './storable-text.ts';
import { actor, commit } from './room-events.ts';
import { hashToken } from './tokens.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Staff create a hook; without `botId` it gets its own bot identity named after the hook. */
export async function createIncomingWebhook(deps: DomainDeps, principal: Principal, roomId: string, input: CreateIncomingWebhookBody): Promise<{ hook: IncomingWebhook; url: string }> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'bot.manage');
  let botId = input.botId?.toLowerCase();
  if (botId) {
    await requireManagedBot(deps, principal, botId);
    if ((await findMembership(deps.db, roomId, botId))?.role !== 'bot') throw new AppError('BOT_NOT_FOUND', 'Add the bot to this room first');
  } else {
    botId = (await createBot(deps, principal, { name: input.name, roomId })).id;
  }
  const secret = randomBytes(24).toString('base64url');
  const createdFor = botId;
  const hook = await commit(deps, async (tx) => {
    const hook = await insertIncomingWebhook(tx, { id: randomUUID(), roomId, botId: createdFor, name: input.name.trim(), secretHash: hashToken(secret), createdBy: principal.userId });
    return { events: { kind: 'hook.created', roomId, hookId: hook.id, botId: createdFor, by: actor(principal) }, value: hook };
  });
  return { hook, url: `/v1/hooks/${hook.id}/${secret}` };
}

export async function incomingWebhooksOf(deps: DomainDeps, principal: Principal, roomId: string): Promise<IncomingWebhook[]> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'bot.manage');
  return listIncomingWebhooks(deps.db, roomId);
}

export async function revokeIncomingWebhookOf(deps: DomainDeps, principal: Principal, roomId: string, hookId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'bot.manage');
  const hook = await findIncomingWebhook(deps.db, hookId);
  if (!hook || hook.roomId !== roomId) throw new AppError('NOT_FOUND', 'No such webhook in this room');
  await commit(deps, async (tx) => {
    await revokeIncomingWebhook(tx, hookId);
    return { events: { kind: 'hook.revoked', roomId, hookId, by: actor(principal) }, value: undefined };
  });
}

/** Slack's Block Kit, flattened: the text of section, header and context blocks, one per line. */
export function textOfBlocks(blocks: unknown[]): string {
  const lines: string[] = [];
  const textOf = (value: unknown): string | null => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') return (value as { text: string }).text;
    return null;
  };
  for (const block of blocks) {
    if (!block || typeof block !== 'object') continue;
    const b = block as { text?: unknown; fields?: unknown; elements?: unknown };
    const own = textOf(b.text);
    if (own) lines.push(own);
    for (const list of [b.fields, b.elements]) {
      if (!Array.isArray(list)) continue;
      const parts = list.map(textOf).filter((t): t is string => t !== null && t !== '');
      if (parts.length > 0) lines.push(parts.join(' '));
    }
  }
  return lines.join('\n');
}

export async function postViaIncomingWebhook(deps: DomainDeps, hookId: string, secret: string, body: HookPostBody): Promise<SendResult> {
  const notFound = () => new AppError('NOT_FOUND');
  if (!UUID.test(hookId)) throw notFound();
  const hook = await findIncomingWebhook(deps.db, hookId.toLowerCase());
  const given = Buffer.from(hashToken(secret));
  if (!hook || hook.revokedAt || !timingSafeEqual(given, Buffer.from(hook.secretHash))) throw notFound();
  const bot = await findUserById(deps.db, hook.botId);
  if (!bot) throw notFound();

  const text = body.text?.trim() ? body.text : textOfBlocks(body.blocks ?? []);
  if (text.trim() === '') throw new AppError('MESSAGE_EMPTY', 'Send { "text": "…" } (or Slack-style blocks with text)');
  const username = typeof body.username === 'string' ? storableText(body.username.trim(), 64) : '';
  const principal: Principal = {
    userId: bot.id,
    username: bot.username,
    // Like Slack's `username` override: the name shown on this one message; it stays marked as a bot.
    displayName: username || bot.displayName,
    kind: 'bot',
    sessionId: hook.id,
    bot: { tokenId: `hook:${hook.id}`, scopes: ['messages:write'] },
  };
  return sendMessage(deps, principal, { roomId: hook.roomId, text: storableText(text, MAX_TEXT_LENGTH), clientMsgId: body.clientMsgId ?? `hook:${randomUUID()}` });
}
