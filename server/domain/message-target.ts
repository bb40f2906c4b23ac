/** Finding the message an action (recall, reaction, pin) is aimed at. */
import { AppError } from '../errors.ts';
import type { Executor } from '../store/db.ts';
import { findTargetMessage, type TargetMessage } from '../store/message-targets.ts';

export async function requireMessage(db: Executor, roomId: string, seq: number): Promise<TargetMessage> {
  const target = await findTargetMessage(db, roomId, seq);
  if (!target) throw new AppError('MESSAGE_NOT_FOUND', `No message #${seq} in this room`, { seq });
  return target;
}
