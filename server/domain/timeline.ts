/**
 * What a room's history records besides members' words: system messages in the timeline (with
 * their own seq, so history and catch-up show them), change-feed entries for edits to existing
 * state, and the audit log that owners and admins read.
 */
import { randomUUID } from 'node:crypto';
import type { Message, RoomChange } from '../../shared/schemas.ts';
import { insertAuditEntry } from '../store/audit.ts';
import { appendChange } from '../store/changes.ts';
import type { Executor } from '../store/db.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';

export type SystemEvent =
  | 'member.joined'
  | 'member.left'
  | 'member.kicked'
  | 'member.banned'
  | 'member.muted'
  | 'member.unmuted'
  | 'role.changed'
  | 'owner.transferred'
  | 'room.muteAll'
  | 'room.slowMode'
  | 'room.updated'
  | 'announcement.posted';

/** A user's name as system messages show it ("Mei was muted…"). */
export async function displayNameOf(deps: DomainDeps, userId: string): Promise<string> {
  return (await findUserById(deps.db, userId))?.displayName ?? 'Someone';
}

/** Stores a system message (kind `system`, no sender) and delivers it like any message. */
export async function postSystemMessage(deps: DomainDeps, roomId: string, event: SystemEvent, text: string, data: Record<string, unknown> = {}): Promise<Message> {
  const message = await deps.writer.write({
    id: randomUUID(),
    roomId,
    sender: null,
    clientMsgId: null,
    kind: 'system',
    text,
    replyTo: null,
    data: { event, ...data },
    createdAt: new Date(),
  });
  deps.live.publishMessage(message);
  deps.bots.messageStored(message);
  return message;
}

/** Records a change inside the caller's transaction; call `announceChange` after it commits. */
export function recordChange(tx: Executor, roomId: string, kind: RoomChange['kind'], payload: Record<string, unknown>): Promise<RoomChange> {
  return appendChange(tx, roomId, kind, payload);
}

export function announceChange(deps: DomainDeps, change: RoomChange): void {
  deps.live.publishRoomEvent(change.roomId, 'room:change', change);
}

export function audit(
  db: Executor,
  entry: { roomId: string; actorId: string | null; action: string; targetUserId?: string | null; targetSeq?: number | null; reason?: string; details?: Record<string, unknown> | null },
): Promise<void> {
  return insertAuditEntry(db, entry);
}
