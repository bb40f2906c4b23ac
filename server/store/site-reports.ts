/** The site-level review queue: site_reports, and the reports of messages in DM rooms. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { dmRequests, messages, reports, rooms, siteReports, users } from '../../drizzle/schema.ts';
import type { SiteReport, SiteReportOutcome } from '../../shared/people.ts';
import type { ReportReason } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export type SiteReportKind = 'request' | 'user' | 'room';

export async function insertSiteReport(
  db: Executor,
  values: { id: string; kind: SiteReportKind; reporterId: string; targetUserId: string | null; roomId: string | null; requestId: string | null; reason: ReportReason; note: string },
): Promise<{ id: string; createdAt: Date }> {
  const rows = await db.insert(siteReports).values(values).returning({ id: siteReports.id, createdAt: siteReports.createdAt });
  return rows[0]!;
}

const reporter = alias(users, 'reporter');
const target = alias(users, 'target');

/** Open reports of every kind, oldest first: the queue's order of work. */
export async function openSiteReports(db: Executor, limit: number): Promise<SiteReport[]> {
  const own = await db
    .select({
      report: siteReports,
      reporterUsername: reporter.username,
      reporterName: reporter.displayName,
      targetUsername: target.username,
      targetName: target.displayName,
      requestText: dmRequests.text,
    })
    .from(siteReports)
    .innerJoin(reporter, eq(reporter.id, siteReports.reporterId))
    .leftJoin(target, eq(target.id, siteReports.targetUserId))
    .leftJoin(dmRequests, eq(dmRequests.id, siteReports.requestId))
    .where(eq(siteReports.status, 'open'))
    .orderBy(asc(siteReports.createdAt))
    .limit(limit);
  const inDms = await db
    .select({
      report: reports,
      reporterUsername: reporter.username,
      reporterName: reporter.displayName,
      targetId: target.id,
      targetUsername: target.username,
      targetName: target.displayName,
      text: messages.text,
    })
    .from(reports)
    .innerJoin(rooms, and(eq(rooms.id, reports.roomId), eq(rooms.kind, 'dm')))
    .innerJoin(reporter, eq(reporter.id, reports.reporterId))
    .innerJoin(messages, and(eq(messages.roomId, reports.roomId), eq(messages.seq, reports.seq)))
    .leftJoin(target, eq(target.id, messages.senderId))
    .where(eq(reports.status, 'open'))
    .orderBy(asc(reports.createdAt))
    .limit(limit);
  const queue: Array<SiteReport & { at: number }> = [
    ...own.map((row) => ({
      at: row.report.createdAt.getTime(),
      id: row.report.id,
      kind: row.report.kind as SiteReportKind,
      reporter: { id: row.report.reporterId, username: row.reporterUsername, displayName: row.reporterName },
      reason: row.report.reason as ReportReason,
      note: row.report.note,
      createdAt: row.report.createdAt.toISOString(),
      targetUser: row.report.targetUserId && row.targetUsername !== null ? { id: row.report.targetUserId, username: row.targetUsername, displayName: row.targetName ?? '' } : null,
      roomId: row.report.roomId,
      seq: null,
      text: row.requestText,
    })),
    ...inDms.map((row) => ({
      at: row.report.createdAt.getTime(),
      id: row.report.id,
      kind: 'dm-message' as const,
      reporter: { id: row.report.reporterId, username: row.reporterUsername, displayName: row.reporterName },
      reason: row.report.reason as ReportReason,
      note: row.report.note,
      createdAt: row.report.createdAt.toISOString(),
      targetUser: row.targetId && row.targetUsername !== null ? { id: row.targetId, username: row.targetUsername, displayName: row.targetName ?? '' } : null,
      roomId: row.report.roomId,
      seq: row.report.seq,
      text: row.text,
    })),
  ];
  return queue
    .sort((a, b) => a.at - b.at)
    .slice(0, limit)
    .map(({ at: _at, ...report }) => report);
}

/**
 * Decides one open report, a site report or a DM message's; returns its reporter, or null when
 * no open report has that id. Guarded by `status = 'open'`, so two moderators cannot both decide it.
 */
export async function decideSiteReport(db: Executor, id: string, outcome: SiteReportOutcome, decidedBy: string): Promise<{ reporterId: string } | null> {
  const own = await db
    .update(siteReports)
    .set({ status: 'decided', outcome, decidedBy, decidedAt: new Date() })
    .where(and(eq(siteReports.id, id), eq(siteReports.status, 'open')))
    .returning({ reporterId: siteReports.reporterId });
  if (own[0]) return own[0];
  const inDm = await db
    .update(reports)
    .set({ status: outcome === 'dismissed' ? 'dismissed' : 'resolved' })
    .where(and(eq(reports.id, id), eq(reports.status, 'open'), sql`exists (select 1 from ${rooms} where ${rooms.id} = ${reports.roomId} and ${rooms.kind} = 'dm')`))
    .returning({ reporterId: reports.reporterId });
  return inDm[0] ?? null;
}
