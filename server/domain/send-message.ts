/**
 * The message path after the transport: authorize → idempotency → speaking rules → mentions →
 * safety → persist → fan-out. HTTP and socket sends both end here, so a rule added here holds
 * for every client.
 */
import { randomUUID } from 'node:crypto';
import type { Attachment, Message, MessageOrigin } from '../../shared/schemas.ts';
import { AppError, isAppError } from '../errors.ts';
import type { SafetyReason } from '../safety/types.ts';
import { findHeldByClientMsgId } from '../store/held-messages.ts';
import { findSpeaker, staffIdsOf, type SpeakerContext } from '../store/members.ts';
import { AttachmentUnavailableError, DuplicateClientMsgIdError } from '../store/message-writer.ts';
import { findByClientMsgId, replyTargetOf } from '../store/messages.ts';
import { findRoom } from '../store/rooms.ts';
import { requireScope } from './bots.ts';
import { ensureDmOpen } from './dm-consent.ts';
import type { DomainDeps } from './deps.ts';
import { ensureMentionAllAllowed, resolveMentions } from './mentions.ts';
import { attachmentsToSend, sameAttachments } from './message-attachments.ts';
import type { Principal } from './principal.ts';
import { passSafety, policyFor } from './safety-gate.ts';
import { probationStartOf } from './probation.ts';
import { ensureMaySpeak } from './speaking.ts';
import { commitEvent } from './room-events.ts';

export interface SendInput {
  roomId: string;
  text: string;
  clientMsgId: string;
  replyTo?: number;
  /** Upload ids (1–9): the sender's own, in this room, ready and unsent. */
  attachments?: string[];
  /** A forward's attribution (forward-message.ts); stored with the message. */
  forwardedFrom?: MessageOrigin;
}

export interface SendResult {
  message: Message;
  /** True when this was a retry of a message already stored: nothing new was stored or broadcast. */
  duplicate: boolean;
}

export async function sendMessage(deps: DomainDeps, principal: Principal, input: SendInput): Promise<SendResult> {
  requireScope(principal, 'messages:write');
  if (input.attachments?.length) requireScope(principal, 'attachments:write');
  // A photo needs no caption; a message with nothing at all is refused.
  if (input.text.trim() === '' && !input.attachments?.length) throw new AppError('MESSAGE_EMPTY');

  const lookup = await deps.speakers.lookup(input.roomId, principal.userId, () =>
    findSpeaker(deps.db, input.roomId, principal.userId, input.clientMsgId),
  );
  if (!lookup.speaker) throw new AppError((await findRoom(deps.db, input.roomId)) ? 'NOT_A_MEMBER' : 'ROOM_NOT_FOUND');
  const { speaker, loadedHere } = lookup;
  if (speaker.suspended) throw new AppError('ACCOUNT_SUSPENDED');
  return answerRetries(deps, principal, input, speaker, loadedHere, (beforeRefusing) => sendNew(deps, principal, input, speaker, beforeRefusing));
}

/**
 * Idempotency, in one step around the send: a retry (same sender and clientMsgId) gets the
 * original answer — the stored message, or the held/rejected verdict — never a second message nor
 * a refusal the original did not get. Where the speaker's facts were read for this send, that read
 * already said whether the key was used, so a retry is answered before anything else runs. From the
 * cache (or a read shared with another send) it did not, and since retries are rare the check runs
 * only when it can change the answer: before the rules refuse, after any refusal, and when the
 * insert finds the key taken (the send raced its own retry on another connection or gateway).
 */
async function answerRetries(
  deps: DomainDeps,
  principal: Principal,
  input: SendInput,
  speaker: SpeakerContext,
  loadedHere: boolean,
  send: (beforeRefusing: (() => Promise<void>) | undefined) => Promise<SendResult>,
): Promise<SendResult> {
  if (loadedHere) {
    const replay = await replayOf(deps, principal, input, speaker.alreadyStored, speaker.alreadyHeld);
    if (replay) return replay;
  }
  const beforeRefusing = loadedHere
    ? undefined
    : async () => {
        const replay = await replayOf(deps, principal, input, true, true);
        if (replay) throw new ReplayFound(replay);
      };
  try {
    return await send(beforeRefusing);
  } catch (error) {
    if (error instanceof ReplayFound) return error.result;
    if (error instanceof DuplicateClientMsgIdError) {
      const stored = await findByClientMsgId(deps.db, principal.userId, input.clientMsgId);
      if (stored) return { message: sameSendOrThrow(stored, input), duplicate: true };
    } else if (!loadedHere && isAppError(error)) {
      const replay = await replayOf(deps, principal, input, true, true);
      if (replay) return replay;
    }
    throw error;
  }
}

/** A send that is not a retry: rules, safety, store, fan-out. */
async function sendNew(
  deps: DomainDeps,
  principal: Principal,
  input: SendInput,
  speaker: SpeakerContext,
  beforeRefusing: (() => Promise<void>) | undefined,
): Promise<SendResult> {
  const now = new Date();
  // A DM goes through only while the other person takes it (not blocked, DMs not turned off).
  if (speaker.room.kind === 'dm') await ensureDmOpen(deps, principal.userId, input.roomId);
  await ensureMaySpeak(deps.db, speaker, input.roomId, principal.userId, now);

  const { mentions, mentionsAll } = await resolveMentions(deps.db, { userId: principal.userId, role: speaker.role }, input.roomId, input.text);
  if (mentionsAll) await ensureMentionAllAllowed(deps.db, input.roomId, policyFor(input.roomId, speaker.room.safetyPolicy).mentionAllPerDay, now);

  const replyTarget = input.replyTo === undefined ? null : await replyTargetOf(deps.db, input.roomId, input.replyTo);
  if (input.replyTo !== undefined && !replyTarget) throw new AppError('REPLY_TARGET_NOT_FOUND');
  // Only a message that names someone needs to know whom it may name freely.
  const conversational = mentions.length === 0 ? [] : [...(replyTarget?.senderId ? [replyTarget.senderId] : []), ...(await staffIdsOf(deps.db, input.roomId))];
  const attachments = await attachmentsToSend(deps.db, principal.userId, input.roomId, input.attachments ?? []);

  const verdict = await passSafety(deps, principal, {
    roomId: input.roomId,
    text: input.text,
    clientMsgId: input.clientMsgId,
    replyTo: input.replyTo ?? null,
    mentions,
    mentionsAll,
    conversational,
    attachments,
    role: speaker.role,
    joinedAt: probationStartOf(speaker, now),
    storedPolicy: speaker.room.safetyPolicy,
    // A retry of a message that was delivered must not land in the review queue as well.
    beforeRefusing,
  });

  let message: Message;
  try {
    message = await deps.writer.write({
      id: randomUUID(),
      roomId: input.roomId,
      sender: { id: principal.userId, displayName: speaker.nickname ?? principal.displayName, kind: principal.kind },
      clientMsgId: input.clientMsgId,
      kind: 'text',
      text: input.text,
      replyTo: input.replyTo ?? null,
      mentions,
      mentionsAll,
      flags: verdict.action === 'flag' ? verdict.reasons : null,
      attachments,
      forwardedFrom: input.forwardedFrom,
      createdAt: now,
    });
  } catch (error) {
    if (!(error instanceof AttachmentUnavailableError)) throw error;
    // Another send took an upload meanwhile: the checks, run again, say which and why.
    await attachmentsToSend(deps.db, principal.userId, input.roomId, input.attachments ?? []);
    throw new AppError('ATTACHMENT_ALREADY_SENT');
  }

  deps.live.publishMessage(message);
  // Bots' events (incl. slash commands) are queued behind the ack; delivery never blocks a send.
  deps.bots.messageStored(message);
  // A link the rules found nothing to say about gets its preview; a flagged one waits for staff.
  if (verdict.action === 'allow') deps.previews.messageStored(message);
  if (verdict.action === 'flag') await reportFlag(deps, principal, message, verdict.reasons);
  return { message, duplicate: false };
}

function reportFlag(deps: DomainDeps, principal: Principal, message: Message, reasons: SafetyReason[]): Promise<void> {
  return commitEvent(deps, { kind: 'message.flagged', roomId: message.roomId, seq: message.seq, senderId: principal.userId, reasons });
}

class ReplayFound extends Error {
  constructor(readonly result: SendResult) {
    super('the send is a retry of a stored message');
  }
}

/** A retry of a send already stored (returns the original) or held for review (answers as before). */
async function replayOf(deps: DomainDeps, principal: Principal, input: SendInput, maybeStored: boolean, maybeHeld: boolean): Promise<SendResult | null> {
  const original = maybeStored ? await findByClientMsgId(deps.db, principal.userId, input.clientMsgId) : null;
  if (original) return { message: sameSendOrThrow(original, input), duplicate: true };
  const held = maybeHeld ? await findHeldByClientMsgId(deps.db, principal.userId, input.clientMsgId) : null;
  if (held) {
    if (held.status === 'rejected') throw new AppError('REJECTED_IN_REVIEW', undefined, { heldId: held.id });
    // A retry of a held message gets the same answer, and is not held twice.
    throw new AppError('HELD_FOR_REVIEW', undefined, { heldId: held.id, reasons: held.reasons.map((r) => ({ code: r.code, message: r.message })) });
  }
  return null;
}

function sameSendOrThrow(stored: Message, input: SendInput): Message {
  // A recalled or hidden original shows nothing, so only the room can be compared then.
  const gone = stored.recalledAt !== null || Boolean(stored.hiddenAt);
  const differs = !gone && (stored.text !== input.text || !sameAttachments(stored.attachments, input.attachments));
  if (stored.roomId !== input.roomId || differs) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', undefined, { messageId: stored.id, roomId: stored.roomId });
  }
  return stored;
}
