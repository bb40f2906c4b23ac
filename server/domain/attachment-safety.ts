/**
 * Runs the safety checks on an upload before it is kept (server/safety/attachments.ts decides)
 * and carries out the verdict the way safety-gate.ts does for a message: `allow` and `flag` keep
 * it ready, `hold` keeps it held for the review queue (audited, staff told), `block` refuses it
 * and keeps nothing (audited; counts towards the automatic mute when it is an offence).
 */
import type { Readable } from 'node:stream';
import type { Attachment } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import type { Sniffed } from '../media/sniff.ts';
import { judgeAttachment, type AttachmentVerdict } from '../safety/attachments.ts';
import type { SafetyContext, SafetyReason } from '../safety/types.ts';
import { findLookalikes } from '../store/attachments.ts';
import type { SpeakerContext } from '../store/members.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { probationStartOf } from './probation.ts';
import { policyFor, punishRepeatOffence } from './safety-gate.ts';
import { commitEvent } from './room-events.ts';

export interface UploadToCheck {
  roomId: string;
  name: string;
  size: number;
  sniffed: Sniffed;
  read(): Readable;
  /** The staged file, when it is on this machine's disk. */
  path?: string;
}

export interface UploadVerdict {
  status: 'ready' | 'held';
  /** The codes members may see on the attachment, null when there are none. */
  reasons: string[] | null;
  /** The verdict in full, for reviewers. */
  safetyReasons: SafetyReason[] | null;
  phash: bigint | null;
}

/** Returns how to keep the upload; throws ATTACHMENT_TYPE_REFUSED or BLOCKED_BY_SAFETY when it may not be kept. */
export async function checkUpload(deps: DomainDeps, principal: Principal, speaker: SpeakerContext, upload: UploadToCheck): Promise<UploadVerdict> {
  const ctx: SafetyContext = {
    roomId: upload.roomId,
    sender: { id: principal.userId, role: principal.kind === 'bot' ? 'bot' : speaker.role, joinedAt: probationStartOf(speaker, new Date()) },
    policy: policyFor(upload.roomId, speaker.room.safetyPolicy),
    now: Date.now(),
  };
  const { sniffed } = upload;
  const verdict = await judgeAttachment({ name: upload.name, kind: sniffed.kind, mime: sniffed.mime, risk: sniffed.risk, riskDetail: sniffed.riskDetail, read: upload.read, path: upload.path }, ctx, {
    pipeline: deps.safety,
    qr: deps.qr,
    findLookalikes: (phash, sinceMs, maxDistance) => findLookalikes(deps.db, phash, new Date(sinceMs), maxDistance),
  });
  deps.metrics.attachmentVerdict(verdict.action, verdict.qrMs === undefined ? null : verdict.qrMs / 1000);

  if (verdict.action === 'block') {
    await commitEvent(deps, { kind: 'upload.blocked', roomId: upload.roomId, uploaderId: principal.userId, file: { name: upload.name, mime: sniffed.mime, size: upload.size }, reasons: verdict.reasons });
    await punishRepeatOffence(deps, principal, ctx, verdict);
    throw refusal(verdict, sniffed);
  }
  const held = verdict.action === 'hold';
  // A held file's uploader sees why, as the sender of a held message does; flags alone stay staff-only.
  return {
    status: held ? 'held' : 'ready',
    reasons: held ? verdict.reasons.map((r) => r.code) : null,
    safetyReasons: verdict.reasons.length > 0 ? verdict.reasons : null,
    phash: verdict.phash,
  };
}

/** After a held upload is stored: the audit entry and the staff's `review:new`, as for a held message. */
export async function reportHeldUpload(deps: DomainDeps, principal: Principal, attachment: Attachment, verdict: UploadVerdict): Promise<void> {
  if (attachment.status !== 'held') return;
  await commitEvent(deps, { kind: 'upload.held', roomId: attachment.roomId, uploaderId: principal.userId, attachment, reasons: verdict.safetyReasons ?? [] });
}

/**
 * A refused type says what the file really is (details.detected), as the contract has it; other
 * blocks (a phishing link in a QR code, a denied domain in the name) are refused like a message.
 */
function refusal(verdict: AttachmentVerdict, sniffed: Sniffed): AppError {
  const blocking = verdict.reasons.filter((r) => r.action === 'block');
  const reasons = blocking.map((r) => ({ code: r.code, message: r.message }));
  if (blocking.some((r) => r.rule === 'files' && r.code !== 'FILE_NAME_TEXT')) {
    return new AppError('ATTACHMENT_TYPE_REFUSED', `Refused: ${reasons.map((r) => r.message).join(' ')}`, { detected: sniffed.detected, reasons });
  }
  return new AppError('BLOCKED_BY_SAFETY', `Blocked: ${reasons.map((r) => r.message).join(' ')}`, { reasons });
}
