/**
 * The outgoing-event queue. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so with several
 * gateways each delivery is taken by exactly one of them; a claim that outlives its gateway
 * (crash mid-delivery) expires and the row is claimed again.
 */
import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { botDeliveries, botDeliveryAttempts, bots } from '../../drizzle/schema.ts';
import type { BotDelivery, BotEventName } from '../../shared/schemas.ts';
import type { Database, Executor } from './db.ts';

export interface NewDelivery {
  id: string;
  botId: string;
  roomId: string | null;
  event: BotEventName;
  payload: unknown;
}

export async function insertDeliveries(db: Executor, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(botDeliveries).values(rows);
}

export interface ClaimedDelivery {
  id: string;
  botId: string;
  roomId: string | null;
  event: BotEventName;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

export async function claimDueDeliveries(db: Database, limit: number, claimMs: number): Promise<ClaimedDelivery[]> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const due = await tx
      .select({ id: botDeliveries.id })
      .from(botDeliveries)
      .innerJoin(bots, eq(bots.id, botDeliveries.botId))
      .where(
        and(
          or(
            and(eq(botDeliveries.status, 'pending'), lte(botDeliveries.nextAttemptAt, now)),
            and(eq(botDeliveries.status, 'sending'), lte(botDeliveries.claimedUntil, now)),
          ),
          eq(bots.webhookStatus, 'active'),
          sql`${bots.webhookUrl} is not null`,
        ),
      )
      .orderBy(asc(botDeliveries.nextAttemptAt))
      .limit(limit)
      .for('update', { of: botDeliveries, skipLocked: true });
    if (due.length === 0) return [];
    const claimed = await tx
      .update(botDeliveries)
      .set({ status: 'sending', attempts: sql`${botDeliveries.attempts} + 1`, claimedUntil: new Date(now.getTime() + claimMs) })
      .where(inArray(botDeliveries.id, due.map((row) => row.id)))
      .returning();
    const endpoints = await tx
      .select({ id: bots.id, url: bots.webhookUrl, secret: bots.webhookSecret })
      .from(bots)
      .where(inArray(bots.id, [...new Set(claimed.map((row) => row.botId))]));
    const byBot = new Map(endpoints.map((e) => [e.id, e]));
    return claimed.map((row) => ({
      id: row.id,
      botId: row.botId,
      roomId: row.roomId,
      event: row.event as BotEventName,
      payload: row.payload,
      attempts: row.attempts,
      url: byBot.get(row.botId)?.url ?? '',
      secret: byBot.get(row.botId)?.secret ?? '',
    }));
  });
}

export async function recordAttempt(
  db: Executor,
  values: { id: string; deliveryId: string; attempt: number; statusCode: number | null; error: string | null; durationMs: number },
): Promise<void> {
  await db.insert(botDeliveryAttempts).values(values);
}

export async function markDelivered(db: Executor, deliveryId: string): Promise<void> {
  await db.update(botDeliveries).set({ status: 'delivered', deliveredAt: new Date(), claimedUntil: null, lastError: null }).where(eq(botDeliveries.id, deliveryId));
}

export async function markFailedAttempt(db: Executor, deliveryId: string, error: string, retryAt: Date | null): Promise<void> {
  await db
    .update(botDeliveries)
    .set(retryAt ? { status: 'pending', nextAttemptAt: retryAt, claimedUntil: null, lastError: error } : { status: 'failed', claimedUntil: null, lastError: error })
    .where(eq(botDeliveries.id, deliveryId));
}

export async function listDeliveries(db: Executor, botId: string, limit: number): Promise<BotDelivery[]> {
  const rows = await db.select().from(botDeliveries).where(eq(botDeliveries.botId, botId)).orderBy(desc(botDeliveries.createdAt)).limit(limit);
  if (rows.length === 0) return [];
  const attempts = await db
    .select()
    .from(botDeliveryAttempts)
    .where(inArray(botDeliveryAttempts.deliveryId, rows.map((row) => row.id)))
    .orderBy(asc(botDeliveryAttempts.attempt));
  return rows.map((row) => ({
    id: row.id,
    event: row.event as BotEventName,
    roomId: row.roomId,
    status: row.status as BotDelivery['status'],
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    log: attempts
      .filter((a) => a.deliveryId === row.id)
      .map((a) => ({ attempt: a.attempt, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs, createdAt: a.createdAt.toISOString() })),
  }));
}
