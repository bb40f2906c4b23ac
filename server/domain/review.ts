/**
 * The review queue of a room, for owner and admins: messages the safety rules held, and
 * messages members reported (decided in reports.ts). Approving a held message delivers it
 * through the normal writer with a new seq taken at approval time, so seq order stays delivery
 * order; its createdAt stays the time it was sent. Its clientMsgId is kept, so the sender's retry
 * returns the delivered message. Every decision is audited and announced as `review:decided` to
 * the staff and the sender.
 */
import type { AttachmentDecisionResponse, HeldAttachment, HeldDecisionResponse, HeldMessage, Message, ReviewDecidedEvent, ReviewQuery, ReviewQueueResponse } from '../../shared/schemas.ts';
import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../errors.ts';
import { decideAttachment, findHeldAttachment, heldUploadedBefore, listHeldAttachments } from '../store/attachments.ts';
import { decideHeld, findHeld, listDecidedHeld, listHeld, reopenHeld } from '../store/held-messages.ts';
import { findMembership } from '../store/members.ts';
import { safetyPolicyOf } from '../store/rooms.ts';
import { listReportedMessages } from '../store/reports.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import { resolveMentions, type ResolvedMentions } from './mentions.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit, commitEvent, type Actor } from './room-events.ts';
import { punishRejected } from './safety-gate.ts';

const DECIDED_LIMIT = 100;
const DAY_MS = 86_400_000;
/** Expired held uploads rejected per sweep; the next sweep goes on with the rest. */
const EXPIRED_PER_RUN = 500;
/** Held attachments listed at once, oldest first; deciding them brings the next ones up. */
const OPEN_ATTACHMENTS_LIMIT = 500;

/** Throws unless the principal may review this room's queue. */
export async function requireReviewer(deps: DomainDeps, principal: Principal, roomId: string): Promise<void> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'review.decide');
}

export async function reviewQueue(deps: DomainDeps, principal: Principal, roomId: string, query: ReviewQuery): Promise<ReviewQueueResponse> {
  await requireReviewer(deps, principal, roomId);
  const kind = query.kind ?? 'all';
  const open = (query.status ?? 'open') === 'open';
  const [held, reported, attachments] = await Promise.all([
    kind === 'reports' ? [] : open ? listHeld(deps.db, roomId, 'pending') : listDecidedHeld(deps.db, roomId, DECIDED_LIMIT),
    kind === 'held' ? [] : listReportedMessages(deps.db, roomId, open),
    kind === 'reports' ? [] : listHeldAttachments(deps.db, roomId, open, open ? OPEN_ATTACHMENTS_LIMIT : DECIDED_LIMIT),
  ]);
  return { held, reported, attachments };
}

export async function approveHeld(deps: DomainDeps, principal: Principal, roomId: string, heldId: string): Promise<HeldDecisionResponse> {
  await requireReviewer(deps, principal, roomId);
  const held = await requirePending(deps, roomId, heldId);

  // Claim the decision before delivering: of two reviewers (or an approve and a reject) only
  // one wins, and a message is never delivered twice.
  const messageId = randomUUID();
  if (!(await decideHeld(deps.db, heldId, 'approved', principal.userId, messageId))) throw alreadyDecided(await findHeld(deps.db, roomId, heldId));

  let message: Message;
  try {
    message = await deliver(deps, held, messageId);
  } catch (error) {
    await reopenHeld(deps.db, heldId, messageId);
    throw error;
  }
  deps.live.publishMessage(message);

  // The decision and the delivery are committed already (each must be, before the other can be undone).
  await commitEvent(deps, { kind: 'held.approved', roomId, held, message, by: actor(principal) });
  const decided = (await findHeld(deps.db, roomId, heldId))!;
  return { held: decided, message };
}

export async function rejectHeld(deps: DomainDeps, principal: Principal, roomId: string, heldId: string): Promise<HeldDecisionResponse> {
  await requireReviewer(deps, principal, roomId);
  const held = await requirePending(deps, roomId, heldId);
  const decided = await commit(deps, async (tx) => {
    if (!(await decideHeld(tx, heldId, 'rejected', principal.userId, null))) throw alreadyDecided(await findHeld(tx, roomId, heldId));
    return { events: { kind: 'held.rejected', roomId, held, by: actor(principal) }, value: (await findHeld(tx, roomId, heldId))! };
  });
  const sender = await findMembership(deps.db, roomId, held.sender.id);
  if (sender) await punishRejected(deps, held, { role: sender.role, joinedAt: sender.joinedAt, displayName: held.sender.displayName }, await safetyPolicyOf(deps.db, roomId));
  return { held: decided };
}

/**
 * Approving a held attachment makes it ready: its uploader may now send it, and members may fetch
 * it. Rejecting blocks it for good (its uploader and staff still see it, as evidence). Both are
 * audited and announced as `review:decided` to the staff and the uploader.
 */
export async function decideHeldAttachment(
  deps: DomainDeps,
  principal: Principal,
  roomId: string,
  attachmentId: string,
  decision: 'approve' | 'reject',
): Promise<AttachmentDecisionResponse> {
  await requireReviewer(deps, principal, roomId);
  return { held: await settleHeldAttachment(deps, roomId, attachmentId, decision, actor(principal)) };
}

/**
 * A held upload is not kept waiting for ever: one that no reviewer decided on within
 * ATTACHMENT_HELD_DAYS is rejected as a reviewer would reject it (the same event, audited, the
 * staff and the uploader told, with `expired`), and from there goes the way of every rejected
 * upload (removed RECALL_RETENTION_DAYS later, its bytes released). Returns how many.
 */
export async function rejectExpiredHeldAttachments(deps: DomainDeps, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - deps.config.attachmentHeldDays * DAY_MS);
  let rejected = 0;
  for (const { id, roomId } of await heldUploadedBefore(deps.db, cutoff, EXPIRED_PER_RUN)) {
    try {
      await settleHeldAttachment(deps, roomId, id, 'reject', null);
      rejected += 1;
    } catch (err) {
      // A reviewer decided it meanwhile, or another gateway's sweep did: theirs stands.
      if (!isAppError(err) || (err.code !== 'ALREADY_DECIDED' && err.code !== 'ATTACHMENT_NOT_FOUND')) throw err;
    }
  }
  return rejected;
}

/** The one way a held attachment is decided: by a reviewer, or (`by` null) by its time running out. */
async function settleHeldAttachment(deps: DomainDeps, roomId: string, attachmentId: string, decision: 'approve' | 'reject', by: Actor | null): Promise<HeldAttachment> {
  return commit(deps, async (tx) => {
    const before = await findHeldAttachment(tx, roomId, attachmentId);
    if (!before) throw new AppError('ATTACHMENT_NOT_FOUND');
    if (before.status !== 'pending' || !(await decideAttachment(tx, attachmentId, decision === 'approve' ? 'ready' : 'blocked', by?.id ?? null))) {
      throw attachmentAlreadyDecided(await findHeldAttachment(tx, roomId, attachmentId));
    }
    const held = (await findHeldAttachment(tx, roomId, attachmentId))!;
    return { events: { kind: 'upload.decided', roomId, held, decision: decision === 'approve' ? 'approved' : 'rejected', by }, value: held };
  });
}

function attachmentAlreadyDecided(held: HeldAttachment | null): AppError {
  if (!held) return new AppError('ATTACHMENT_NOT_FOUND');
  return new AppError('ALREADY_DECIDED', `This attachment was already ${held.status}`, { status: held.status, decidedBy: held.decidedBy, decidedAt: held.decidedAt });
}

async function requirePending(deps: DomainDeps, roomId: string, heldId: string): Promise<HeldMessage> {
  const held = await findHeld(deps.db, roomId, heldId);
  if (!held) throw new AppError('HELD_MESSAGE_NOT_FOUND');
  if (held.status !== 'pending') throw alreadyDecided(held);
  return held;
}

function alreadyDecided(held: HeldMessage | null): AppError {
  if (!held) return new AppError('HELD_MESSAGE_NOT_FOUND');
  return new AppError('ALREADY_DECIDED', `This message was already ${held.status}`, {
    status: held.status,
    decidedBy: held.decidedBy,
    decidedAt: held.decidedAt,
    messageId: held.messageId,
  });
}

/** Stores the held message as the sender's, with a seq from now and its original send time. */
async function deliver(deps: DomainDeps, held: HeldMessage, messageId: string): Promise<Message> {
  const [membership, user] = await Promise.all([findMembership(deps.db, held.roomId, held.sender.id), findUserById(deps.db, held.sender.id)]);
  const mentions = await mentionsAtApproval(deps, held, membership?.role ?? 'member');
  return deps.writer.write({
    id: messageId,
    roomId: held.roomId,
    sender: { id: held.sender.id, displayName: membership?.nickname ?? user?.displayName ?? held.sender.displayName, kind: user?.kind ?? 'user' },
    clientMsgId: held.clientMsgId,
    kind: 'text',
    text: held.text,
    replyTo: held.replyTo,
    mentions: mentions.mentions,
    mentionsAll: mentions.mentionsAll,
    attachments: held.attachments,
    createdAt: new Date(held.createdAt),
  });
}

/** Mentions as of now (members may have come and gone); @all by someone who lost the right is dropped. */
async function mentionsAtApproval(deps: DomainDeps, held: HeldMessage, role: Parameters<typeof resolveMentions>[1]['role']): Promise<ResolvedMentions> {
  try {
    return await resolveMentions(deps.db, { userId: held.sender.id, role }, held.roomId, held.text);
  } catch (error) {
    if (isAppError(error) && error.code === 'FORBIDDEN') return { mentions: [], mentionsAll: false };
    throw error;
  }
}
