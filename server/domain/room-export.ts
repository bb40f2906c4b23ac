/**
 * Room export for owners and admins (WeChat users ask for their chat history constantly): the
 * room's settings, members, announcements and messages as NDJSON, produced page by page so a room
 * of any size costs one page of memory. The transport writes the text as the reader takes it, so
 * a slow download holds back the database reads instead of piling them up.
 *
 * What a line shows is what members see: a recalled message is a tombstone, a message hidden by
 * reports a placeholder (staff read the text in the review queue, where its fate is decided);
 * held and blocked messages were never stored in the timeline and have no seq, so they are not
 * there. The export is not one snapshot: it covers the messages up to the room's newest seq when
 * it began, and a recall made while it runs may or may not show.
 */
import { ROOM_EXPORT_FORMAT, ROOM_EXPORT_VERSION, type Room, type RoomExportLine } from '../../shared/schemas.ts';
import { listAllAnnouncements } from '../store/announcements.ts';
import { listMembers } from '../store/members.ts';
import { exportPage } from '../store/messages.ts';
import { findRoom } from '../store/rooms.ts';
import { AppError } from '../errors.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commitEvent } from './room-events.ts';

/**
 * Messages read per query. A page arrives as one string of about 100 KB; pages of 1,000 (one
 * row of 400 KB) left more of the drivers' receive buffers as garbage between collections and
 * grew the gateway by 60 MB or more in the W8 benchmark, against about 50 MB at this size, with
 * round trips still far from dominating.
 */
export const EXPORT_PAGE_SIZE = 250;

export interface RoomExport {
  roomId: string;
  startedAt: Date;
  /**
   * The export as NDJSON text, in chunks of whole lines (each line a RoomExportLine); stop
   * pulling and the reads stop.
   */
  chunks: AsyncGenerator<string>;
}

/** Authorizes first (so a refusal is an ordinary error answer), then hands back the text to stream. */
export async function openRoomExport(deps: DomainDeps, principal: Principal, roomId: string): Promise<RoomExport> {
  const me = await requireMembership(deps.db, principal, roomId);
  authorize(me.role, 'room.export');
  const room = await findRoom(deps.db, roomId);
  if (!room) throw new AppError('ROOM_NOT_FOUND');
  const startedAt = new Date();
  // Owners want to know who took the room's history away with them.
  await commitEvent(deps, { kind: 'room.exported', roomId, throughSeq: room.lastSeq, by: actor(principal) });
  return { roomId, startedAt, chunks: exportText(deps, principal, room, startedAt) };
}

const lineOf = (line: RoomExportLine): string => `${JSON.stringify(line)}\n`;

async function* exportText(deps: DomainDeps, principal: Principal, room: Room, startedAt: Date): AsyncGenerator<string> {
  const throughSeq = room.lastSeq;
  let head = lineOf({
    type: 'export',
    format: ROOM_EXPORT_FORMAT,
    version: ROOM_EXPORT_VERSION,
    roomId: room.id,
    roomName: room.name,
    exportedAt: startedAt.toISOString(),
    exportedBy: { id: principal.userId, displayName: principal.displayName },
    throughSeq,
  });
  head += lineOf({ type: 'room', room });
  // Bounded by the room's member limit: one read.
  const members = await listMembers(deps.db, room.id);
  for (const m of members) head += lineOf({ type: 'member', user: m.user, role: m.role, joinedAt: m.joinedAt, nickname: m.nickname });
  const announcements = await listAllAnnouncements(deps.db, room.id);
  for (const a of announcements) head += lineOf({ type: 'announcement', id: a.id, text: a.text, author: a.author, current: a.current, createdAt: a.createdAt });
  yield head;

  // Message lines come written by the store (see exportPage): one string per page, no objects.
  const counts = { messages: 0, recalled: 0, hidden: 0 };
  let after = 0;
  while (after < throughSeq) {
    const page = await exportPage(deps.db, room.id, after, throughSeq, EXPORT_PAGE_SIZE);
    if (!page) break;
    counts.messages += page.messages;
    counts.recalled += page.recalled;
    counts.hidden += page.hidden;
    after = page.lastSeq;
    yield page.ndjson;
  }
  yield lineOf({ type: 'end', ...counts, members: members.length, announcements: announcements.length, throughSeq });
}
