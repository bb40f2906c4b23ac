/** Members' reports of messages, and hiding a message while its reports wait for review. */
import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { messages, reports, users } from '../../drizzle/schema.ts';
import type { Report, ReportedMessage, ReportReason } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

type ReportRow = typeof reports.$inferSelect;

function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    roomId: row.roomId,
    seq: row.seq,
    reason: row.reason as ReportReason,
    note: row.note,
    status: row.status as Report['status'],
    createdAt: row.createdAt.toISOString(),
  };
}

/** Stores the report; null when this member already reported this message (one report each). */
export async function insertReport(
  db: Executor,
  values: { id: string; roomId: string; seq: number; reporterId: string; reason: ReportReason; note: string },
): Promise<Report | null> {
  const rows = await db
    .insert(reports)
    .values(values)
    .onConflictDoNothing({ target: [reports.roomId, reports.seq, reports.reporterId] })
    .returning();
  return rows[0] ? toReport(rows[0]) : null;
}

/** Open and closed report counts of one message. */
export async function reportCounts(db: Executor, roomId: string, seq: number): Promise<{ open: number; closed: number }> {
  const rows = await db
    .select({
      open: sql<number>`count(*) filter (where ${reports.status} = 'open')::int`,
      closed: sql<number>`count(*) filter (where ${reports.status} <> 'open')::int`,
    })
    .from(reports)
    .where(and(eq(reports.roomId, roomId), eq(reports.seq, seq)));
  return { open: rows[0]?.open ?? 0, closed: rows[0]?.closed ?? 0 };
}

/** Closes every open report of the message; returns the ones that were open, with their reporters. */
export async function closeReports(db: Executor, roomId: string, seq: number, status: 'resolved' | 'dismissed'): Promise<Array<{ reportId: string; reporterId: string }>> {
  return db
    .update(reports)
    .set({ status })
    .where(and(eq(reports.roomId, roomId), eq(reports.seq, seq), eq(reports.status, 'open')))
    .returning({ reportId: reports.id, reporterId: reports.reporterId });
}

/** Hides the message (members then see a placeholder); false when it was already hidden. */
export async function hideMessage(db: Executor, roomId: string, seq: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(messages)
    .set({ hiddenAt: at })
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq), isNull(messages.hiddenAt)))
    .returning({ id: messages.id });
  return rows.length > 0;
}

/** Shows a hidden message again; false when it was not hidden. */
export async function unhideMessage(db: Executor, roomId: string, seq: number): Promise<boolean> {
  const rows = await db
    .update(messages)
    .set({ hiddenAt: null })
    .where(and(eq(messages.roomId, roomId), eq(messages.seq, seq), isNotNull(messages.hiddenAt)))
    .returning({ id: messages.id });
  return rows.length > 0;
}

const reporters = alias(users, 'reporters');
const senders = alias(users, 'senders');

/** Reports read per listing; a room with more open reports than this shows the oldest first. */
const REPORT_ROWS_LIMIT = 2000;
const MESSAGES_LIMIT = 100;

/**
 * Reported messages with their reports. `open`: messages with at least one open report, oldest
 * report first. Otherwise messages whose reports are all closed, most recently reported first.
 */
export async function listReportedMessages(db: Executor, roomId: string, open: boolean): Promise<ReportedMessage[]> {
  const rows = await db
    .select({ report: reports, reporterName: reporters.displayName })
    .from(reports)
    .innerJoin(reporters, eq(reporters.id, reports.reporterId))
    .where(and(eq(reports.roomId, roomId), open ? eq(reports.status, 'open') : ne(reports.status, 'open')))
    .orderBy(open ? asc(reports.createdAt) : desc(reports.createdAt))
    .limit(REPORT_ROWS_LIMIT);
  const seqs = [...new Set(rows.map((row) => row.report.seq))].slice(0, MESSAGES_LIMIT);
  if (seqs.length === 0) return [];

  // Every report of those messages (open and closed), so a reviewer sees the whole story.
  const [allReports, stored] = await Promise.all([
    db
      .select({ report: reports, reporterName: reporters.displayName })
      .from(reports)
      .innerJoin(reporters, eq(reporters.id, reports.reporterId))
      .where(and(eq(reports.roomId, roomId), inArray(reports.seq, seqs)))
      .orderBy(asc(reports.createdAt)),
    db
      .select({
        seq: messages.seq,
        senderId: messages.senderId,
        senderName: senders.displayName,
        text: messages.text,
        createdAt: messages.createdAt,
        hiddenAt: messages.hiddenAt,
        recalledAt: messages.recalledAt,
      })
      .from(messages)
      .leftJoin(senders, eq(senders.id, messages.senderId))
      .where(and(eq(messages.roomId, roomId), inArray(messages.seq, seqs))),
  ]);

  const bySeq = new Map(stored.map((row) => [row.seq, row]));
  const result: ReportedMessage[] = [];
  for (const seq of seqs) {
    const message = bySeq.get(seq);
    if (!message) continue;
    const its = allReports.filter((row) => row.report.seq === seq);
    const openReports = its.filter((row) => row.report.status === 'open').length;
    // Closed reports of one message are closed together, so the newest one names the decision.
    const newest = its[its.length - 1]!.report;
    result.push({
      roomId,
      seq,
      sender: message.senderId ? { id: message.senderId, displayName: message.senderName ?? '' } : null,
      text: message.text,
      createdAt: message.createdAt.toISOString(),
      hiddenAt: message.hiddenAt ? message.hiddenAt.toISOString() : null,
      recalledAt: message.recalledAt ? message.recalledAt.toISOString() : null,
      status: openReports > 0 ? 'open' : (newest.status as ReportedMessage['status']),
      openReports,
      reports: its.map((row) => ({
        id: row.report.id,
        reporter: { id: row.report.reporterId, displayName: row.reporterName },
        reason: row.report.reason as ReportReason,
        note: row.report.note,
        status: row.report.status as Report['status'],
        createdAt: row.report.createdAt.toISOString(),
      })),
    });
  }
  return result;
}
