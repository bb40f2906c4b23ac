/**
 * Recalling a message (撤回). A member may recall their own message within the recall window;
 * owner and admins may recall any message at any time, except (per the permission table) an
 * admin cannot recall the owner's or another admin's. The row and its seq stay as a tombstone;
 * staff can read the original text until the retention period ends, then it is erased.
 */
import type { Recall, RecalledMessageResponse } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { markAttachmentsRecalled } from '../store/attachments.ts';
import { findMembership } from '../store/members.ts';
import { messagesInRange } from '../store/messages.ts';
import { deletePin } from '../store/pins.ts';
import { eraseRecalledText, findRecalledOriginal, markRecalled } from '../store/recalls.ts';
import { findRoomForUpdate } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { requireMessage } from './message-target.ts';
import { authorize, can } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit, type RoomEvent } from './room-events.ts';

const DAY_MS = 86_400_000;

export async function recallMessage(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  seq: number,
  options: { reason?: string } = {},
): Promise<Recall> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  const windowMs = deps.config.recallWindowSeconds * 1000;

  return commit(deps, async (tx) => {
    // The room row lock orders this with every other change to the room (and its feed position).
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    const target = await requireMessage(tx, roomId, seq);
    if (target.kind === 'system' || target.senderId === null) throw new AppError('FORBIDDEN', 'System messages cannot be recalled');
    if (target.recalledAt) throw new AppError('ALREADY_RECALLED', undefined, { recalledAt: target.recalledAt.toISOString() });

    const now = new Date();
    const own = target.senderId === principal.userId;
    if (own && !can(role, 'message.recallAny')) {
      authorize(role, 'message.recallOwn');
      if (now.getTime() - target.createdAt.getTime() > windowMs) {
        throw new AppError('RECALL_WINDOW_PASSED', `Messages can be recalled within ${deps.config.recallWindowSeconds} seconds of sending`, {
          windowSeconds: deps.config.recallWindowSeconds,
        });
      }
    } else if (!own) {
      // Someone who has left is judged as a plain member: their old rank no longer protects them.
      const sender = await findMembership(tx, roomId, target.senderId);
      authorize(role, 'message.recallAny', sender?.role ?? 'member');
    }

    await markRecalled(tx, roomId, seq, principal.userId, now);
    await markAttachmentsRecalled(tx, roomId, seq, now);
    const by = actor(principal);
    const events: RoomEvent[] = [{ kind: 'message.recalled', roomId, seq, recalledAt: now, by, senderId: target.senderId, own, reason: options.reason }];
    // A tombstone cannot stay pinned.
    if (await deletePin(tx, roomId, seq)) events.push({ kind: 'message.unpinned', roomId, seq, by, reason: 'recalled' });
    return { events, value: { roomId, seq, recalledAt: now.toISOString(), recalledBy: principal.userId } satisfies Recall };
  });
}

/**
 * The original of a recalled message, for owner and admins. Past the retention period the text
 * is reported as null and erased on the spot (the periodic purge in jobs/ erases the rest).
 */
export async function readRecalledMessage(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<RecalledMessageResponse> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'message.viewRecalled');
  const original = await findRecalledOriginal(deps.db, roomId, seq);
  if (!original) throw new AppError('MESSAGE_NOT_FOUND', `No message #${seq} in this room`, { seq });
  if (!original.recalledAt || !original.recalledBy) {
    throw new AppError('MESSAGE_NOT_FOUND', `Message #${seq} has not been recalled; read it in the history`, { seq });
  }
  const cutoff = recallRetentionCutoff(deps);
  const expired = original.recalledAt.getTime() <= cutoff.getTime();
  if (expired && original.text !== '') await eraseRecalledText(deps.db, cutoff, { roomId, seq });
  const [message] = await messagesInRange(deps.db, roomId, seq, seq);
  return {
    message: message!,
    originalText: expired || original.text === '' ? null : original.text,
    originalAttachments: expired ? [] : original.attachments,
    recalledBy: original.recalledBy,
  };
}

/** Messages recalled at or before this instant have passed the retention period. */
export function recallRetentionCutoff(deps: Pick<DomainDeps, 'config'>, now = Date.now()): Date {
  return new Date(now - deps.config.recallRetentionDays * DAY_MS);
}

/** Erases recalled text past retention everywhere; run periodically by jobs/purge-recalled.ts. */
export function purgeRecalledText(deps: Pick<DomainDeps, 'config' | 'db'>): Promise<number> {
  return eraseRecalledText(deps.db, recallRetentionCutoff(deps));
}
