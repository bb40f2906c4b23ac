/**
 * Which uploads a message may carry. The sender names them by id; each must be their own upload
 * in this room, ready, and not sent before. Anything else refuses the whole message, and an id
 * that is someone else's is answered as not found, so ids cannot be probed. The statement that
 * stores the message claims the rows again (append_messages), which settles two sends racing
 * for the same upload.
 */
import type { Attachment } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { findAttachmentsByIds, toAttachment } from '../store/attachments.ts';
import type { Executor } from '../store/db.ts';

/** The attachments as the message will show them, in the order the sender gave. */
export async function attachmentsToSend(db: Executor, senderId: string, roomId: string, ids: readonly string[]): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const wanted = ids.map((id) => id.toLowerCase());
  const rows = new Map((await findAttachmentsByIds(db, wanted)).map((row) => [row.id, row]));
  return wanted.map((id) => {
    const row = rows.get(id);
    if (!row || row.roomId !== roomId || row.uploaderId !== senderId) {
      throw new AppError('ATTACHMENT_NOT_FOUND', 'No upload of yours with this id in this room', { attachmentId: id });
    }
    if (row.seq !== null) throw new AppError('ATTACHMENT_ALREADY_SENT', undefined, { attachmentId: id, seq: row.seq });
    if (row.status !== 'ready') throw new AppError('ATTACHMENT_NOT_READY', undefined, { attachmentId: id, status: row.status, reasons: row.reasons ?? [] });
    return toAttachment(row);
  });
}

/** Same ids in the same order: a retry of the same send. */
export function sameAttachments(a: readonly { id: string }[], ids: readonly string[] | undefined): boolean {
  const b = (ids ?? []).map((id) => id.toLowerCase());
  return a.length === b.length && a.every((attachment, i) => attachment.id === b[i]);
}
