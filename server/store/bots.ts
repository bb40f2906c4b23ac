/** Bot accounts, their tokens, slash commands and incoming webhooks. */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { botCommands, botTokens, bots, incomingWebhooks, roomMembers, users } from '../../drizzle/schema.ts';
import type { Bot, BotEventName, BotScope, BotToken, IncomingWebhook } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export interface BotRecord extends Bot {
  webhookSecret: string | null;
}

const botColumns = {
  id: bots.id,
  username: users.username,
  displayName: users.displayName,
  avatarUrl: bots.avatarUrl,
  ownerId: bots.ownerId,
  webhookUrl: bots.webhookUrl,
  webhookSecret: bots.webhookSecret,
  webhookEvents: bots.webhookEvents,
  webhookStatus: bots.webhookStatus,
  consecutiveFailures: bots.consecutiveFailures,
  pausedAt: bots.pausedAt,
  createdAt: bots.createdAt,
};

interface BotRow {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  ownerId: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
  webhookEvents: string[];
  webhookStatus: string;
  consecutiveFailures: number;
  pausedAt: Date | null;
  createdAt: Date;
}

function toBot(row: BotRow): BotRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    avatarUrl: row.avatarUrl,
    ownerId: row.ownerId,
    webhook: {
      url: row.webhookUrl,
      events: row.webhookEvents as BotEventName[],
      status: row.webhookStatus as 'active' | 'paused',
      consecutiveFailures: row.consecutiveFailures,
      pausedAt: row.pausedAt?.toISOString() ?? null,
    },
    webhookSecret: row.webhookSecret,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertBot(db: Executor, values: { id: string; ownerId: string; avatarUrl: string | null }): Promise<void> {
  await db.insert(bots).values(values);
}

export async function findBot(db: Executor, botId: string): Promise<BotRecord | null> {
  const rows = await db.select(botColumns).from(bots).innerJoin(users, eq(users.id, bots.id)).where(eq(bots.id, botId)).limit(1);
  return rows[0] ? toBot(rows[0]) : null;
}

export async function listBotsOwnedBy(db: Executor, ownerId: string): Promise<BotRecord[]> {
  const rows = await db.select(botColumns).from(bots).innerJoin(users, eq(users.id, bots.id)).where(eq(bots.ownerId, ownerId)).orderBy(asc(bots.createdAt));
  return rows.map(toBot);
}

export async function listBotsInRoom(db: Executor, roomId: string): Promise<BotRecord[]> {
  const rows = await db
    .select(botColumns)
    .from(roomMembers)
    .innerJoin(bots, eq(bots.id, roomMembers.userId))
    .innerJoin(users, eq(users.id, bots.id))
    .where(eq(roomMembers.roomId, roomId))
    .orderBy(asc(roomMembers.joinedAt));
  return rows.map(toBot);
}

export async function updateBotProfile(db: Executor, botId: string, values: { displayName?: string; avatarUrl?: string | null }): Promise<void> {
  if (values.displayName !== undefined) await db.update(users).set({ displayName: values.displayName }).where(eq(users.id, botId));
  if (values.avatarUrl !== undefined) await db.update(bots).set({ avatarUrl: values.avatarUrl }).where(eq(bots.id, botId));
}

export async function setBotWebhook(db: Executor, botId: string, values: { url: string | null; events: string[]; secret: string | null }): Promise<void> {
  await db
    .update(bots)
    .set({ webhookUrl: values.url, webhookEvents: values.events, webhookSecret: values.secret, webhookStatus: 'active', consecutiveFailures: 0, pausedAt: null })
    .where(eq(bots.id, botId));
}

export async function resumeBotWebhook(db: Executor, botId: string): Promise<void> {
  await db.update(bots).set({ webhookStatus: 'active', consecutiveFailures: 0, pausedAt: null }).where(eq(bots.id, botId));
}

/** Counts a failed attempt; pauses the endpoint when the run of failures reaches the limit. */
export async function recordEndpointFailure(db: Executor, botId: string, pauseAfter: number): Promise<{ paused: boolean }> {
  const rows = await db
    .update(bots)
    .set({
      consecutiveFailures: sql`${bots.consecutiveFailures} + 1`,
      webhookStatus: sql`case when ${bots.consecutiveFailures} + 1 >= ${pauseAfter} then 'paused' else ${bots.webhookStatus} end`,
      pausedAt: sql`case when ${bots.consecutiveFailures} + 1 >= ${pauseAfter} and ${bots.pausedAt} is null then now() else ${bots.pausedAt} end`,
    })
    .where(eq(bots.id, botId))
    .returning({ status: bots.webhookStatus });
  return { paused: rows[0]?.status === 'paused' };
}

export async function recordEndpointSuccess(db: Executor, botId: string): Promise<void> {
  await db.update(bots).set({ consecutiveFailures: 0 }).where(and(eq(bots.id, botId), sql`${bots.consecutiveFailures} <> 0`));
}

// ---- Tokens ----

type TokenRow = typeof botTokens.$inferSelect;

function toToken(row: TokenRow): BotToken {
  return {
    id: row.id,
    botId: row.botId,
    name: row.name,
    scopes: row.scopes as BotScope[],
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertBotToken(db: Executor, values: { id: string; botId: string; name: string; tokenHash: string; scopes: string[] }): Promise<BotToken> {
  const rows = await db.insert(botTokens).values(values).returning();
  return toToken(rows[0]!);
}

export async function listBotTokens(db: Executor, botId: string): Promise<BotToken[]> {
  const rows = await db.select().from(botTokens).where(eq(botTokens.botId, botId)).orderBy(desc(botTokens.createdAt));
  return rows.map(toToken);
}

export async function findBotToken(db: Executor, botId: string, tokenId: string): Promise<BotToken | null> {
  const rows = await db.select().from(botTokens).where(and(eq(botTokens.botId, botId), eq(botTokens.id, tokenId))).limit(1);
  return rows[0] ? toToken(rows[0]) : null;
}

export async function revokeBotToken(db: Executor, tokenId: string): Promise<void> {
  await db.update(botTokens).set({ revokedAt: new Date() }).where(and(eq(botTokens.id, tokenId), isNull(botTokens.revokedAt)));
}

/** A live (unrevoked) token by its hash, with the bot's user behind it; marks it used. */
export async function findLiveBotTokenByHash(db: Executor, tokenHash: string) {
  const rows = await db
    .update(botTokens)
    .set({ lastUsedAt: new Date() })
    .from(users)
    .where(and(eq(botTokens.tokenHash, tokenHash), isNull(botTokens.revokedAt), eq(users.id, botTokens.botId)))
    .returning({ tokenId: botTokens.id, scopes: botTokens.scopes, id: users.id, username: users.username, displayName: users.displayName });
  return rows[0] ?? null;
}

/** Scopes held by any live token of the bot (a scheduled post by a bot needs one at firing time). */
export async function liveScopesOf(db: Executor, botId: string): Promise<Set<string>> {
  const rows = await db.select({ scopes: botTokens.scopes }).from(botTokens).where(and(eq(botTokens.botId, botId), isNull(botTokens.revokedAt)));
  return new Set(rows.flatMap((row) => row.scopes));
}

// ---- Slash commands ----

export async function replaceBotCommands(db: Executor, roomId: string, botId: string, commands: Array<{ command: string; description: string }>): Promise<string[]> {
  await db.delete(botCommands).where(and(eq(botCommands.roomId, roomId), eq(botCommands.botId, botId)));
  if (commands.length === 0) return [];
  const rows = await db
    .insert(botCommands)
    .values(commands.map((c) => ({ roomId, botId, command: c.command, description: c.description })))
    .onConflictDoNothing()
    .returning({ command: botCommands.command });
  return rows.map((row) => row.command);
}

export async function deleteBotCommandsInRoom(db: Executor, roomId: string, botId: string): Promise<void> {
  await db.delete(botCommands).where(and(eq(botCommands.roomId, roomId), eq(botCommands.botId, botId)));
}

export async function listRoomCommands(db: Executor, roomId: string) {
  return db
    .select({ command: botCommands.command, description: botCommands.description, botId: botCommands.botId, botName: users.displayName })
    .from(botCommands)
    .innerJoin(users, eq(users.id, botCommands.botId))
    .where(eq(botCommands.roomId, roomId))
    .orderBy(asc(botCommands.command));
}

/**
 * The room's bots that can receive events now (endpoint registered and not paused), with
 * whether each handles `command` — one round trip on the message path.
 */
export async function eventReceiversInRoom(db: Executor, roomId: string, command: string | null) {
  return db
    .select({ botId: bots.id, events: bots.webhookEvents, handlesCommand: sql<boolean>`${botCommands.command} is not null` })
    .from(roomMembers)
    .innerJoin(bots, eq(bots.id, roomMembers.userId))
    .leftJoin(botCommands, and(eq(botCommands.roomId, roomMembers.roomId), eq(botCommands.botId, bots.id), eq(botCommands.command, command ?? '')))
    .where(and(eq(roomMembers.roomId, roomId), sql`${bots.webhookUrl} is not null`, eq(bots.webhookStatus, 'active')));
}

// ---- Incoming webhooks ----

type HookRow = typeof incomingWebhooks.$inferSelect;

function toHook(row: HookRow): IncomingWebhook {
  return {
    id: row.id,
    roomId: row.roomId,
    name: row.name,
    botId: row.botId,
    createdBy: row.createdBy,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function insertIncomingWebhook(db: Executor, values: { id: string; roomId: string; botId: string; name: string; secretHash: string; createdBy: string }): Promise<IncomingWebhook> {
  const rows = await db.insert(incomingWebhooks).values(values).returning();
  return toHook(rows[0]!);
}

export async function listIncomingWebhooks(db: Executor, roomId: string): Promise<IncomingWebhook[]> {
  const rows = await db.select().from(incomingWebhooks).where(eq(incomingWebhooks.roomId, roomId)).orderBy(asc(incomingWebhooks.createdAt));
  return rows.map(toHook);
}

export async function findIncomingWebhook(db: Executor, hookId: string): Promise<(IncomingWebhook & { secretHash: string }) | null> {
  const rows = await db.select().from(incomingWebhooks).where(eq(incomingWebhooks.id, hookId)).limit(1);
  return rows[0] ? { ...toHook(rows[0]), secretHash: rows[0].secretHash } : null;
}

export async function revokeIncomingWebhook(db: Executor, hookId: string): Promise<void> {
  await db.update(incomingWebhooks).set({ revokedAt: new Date() }).where(and(eq(incomingWebhooks.id, hookId), isNull(incomingWebhooks.revokedAt)));
}

/**
 * Retires bots for good: every token and incoming webhook revoked, slash commands gone, and the
 * outgoing endpoint forgotten (queued deliveries are never claimed without one).
 */
export async function retireBots(tx: Executor, botIds: string[], at: Date): Promise<void> {
  if (botIds.length === 0) return;
  await tx.update(botTokens).set({ revokedAt: at }).where(and(inArray(botTokens.botId, botIds), isNull(botTokens.revokedAt)));
  await tx.update(incomingWebhooks).set({ revokedAt: at }).where(and(inArray(incomingWebhooks.botId, botIds), isNull(incomingWebhooks.revokedAt)));
  await tx.delete(botCommands).where(inArray(botCommands.botId, botIds));
  await tx.update(bots).set({ webhookUrl: null, webhookSecret: null, webhookEvents: [] }).where(inArray(bots.id, botIds));
}
