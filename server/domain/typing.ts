/**
 * Typing indicators: ephemeral, never stored. A member's "typing" goes to the room's other
 * members, at most once per TYPING_INTERVAL_MS per user and room (across gateways), so a
 * client sending one per keystroke cannot flood the room.
 */
import { TYPING_INTERVAL_MS, type TypingEvent } from '../../shared/schemas.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

export async function reportTyping(deps: DomainDeps, principal: Principal, roomId: string): Promise<{ relayed: boolean }> {
  await requireMembership(deps.db, principal, roomId);
  if (!(await deps.presence.claimTypingSlot(principal.userId, roomId, TYPING_INTERVAL_MS))) return { relayed: false };
  const event: TypingEvent = { roomId, user: { id: principal.userId, displayName: principal.displayName } };
  deps.live.publishRoomEvent(roomId, 'typing', event, { exceptUserId: principal.userId });
  return { relayed: true };
}
