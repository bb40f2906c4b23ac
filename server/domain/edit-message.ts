/**
 * Editing your own text message within EDIT_WINDOW_SECONDS. The new text passes the room's
 * safety rules as a message would: what they would hold or block is refused and nothing changes
 * (an edit is never queued for review: the old text stays, the sender can send it anew). Mentions
 * are resolved again. The replaced text is kept for the room's staff; members receive the
 * message as it is now on the change feed (kind `edit`).
 */
import type { Message, MessageVersionsResponse } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { findEditTarget, listEarlierVersions, replaceText } from '../store/message-edits.ts';
import { findMessage } from '../store/messages.ts';
import { findSpeaker } from '../store/members.ts';
import { findRoomForUpdate } from '../store/rooms.ts';
import { requireScope } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import { resolveMentions } from './mentions.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit, commitEvent, type RoomEvent } from './room-events.ts';
import { policyFor, punishRepeatOffence } from './safety-gate.ts';
import { probationStartOf } from './probation.ts';
import { ensureNotSilenced } from './speaking.ts';

export async function editMessage(deps: DomainDeps, principal: Principal, roomId: string, seq: number, text: string): Promise<Message> {
  requireScope(principal, 'messages:write');
  const speaker = await findSpeaker(deps.db, roomId, principal.userId);
  if (!speaker) {
    await requireMembership(deps.db, principal, roomId);
    throw new AppError('NOT_A_MEMBER');
  }
  const now = new Date();
  // A muted member cannot say something new by rewriting something old.
  ensureNotSilenced(speaker, now);

  const before = await findEditTarget(deps.db, roomId, seq);
  ensureEditable(deps, principal, before, seq, text, now);
  if (before.text === text) return (await findMessage(deps.db, roomId, seq))!;

  const ctx = {
    roomId,
    sender: { id: principal.userId, role: speaker.role, joinedAt: probationStartOf(speaker, now) },
    policy: policyFor(roomId, speaker.room.safetyPolicy),
    now: now.getTime(),
  };
  const verdict = deps.safety.inspect(text, ctx);
  deps.metrics.safetyVerdict(verdict.action);
  if (verdict.action === 'hold' || verdict.action === 'block') {
    const reasons = verdict.reasons.filter((r) => r.action === 'hold' || r.action === 'block');
    if (verdict.action === 'block') {
      await commitEvent(deps, { kind: 'message.blocked', roomId, senderId: principal.userId, reasons });
      await punishRepeatOffence(deps, principal, ctx, verdict);
    }
    const shown = reasons.map((r) => ({ code: r.code, message: r.message }));
    throw new AppError('BLOCKED_BY_SAFETY', `The edit was refused; the message is unchanged: ${shown.map((r) => r.message).join(' ')}`, { reasons: shown });
  }
  const { mentions, mentionsAll } = await resolveMentions(deps.db, { userId: principal.userId, role: speaker.role }, roomId, text);

  return commit(deps, async (tx) => {
    // The room row lock orders this with the room's other changes (and their feed positions).
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    // Checked again under the lock: a recall or another edit may have landed meanwhile.
    const current = await findEditTarget(tx, roomId, seq);
    ensureEditable(deps, principal, current, seq, text, now);
    await replaceText(tx, { roomId, seq, previousText: current.text }, { text, mentions, mentionsAll, editedBy: principal.userId, editedAt: now });
    const message = (await findMessage(tx, roomId, seq))!;
    const events: RoomEvent[] = [{ kind: 'message.edited', roomId, seq, editedAt: now, message, by: actor(principal) }];
    if (verdict.action === 'flag') events.push({ kind: 'message.flagged', roomId, seq, senderId: principal.userId, reasons: verdict.reasons });
    return { events, value: message };
  });
}

function ensureEditable(
  deps: DomainDeps,
  principal: Principal,
  target: Awaited<ReturnType<typeof findEditTarget>>,
  seq: number,
  text: string,
  now: Date,
): asserts target is NonNullable<typeof target> {
  if (!target) throw new AppError('MESSAGE_NOT_FOUND', `No message #${seq} in this room`, { seq });
  if (target.kind !== 'text' || target.senderId !== principal.userId) throw new AppError('NOT_YOUR_MESSAGE');
  if (target.recalledAt) throw new AppError('MESSAGE_RECALLED');
  if (target.hiddenAt) throw new AppError('MESSAGE_UNDER_REVIEW');
  // The words are someone else's: changing them would put them in that person's mouth.
  if (target.forwarded) throw new AppError('NOT_YOUR_MESSAGE', 'A forwarded message cannot be edited');
  const windowSeconds = deps.config.editWindowSeconds;
  if (now.getTime() - target.createdAt.getTime() > windowSeconds * 1000) {
    throw new AppError('EDIT_WINDOW_PASSED', `Messages can be edited within ${windowSeconds} seconds of sending`, { windowSeconds });
  }
  // A photo's caption may be emptied; a message with nothing at all is refused.
  if (text.trim() === '' && target.attachmentCount === 0) throw new AppError('MESSAGE_EMPTY');
}

/** Owner and admins: a message's earlier texts (an edited-away insult stays on record for them). */
export async function readEarlierVersions(deps: DomainDeps, principal: Principal, roomId: string, seq: number): Promise<MessageVersionsResponse> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'message.viewEdits');
  const message = await findMessage(deps.db, roomId, seq);
  if (!message) throw new AppError('MESSAGE_NOT_FOUND', `No message #${seq} in this room`, { seq });
  return { message, versions: await listEarlierVersions(deps.db, roomId, seq) };
}
