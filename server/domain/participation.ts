/**
 * Taking part in a room's community life (adding a 接龙 line, voting, RSVPing, creating an item)
 * is speaking in it: a muted member, anyone during 全员禁言 but staff, and a member who has not
 * accepted the current must-read rules are refused as a message would be. One check for all.
 */
import { AppError } from '../errors.ts';
import { findSpeaker, type SpeakerContext } from '../store/members.ts';
import { findRoom } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { ensureNotSilenced } from './speaking.ts';

export async function requireParticipant(deps: DomainDeps, principal: Principal, roomId: string, now = new Date()): Promise<SpeakerContext> {
  const { speaker } = await deps.speakers.lookup(roomId, principal.userId, () => findSpeaker(deps.db, roomId, principal.userId));
  if (!speaker) throw new AppError((await findRoom(deps.db, roomId)) ? 'NOT_A_MEMBER' : 'ROOM_NOT_FOUND');
  ensureNotSilenced(speaker, now);
  return speaker;
}

/** A time the item's author gives for the future (a closing time, a start). */
export function futureTime(iso: string | undefined, field: string, now: Date): Date | null {
  if (iso === undefined) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new AppError('VALIDATION_FAILED', `${field} is not a time`, { field });
  if (at.getTime() <= now.getTime()) throw new AppError('TIME_IN_PAST', `${field} has already passed`, { field });
  return at;
}
