/**
 * Message requests: the first words of someone the recipient does not take messages from yet.
 * Text only and under stricter rules (request-text.ts); one per sender and recipient until it is
 * accepted, and an ignored one is not a second chance. Accepting opens the pair's DM room with
 * the request as its first message, from the sender; ignoring tells the sender nothing; reporting
 * ignores it and puts it in the site-level review queue (site-review.ts).
 */
import { randomUUID } from 'node:crypto';
import type { DmRequest, SendDmBody } from '../../shared/people.ts';
import type { Message, ReportReason, Room } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { decideDmRequest, findDmRequest, findDmRequestBetween, findDmRequestForUpdate, incomingDmRequests, insertDmRequest, outgoingDmRequests, viewDmRequest, type DmRequestRecord } from '../store/dm-requests.ts';
import type { ProfileRecord } from '../store/profiles.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import { openDmRoom } from './dm-rooms.ts';
import type { Principal } from './principal.ts';
import { ensureRequestTextPasses } from './request-text.ts';
import { sendMessage } from './send-message.ts';
import { fileSiteReport } from './site-review.ts';

export async function sendMessageRequest(deps: DomainDeps, principal: Principal, recipient: ProfileRecord, input: SendDmBody): Promise<DmRequest> {
  const existing = await findDmRequestBetween(deps.db, principal.userId, recipient.id);
  if (existing) return replayOrRefuse(deps, principal, existing, input);
  ensureRequestTextPasses(deps, principal.userId, input.text);
  const stored = await insertDmRequest(deps.db, { id: randomUUID(), senderId: principal.userId, recipientId: recipient.id, clientMsgId: input.clientMsgId, text: input.text });
  // Null: the same request raced itself (a retry on another connection) and lost.
  if (!stored) return replayOrRefuse(deps, principal, (await findDmRequestBetween(deps.db, principal.userId, recipient.id))!, input);
  deps.live.publishToUsers([recipient.id], 'dm:request', { request: (await viewDmRequest(deps.db, stored.id, recipient.id))! });
  return (await viewDmRequest(deps.db, stored.id, principal.userId))!;
}

/** A retry of the same request gets it back; anything else is a second request, refused. */
async function replayOrRefuse(deps: DomainDeps, principal: Principal, existing: DmRequestRecord, input: SendDmBody): Promise<DmRequest> {
  if (existing.clientMsgId === input.clientMsgId) {
    if (existing.text !== input.text) throw new AppError('IDEMPOTENCY_KEY_REUSED', undefined, { requestId: existing.id });
    return (await viewDmRequest(deps.db, existing.id, principal.userId))!;
  }
  throw new AppError('DM_REQUEST_PENDING', undefined, { requestId: existing.id });
}

export async function messageRequestsOf(deps: DomainDeps, principal: Principal): Promise<{ requests: DmRequest[]; sent: DmRequest[] }> {
  const [requests, sent] = await Promise.all([incomingDmRequests(deps.db, principal.userId), outgoingDmRequests(deps.db, principal.userId)]);
  return { requests, sent };
}

/** Opens the DM room with the request as its first message; accepting twice answers the same. */
export async function acceptMessageRequest(deps: DomainDeps, principal: Principal, requestId: string): Promise<{ room: Room; message: Message }> {
  const request = await requireIncoming(deps, principal, requestId, ['pending', 'accepted']);
  const sender = await findUserById(deps.db, request.senderId);
  if (!sender || sender.deletedAt) throw new AppError('DM_REQUEST_NOT_FOUND');
  const room = await openDmRoom(deps, request.senderId, principal.userId);
  await deps.db.transaction(async (tx) => {
    const locked = await findDmRequestForUpdate(tx, requestId);
    if (locked?.status === 'pending') await decideDmRequest(tx, requestId, 'accepted', room.id);
  });
  // Stored as the sender's, under their clientMsgId: a second accept finds the same message.
  const asSender: Principal = { userId: sender.id, username: sender.username, displayName: sender.displayName, kind: 'user', sessionId: '' };
  const { message } = await sendMessage(deps, asSender, { roomId: room.id, text: request.text, clientMsgId: request.clientMsgId });
  return { room, message };
}

export async function ignoreMessageRequest(deps: DomainDeps, principal: Principal, requestId: string): Promise<void> {
  await decideOnce(deps, principal, requestId, 'ignored');
}

export async function reportMessageRequest(deps: DomainDeps, principal: Principal, requestId: string, input: { reason: ReportReason; note?: string }) {
  const request = await decideOnce(deps, principal, requestId, 'reported');
  return fileSiteReport(deps, principal, { kind: 'request', targetUserId: request.senderId, requestId, reason: input.reason, note: input.note });
}

async function decideOnce(deps: DomainDeps, principal: Principal, requestId: string, status: 'ignored' | 'reported'): Promise<DmRequestRecord> {
  return deps.db.transaction(async (tx) => {
    const request = await findDmRequestForUpdate(tx, requestId);
    // An ignored request can still be reported; nothing else is decided twice.
    const open = request?.status === 'pending' || (status === 'reported' && request?.status === 'ignored');
    if (!request || request.recipientId !== principal.userId || !open) throw new AppError('DM_REQUEST_NOT_FOUND');
    await decideDmRequest(tx, requestId, status, null);
    return request;
  });
}

async function requireIncoming(deps: DomainDeps, principal: Principal, requestId: string, statuses: DmRequestRecord['status'][]): Promise<DmRequestRecord> {
  const request = await findDmRequest(deps.db, requestId);
  if (!request || request.recipientId !== principal.userId || !statuses.includes(request.status)) throw new AppError('DM_REQUEST_NOT_FOUND');
  return request;
}
