/**
 * Bot accounts (Telegram/Slack style): a bot is a user of kind 'bot' that its owner manages,
 * a member of rooms with role 'bot', authenticated by scoped tokens (`Authorization: Bot …`).
 * Tokens are shown once and stored hashed; a revoked token fails on its next request.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Bot, BotScope, BotToken, CreateBotBody, CreateBotTokenBody, UpdateBotBody } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import {
  deleteBotCommandsInRoom,
  findBot,
  findBotToken,
  findLiveBotTokenByHash,
  insertBot,
  insertBotToken,
  listBotsInRoom,
  listBotsOwnedBy,
  listBotTokens,
  revokeBotToken,
  updateBotProfile,
  type BotRecord,
} from '../store/bots.ts';
import { deleteMember, findMembership, insertMember } from '../store/members.ts';
import { adjustMemberCount, findRoomForUpdate } from '../store/rooms.ts';
import { insertUser } from '../store/users.ts';
import { ensureTextPasses } from './written-text.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';
import { hashToken } from './tokens.ts';

/**
 * People have every scope; a bot principal only those of its token. Every domain action a bot
 * can reach checks the scope it needs here.
 */
export function requireScope(principal: Principal, scope: BotScope): void {
  if (!principal.bot || principal.bot.scopes.includes(scope)) return;
  throw new AppError('FORBIDDEN', `This bot token lacks the ${scope} scope`, { scope });
}

/** Bot-only management (tokens, deletion) needs a person: a bot cannot mint itself tokens. */
function requirePerson(principal: Principal): void {
  if (principal.kind === 'bot') throw new AppError('FORBIDDEN', 'Only a person can do that, not a bot', { principal: 'bot' });
}

export function toPublicBot(record: BotRecord): Bot {
  const { webhookSecret: _secret, ...bot } = record;
  return bot;
}

/** The bot, if the principal is its owner; with `selfScope`, the bot itself (holding that scope) also qualifies. */
export async function requireManagedBot(deps: DomainDeps, principal: Principal, botId: string, selfScope?: BotScope): Promise<BotRecord> {
  const bot = await findBot(deps.db, botId);
  const isOwner = bot !== null && principal.kind === 'user' && bot.ownerId === principal.userId;
  const isSelf = bot !== null && selfScope !== undefined && principal.userId === bot.id;
  if (!bot || (!isOwner && !isSelf)) throw new AppError('BOT_NOT_FOUND');
  if (isSelf) requireScope(principal, selfScope!);
  return bot;
}

export async function createBot(deps: DomainDeps, principal: Principal, input: CreateBotBody): Promise<Bot> {
  requirePerson(principal);
  const displayName = input.name.trim();
  if (displayName === '') throw new AppError('VALIDATION_FAILED', 'name must not be blank', { field: 'body.name' });
  await ensureTextPasses(deps, displayName, 'body.name', { userId: principal.userId, role: null }, null);
  const id = randomUUID();
  // Bots get a generated username (no password, no sign-in); people see the display name.
  const user = await insertUser(deps.db, { id, username: `bot_${randomBytes(6).toString('hex')}`, displayName, passwordHash: null, kind: 'bot' });
  if (!user) throw new AppError('INTERNAL');
  await insertBot(deps.db, { id, ownerId: principal.userId, avatarUrl: input.avatarUrl ?? null });
  if (input.roomId) await addBotToRoom(deps, principal, input.roomId.toLowerCase(), id);
  return toPublicBot((await findBot(deps.db, id))!);
}

export async function listMyBots(deps: DomainDeps, principal: Principal): Promise<Bot[]> {
  return (await listBotsOwnedBy(deps.db, principal.userId)).map(toPublicBot);
}

export async function getBot(deps: DomainDeps, principal: Principal, botId: string): Promise<Bot> {
  return toPublicBot(await requireManagedBot(deps, principal, botId, 'events:receive'));
}

export async function updateBot(deps: DomainDeps, principal: Principal, botId: string, input: UpdateBotBody): Promise<Bot> {
  await requireManagedBot(deps, principal, botId);
  const displayName = input.name?.trim();
  if (displayName === '') throw new AppError('VALIDATION_FAILED', 'name must not be blank', { field: 'body.name' });
  await updateBotProfile(deps.db, botId, { displayName, avatarUrl: input.avatarUrl });
  return toPublicBot((await findBot(deps.db, botId))!);
}

/** Owner or admin adds a bot they own to the room; it becomes a member with role 'bot'. */
export async function addBotToRoom(deps: DomainDeps, principal: Principal, roomId: string, botId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'bot.manage');
  const bot = await requireManagedBot(deps, principal, botId);
  await commit(deps, async (tx) => {
    const room = await findRoomForUpdate(tx, roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    if (await findMembership(tx, roomId, botId)) throw new AppError('ALREADY_MEMBER', 'The bot is already in this room');
    if (room.memberCount >= room.memberLimit) throw new AppError('ROOM_FULL', undefined, { memberLimit: room.memberLimit });
    await insertMember(tx, { roomId, userId: botId, role: 'bot' });
    await adjustMemberCount(tx, roomId, 1);
    return { events: { kind: 'bot.added', roomId, userId: botId, displayName: bot.displayName, by: actor(principal) }, value: undefined };
  });
}

/** Room staff remove any bot; a bot's owner may take their bot out of any room. */
export async function removeBotFromRoom(deps: DomainDeps, principal: Principal, roomId: string, botId: string): Promise<void> {
  const me = await requireMembership(deps.db, principal, roomId);
  const bot = await findBot(deps.db, botId);
  const membership = bot ? await findMembership(deps.db, roomId, botId) : null;
  if (!bot || membership?.role !== 'bot') throw new AppError('BOT_NOT_FOUND');
  if (bot.ownerId !== principal.userId) authorize(me.role, 'bot.manage');
  await commit(deps, async (tx) => {
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    if (await deleteMember(tx, roomId, botId)) await adjustMemberCount(tx, roomId, -1);
    await deleteBotCommandsInRoom(tx, roomId, botId);
    return { events: { kind: 'bot.removed', roomId, userId: botId, displayName: bot.displayName, by: actor(principal) }, value: undefined };
  });
}

export async function botsInRoom(deps: DomainDeps, principal: Principal, roomId: string): Promise<Bot[]> {
  await requireMembership(deps.db, principal, roomId);
  return (await listBotsInRoom(deps.db, roomId)).map(toPublicBot);
}

// ---- Tokens ----

function newBotToken(): string {
  return `qzb_${randomBytes(32).toString('base64url')}`;
}

export async function issueBotToken(deps: DomainDeps, principal: Principal, botId: string, input: CreateBotTokenBody): Promise<{ token: BotToken; secret: string }> {
  requirePerson(principal);
  await requireManagedBot(deps, principal, botId);
  const secret = newBotToken();
  const token = await insertBotToken(deps.db, { id: randomUUID(), botId, name: input.name?.trim() ?? '', tokenHash: hashToken(secret), scopes: [...input.scopes] });
  return { token, secret };
}

export async function botTokens(deps: DomainDeps, principal: Principal, botId: string): Promise<BotToken[]> {
  requirePerson(principal);
  await requireManagedBot(deps, principal, botId);
  return listBotTokens(deps.db, botId);
}

async function requireToken(deps: DomainDeps, principal: Principal, botId: string, tokenId: string): Promise<BotToken> {
  requirePerson(principal);
  await requireManagedBot(deps, principal, botId);
  const token = await findBotToken(deps.db, botId, tokenId);
  if (!token) throw new AppError('NOT_FOUND', 'No such token for this bot');
  return token;
}

export async function revokeToken(deps: DomainDeps, principal: Principal, botId: string, tokenId: string): Promise<void> {
  await requireToken(deps, principal, botId, tokenId);
  await revokeBotToken(deps.db, tokenId);
}

/** A new secret with the same name and scopes; the old token stops working at once. */
export async function rotateToken(deps: DomainDeps, principal: Principal, botId: string, tokenId: string): Promise<{ token: BotToken; secret: string }> {
  const old = await requireToken(deps, principal, botId, tokenId);
  if (old.revokedAt) throw new AppError('NOT_FOUND', 'That token is revoked; issue a new one');
  const secret = newBotToken();
  const token = await deps.db.transaction(async (tx) => {
    await revokeBotToken(tx, tokenId);
    return insertBotToken(tx, { id: randomUUID(), botId, name: old.name, tokenHash: hashToken(secret), scopes: [...old.scopes] });
  });
  return { token, secret };
}

/** Resolves `Authorization: Bot <token>`; every request reads the token row, so a revocation holds at once. */
export async function authenticateBot(deps: DomainDeps, token: string | undefined): Promise<Principal> {
  if (!token) throw new AppError('UNAUTHENTICATED');
  const found = await findLiveBotTokenByHash(deps.db, hashToken(token));
  if (!found) throw new AppError('UNAUTHENTICATED');
  return {
    userId: found.id,
    username: found.username,
    displayName: found.displayName,
    kind: 'bot',
    // Bots have no session; the token id stands in (signing out is not a bot action).
    sessionId: found.tokenId,
    bot: { tokenId: found.tokenId, scopes: found.scopes as BotScope[] },
  };
}
