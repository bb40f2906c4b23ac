/**
 * Room export for owners and admins (WeChat users ask for their chat history constantly): the
 * room's settings, members, announcements and messages as a sequence of lines, produced page by
 * page so a room of any size costs one page of memory. The transport writes the lines as the
 * reader takes them, so a slow download holds back the database reads instead of piling them up.
 *
 * What a line shows is what members see: a recalled message is a tombstone, a message hidden by
 * reports a placeholder (staff read the text in the review queue, where its fate is decided);
 * held and blocked messages were never stored in the timeline and have no seq, so they are not
 * there. The export is not one snapshot: it covers the messages up to the room's newest seq when
 * it began, and a recall made while it runs may or may not show.
 */
import { ROOM_EXPORT_FORMAT, ROOM_EXPORT_VERSION, type RoomExportLine } from '../../shared/schemas.ts';
import { listAllAnnouncements } from '../store/announcements.ts';
import { listMembers } from '../store/members.ts';
import { exportPage, type ExportedMessageRow } from '../store/messages.ts';
import { reactionCounts } from '../store/reactions.ts';
import { findRoom } from '../store/rooms.ts';
import { AppError } from '../errors.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { audit } from './timeline.ts';

/** Messages read per query: big enough that round trips do not dominate, small enough to hold. */
export const EXPORT_PAGE_SIZE = 1000;

export interface RoomExport {
  roomId: string;
  startedAt: Date;
  /** The lines, in order; stop pulling and the reads stop. */
  lines: AsyncGenerator<RoomExportLine>;
}

/** Authorizes first (so a refusal is an ordinary error answer), then hands back the lines to stream. */
export async function openRoomExport(deps: DomainDeps, principal: Principal, roomId: string): Promise<RoomExport> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'room.export');
  const room = await findRoom(deps.db, roomId);
  if (!room) throw new AppError('ROOM_NOT_FOUND');
  const startedAt = new Date();
  // Owners want to know who took the room's history away with them.
  await audit(deps.db, { roomId, actorId: principal.userId, action: 'room.export', details: { throughSeq: room.lastSeq } });
  return { roomId, startedAt, lines: exportLines(deps, principal, room, startedAt) };
}

async function* exportLines(
  deps: DomainDeps,
  principal: Principal,
  room: NonNullable<Awaited<ReturnType<typeof findRoom>>>,
  startedAt: Date,
): AsyncGenerator<RoomExportLine> {
  const throughSeq = room.lastSeq;
  yield {
    type: 'export',
    format: ROOM_EXPORT_FORMAT,
    version: ROOM_EXPORT_VERSION,
    roomId: room.id,
    roomName: room.name,
    exportedAt: startedAt.toISOString(),
    exportedBy: { id: principal.userId, displayName: principal.displayName },
    throughSeq,
  };
  yield { type: 'room', room };

  // Bounded by the room's member limit: one read.
  const members = await listMembers(deps.db, room.id);
  for (const m of members) yield { type: 'member', user: m.user, role: m.role, joinedAt: m.joinedAt, nickname: m.nickname };
  const announcements = await listAllAnnouncements(deps.db, room.id);
  for (const a of announcements) yield { type: 'announcement', id: a.id, text: a.text, author: a.author, current: a.current, createdAt: a.createdAt };

  const counts = { messages: 0, recalled: 0, hidden: 0 };
  let after = 0;
  while (after < throughSeq) {
    const page = await exportPage(deps.db, room.id, after, throughSeq, EXPORT_PAGE_SIZE);
    if (page.length === 0) break;
    const last = page[page.length - 1]!.seq;
    const reactions = await reactionCounts(deps.db, room.id, page[0]!.seq, last, principal.userId);
    for (const row of page) {
      counts.messages++;
      if (row.recalledAt) counts.recalled++;
      else if (row.hiddenAt) counts.hidden++;
      yield messageLine(row, reactions.get(row.seq));
    }
    after = last;
  }
  yield { type: 'end', ...counts, members: members.length, announcements: announcements.length, throughSeq };
}

function messageLine(row: ExportedMessageRow, reactions: Array<{ emoji: string; count: number }> | undefined): RoomExportLine {
  const base = { type: 'message' as const, seq: row.seq, id: row.id, kind: row.kind, sender: row.sender, createdAt: row.createdAt.toISOString() };
  if (row.recalledAt) return { ...base, recalled: true, recalledAt: row.recalledAt.toISOString(), recalledBy: row.recalledBy };
  if (row.hiddenAt) return { ...base, hidden: true, hiddenAt: row.hiddenAt.toISOString() };
  return {
    ...base,
    text: row.text,
    replyTo: row.replyTo,
    mentions: row.mentions,
    mentionsAll: row.mentionsAll,
    data: row.data,
    reactions: reactions?.map(({ emoji, count }) => ({ emoji, count })) ?? [],
  };
}
