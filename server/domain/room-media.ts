/**
 * The room's album (群相册: photos and videos) and files (群文件: sound and other files): what
 * members have sent, newest message first, a page at a time. Only what a member could still see
 * in the timeline is listed: a recalled message's attachments leave both views the moment it is
 * recalled, and a message hidden by reports takes its attachments with it while it is hidden.
 */
import { ROOM_MEDIA_DEFAULT_PAGE, type AlbumQuery, type FilesQuery, type RoomMediaPage } from '../../shared/schemas.ts';
import { listRoomMedia, toAttachment, type RoomMediaFilter, type RoomMediaView } from '../store/attachments.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

export function readAlbum(deps: DomainDeps, principal: Principal, roomId: string, query: AlbumQuery): Promise<RoomMediaPage> {
  return readView(deps, principal, roomId, 'album', query);
}

export function readFiles(deps: DomainDeps, principal: Principal, roomId: string, query: FilesQuery): Promise<RoomMediaPage> {
  const q = query.q?.trim();
  return readView(deps, principal, roomId, 'files', query, q === '' ? undefined : q);
}

async function readView(deps: DomainDeps, principal: Principal, roomId: string, view: RoomMediaView, query: AlbumQuery, nameContains?: string): Promise<RoomMediaPage> {
  await requireMembership(deps.db, principal, roomId);
  const limit = query.limit ?? ROOM_MEDIA_DEFAULT_PAGE;
  const filter: RoomMediaFilter = { view, limit: limit + 1, nameContains };
  if (query.before) filter.before = parseCursor(query.before);
  // One row beyond the page says whether there is another page, without a count.
  const entries = await listRoomMedia(deps.db, roomId, filter);
  const page = entries.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((entry) => ({ attachment: toAttachment(entry.row), message: { seq: entry.seq, sender: entry.sender, createdAt: entry.sentAt.toISOString() } })),
    nextBefore: entries.length > limit && last ? `${last.seq}.${last.row.id}` : null,
  };
}

/** `<seq>.<attachment id>` from nextBefore, or a bare seq (the schema has checked the shape). */
function parseCursor(cursor: string): { seq: number; id?: string } {
  const [seq, id] = cursor.split('.');
  return id ? { seq: Number(seq), id: id.toLowerCase() } : { seq: Number(seq) };
}
