import { and, desc, eq, lt } from 'drizzle-orm';
import { auditLog } from '../../drizzle/schema.ts';
import type { AuditEntry } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export async function insertAuditEntry(
  db: Executor,
  entry: { roomId: string; actorId: string | null; action: string; targetUserId?: string | null; targetSeq?: number | null; reason?: string; details?: Record<string, unknown> | null },
): Promise<void> {
  await db.insert(auditLog).values({
    id: crypto.randomUUID(),
    roomId: entry.roomId,
    actorId: entry.actorId,
    action: entry.action,
    targetUserId: entry.targetUserId ?? null,
    targetSeq: entry.targetSeq ?? null,
    reason: entry.reason ?? '',
    details: entry.details ?? null,
  });
}

export async function listAuditEntries(db: Executor, roomId: string, options: { before?: string; limit: number }): Promise<AuditEntry[]> {
  const where = options.before ? and(eq(auditLog.roomId, roomId), lt(auditLog.createdAt, new Date(options.before))) : eq(auditLog.roomId, roomId);
  const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.createdAt)).limit(options.limit);
  return rows.map((row) => ({
    id: row.id,
    roomId: row.roomId,
    actorId: row.actorId,
    action: row.action,
    targetUserId: row.targetUserId,
    targetSeq: row.targetSeq,
    reason: row.reason,
    details: (row.details as Record<string, unknown> | null) ?? null,
    createdAt: row.createdAt.toISOString(),
  }));
}
