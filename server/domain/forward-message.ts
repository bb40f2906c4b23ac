/**
 * Forwarding (转发) a message into another room I am in: the text and attachments go through the
 * destination's whole send path (speaking rules, mentions, safety, idempotency), carrying a
 * "forwarded from" attribution. The owner of a room may keep its messages in it
 * (membersCanForward: false, meant for private rooms).
 */
import type { MessageOrigin } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { copyAttachmentsForForward } from '../store/forwarded-attachments.ts';
import { findSpeaker } from '../store/members.ts';
import { findByClientMsgId, findMessage } from '../store/messages.ts';
import { findRoom } from '../store/rooms.ts';
import { requireScope } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commitEvent } from './room-events.ts';
import { sendMessage, type SendResult } from './send-message.ts';
import { ensureNotSilenced } from './speaking.ts';

export async function forwardMessage(
  deps: DomainDeps,
  principal: Principal,
  from: { roomId: string; seq: number },
  to: { roomId: string; clientMsgId: string },
): Promise<SendResult> {
  requireScope(principal, 'messages:write');
  await requireMembership(deps.db, principal, from.roomId);
  const source = (await findRoom(deps.db, from.roomId))!;
  if (!source.membersCanForward) throw new AppError('FORWARDING_DISABLED');
  const original = await findMessage(deps.db, from.roomId, from.seq);
  if (!original) throw new AppError('MESSAGE_NOT_FOUND', `No message #${from.seq} in this room`, { seq: from.seq });
  if (original.kind !== 'text') throw new AppError('FORBIDDEN', 'System messages cannot be forwarded');
  if (original.recalledAt) throw new AppError('MESSAGE_RECALLED');
  if (original.hiddenAt) throw new AppError('MESSAGE_UNDER_REVIEW');

  // A message forwarded on keeps naming where it was first written.
  const origin: MessageOrigin = original.forwardedFrom ?? {
    roomId: from.roomId,
    roomName: source.name,
    seq: from.seq,
    sender: original.sender ? { id: original.sender.id, displayName: original.sender.displayName } : null,
    createdAt: original.createdAt,
  };

  // A retry must not copy the attachments again (the copies would make it look like another send).
  const stored = await findByClientMsgId(deps.db, principal.userId, to.clientMsgId);
  if (stored) {
    const same = stored.roomId === to.roomId && stored.forwardedFrom?.roomId === origin.roomId && stored.forwardedFrom.seq === origin.seq;
    if (!same) throw new AppError('IDEMPOTENCY_KEY_REUSED', undefined, { messageId: stored.id, roomId: stored.roomId });
    return { message: stored, duplicate: true };
  }

  // The destination's refusals that need no copy come first, so a refused forward leaves nothing behind.
  const speaker = await findSpeaker(deps.db, to.roomId, principal.userId);
  if (!speaker) {
    await requireMembership(deps.db, principal, to.roomId);
    throw new AppError('NOT_A_MEMBER');
  }
  ensureNotSilenced(speaker, new Date());

  const attachments = await deps.db.transaction((tx) =>
    copyAttachmentsForForward(tx, { roomId: from.roomId, seq: from.seq, ids: original.attachments.map((a) => a.id) }, { roomId: to.roomId, uploaderId: principal.userId }),
  );
  if (original.text.trim() === '' && attachments.length === 0) throw new AppError('MESSAGE_EMPTY', 'Nothing of this message is left to forward');

  const result = await sendMessage(deps, principal, {
    roomId: to.roomId,
    text: original.text,
    clientMsgId: to.clientMsgId,
    attachments: attachments.length > 0 ? attachments : undefined,
    forwardedFrom: origin,
  });
  if (!result.duplicate) {
    await commitEvent(deps, { kind: 'message.forwarded', roomId: from.roomId, seq: from.seq, to: { roomId: to.roomId, seq: result.message.seq }, origin, by: actor(principal) });
  }
  return result;
}
