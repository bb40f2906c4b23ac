/**
 * The message path after the transport: authorize → idempotency → (safety) → persist → fan-out.
 * HTTP and socket sends both end here, so a rule added here holds for every client.
 */
import { randomUUID } from 'node:crypto';
import type { Message } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { DuplicateClientMsgIdError } from '../store/message-writer.ts';
import { findByClientMsgId, seqExists } from '../store/messages.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

export interface SendInput {
  roomId: string;
  text: string;
  clientMsgId: string;
  replyTo?: number;
}

export interface SendResult {
  message: Message;
  /** True when this was a retry of a message already stored: nothing new was stored or broadcast. */
  duplicate: boolean;
}

export async function sendMessage(deps: DomainDeps, principal: Principal, input: SendInput): Promise<SendResult> {
  if (input.text.trim() === '') throw new AppError('MESSAGE_EMPTY');

  await requireMembership(deps.db, principal, input.roomId);

  const original = await findByClientMsgId(deps.db, principal.userId, input.clientMsgId);
  if (original) return { message: sameSendOrThrow(original, input), duplicate: true };

  if (input.replyTo !== undefined && !(await seqExists(deps.db, input.roomId, input.replyTo))) {
    throw new AppError('REPLY_TARGET_NOT_FOUND');
  }

  let message: Message;
  try {
    message = await deps.writer.write({
      id: randomUUID(),
      roomId: input.roomId,
      sender: { id: principal.userId, displayName: principal.displayName, kind: principal.kind },
      clientMsgId: input.clientMsgId,
      kind: 'text',
      text: input.text,
      replyTo: input.replyTo ?? null,
      createdAt: new Date(),
    });
  } catch (error) {
    if (!(error instanceof DuplicateClientMsgIdError)) throw error;
    // The same send raced itself (a retry on another connection or gateway) and lost.
    const stored = await findByClientMsgId(deps.db, principal.userId, input.clientMsgId);
    if (!stored) throw error;
    return { message: sameSendOrThrow(stored, input), duplicate: true };
  }

  deps.live.publishMessage(message);
  return { message, duplicate: false };
}

function sameSendOrThrow(stored: Message, input: SendInput): Message {
  if (stored.roomId !== input.roomId || stored.text !== input.text) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', undefined, { messageId: stored.id, roomId: stored.roomId });
  }
  return stored;
}
