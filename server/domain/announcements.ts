/**
 * Announcements (群公告): owner and admins post one; it replaces the current one, is shown to
 * everyone (also to members who join later), and members confirm they have read it.
 */
import { randomUUID } from 'node:crypto';
import type { Announcement, AnnouncementReadResponse, AnnouncementReadsResponse, CurrentAnnouncementResponse } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import {
  confirmAnnouncementRead,
  countMembersWhoHaveNotRead,
  findAnnouncementRead,
  findCurrentAnnouncement,
  insertAnnouncement,
  listAnnouncementReaders,
  retireCurrentAnnouncement,
} from '../store/announcements.ts';
import { findRoomForUpdate } from '../store/rooms.ts';
import { requireScope } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';
import { ensureTextPasses } from './written-text.ts';

export async function postAnnouncement(deps: DomainDeps, principal: Principal, roomId: string, input: { text: string }): Promise<Announcement> {
  const text = input.text.trim();
  if (text === '') throw new AppError('MESSAGE_EMPTY', 'An announcement needs some text');
  requireScope(principal, 'announcements:write');
  const { role } = await requireMembership(deps.db, principal, roomId);
  // A bot with the scope may post although its role is not staff: the owner granted it the scope.
  if (!principal.bot) authorize(role, 'announcement.post');
  await ensureTextPasses(deps, text, 'body.text', { userId: principal.userId, role }, roomId);

  const announcement: Announcement = {
    id: randomUUID(),
    roomId,
    text,
    author: { id: principal.userId, displayName: principal.displayName },
    createdAt: new Date().toISOString(),
  };
  await commit(deps, async (tx) => {
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    await retireCurrentAnnouncement(tx, roomId);
    const createdAt = new Date(announcement.createdAt);
    await insertAnnouncement(tx, { id: announcement.id, roomId, authorId: principal.userId, text, createdAt });
    // The author has read what they wrote; counting them keeps readers + unread = members.
    await confirmAnnouncementRead(tx, announcement.id, principal.userId, createdAt);
    return { events: { kind: 'announcement.posted', roomId, announcement, by: actor(principal) }, value: undefined };
  });
  return announcement;
}

export async function currentAnnouncement(deps: DomainDeps, principal: Principal, roomId: string): Promise<CurrentAnnouncementResponse> {
  await requireMembership(deps.db, principal, roomId);
  const announcement = await findCurrentAnnouncement(deps.db, roomId);
  if (!announcement) return { announcement: null, readByMe: false };
  return { announcement, readByMe: (await findAnnouncementRead(deps.db, announcement.id, principal.userId)) !== null };
}

/** Confirms the current announcement; repeating it keeps the first confirmation's time. */
export async function confirmRead(deps: DomainDeps, principal: Principal, roomId: string): Promise<AnnouncementReadResponse> {
  await requireMembership(deps.db, principal, roomId);
  const announcement = await findCurrentAnnouncement(deps.db, roomId);
  if (!announcement) throw new AppError('ANNOUNCEMENT_NOT_FOUND');
  const readAt = await confirmAnnouncementRead(deps.db, announcement.id, principal.userId, new Date());
  return { announcementId: announcement.id, readAt: readAt.toISOString() };
}

export async function announcementReads(deps: DomainDeps, principal: Principal, roomId: string): Promise<AnnouncementReadsResponse> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'announcement.viewReads');
  const announcement = await findCurrentAnnouncement(deps.db, roomId);
  if (!announcement) throw new AppError('ANNOUNCEMENT_NOT_FOUND');
  const [readers, unreadCount] = await Promise.all([
    listAnnouncementReaders(deps.db, roomId, announcement.id),
    countMembersWhoHaveNotRead(deps.db, roomId, announcement.id),
  ]);
  return { announcementId: announcement.id, readers, readCount: readers.length, unreadCount };
}
