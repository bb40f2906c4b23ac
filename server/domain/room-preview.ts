/**
 * Look before joining (the community advice: observe before participating). A public room whose
 * staff turned preview on shows a signed-in non-member its card, announcement and newest
 * messages, read-only. Nothing in it says who is in the room or online: no member list, no
 * presence, no reactions, no join and leave lines, no one's mentions, no one's client ids.
 */
import { DEFAULT_PAGE_SIZE, type Message, type RoomPreviewResponse } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { findCurrentAnnouncement } from '../store/announcements.ts';
import { newestTextMessages } from '../store/messages.ts';
import { findRoom } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';

export async function previewRoom(deps: DomainDeps, roomId: string): Promise<RoomPreviewResponse> {
  const room = await findRoom(deps.db, roomId);
  if (!room || room.visibility === 'private') throw new AppError('ROOM_NOT_FOUND');
  // A member may look too (it shows nothing they cannot read anyway).
  if (room.visibility !== 'public' || !room.preview) {
    throw new AppError('NOT_A_MEMBER', room.visibility === 'public' && !room.preview ? 'This room does not offer a preview; join it to read along' : undefined);
  }
  const [announcement, messages] = await Promise.all([findCurrentAnnouncement(deps.db, roomId), newestTextMessages(deps.db, roomId, DEFAULT_PAGE_SIZE)]);
  return { room, announcement, messages: messages.map(asSeenFromOutside) };
}

function asSeenFromOutside(message: Message): Message {
  return { ...message, clientMsgId: null, mentions: [] };
}
