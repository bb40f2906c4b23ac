/**
 * Posting and fetching files in a room. An upload is authorized like the first half of a
 * message (members only, mutes apply), streamed into staging while hashed, judged by its
 * content (size, type, quotas, probation) and only then kept; whatever is refused or cut off
 * leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Attachment } from '../../shared/schemas.ts';
import { AppError, isAppError } from '../errors.ts';
import type { ByteRange } from '../media/storage.ts';
import { toSigned64 } from '../media/image-scan.ts';
import { POSTER_TYPES, prepareUpload, withPoster, type PreparedUpload } from '../media/prepare.ts';
import { sniff, type Sniffed } from '../media/sniff.ts';
import type { StagedUpload } from '../media/storage.ts';
import { deleteAttachmentRow, findAttachment, insertAttachment, lockMediaKeysForUse, storageUsedBy, toAttachment } from '../store/attachments.ts';
import { findMembership, findSpeaker, type Membership } from '../store/members.ts';
import { isCurrentAvatar } from '../store/profiles.ts';
import { isMessageHidden } from '../store/messages.ts';
import { findRoom } from '../store/rooms.ts';
import { requireScope } from './bots.ts';
import { checkUpload, reportHeldUpload, type UploadVerdict } from './attachment-safety.ts';
import type { DomainDeps } from './deps.ts';
import { can } from './permissions.ts';
import type { Principal } from './principal.ts';
import { ensureNotSilenced } from './speaking.ts';

/** One file of an upload as the transport receives it. */
export interface IncomingFile {
  name: string;
  bytes: Readable;
  /** True once the transport stopped reading because the file went over the size limit. */
  truncated(): boolean;
  /** A video's poster (its first frame, captured by the uploader's client), when one was sent. */
  poster?: Buffer | null;
}

const MAX_NAME_LENGTH = 255;

/**
 * `receive` is called only once the uploader may post here, so a refused upload is refused
 * before its bytes are read. It resolves to null when the request carries no file.
 */
export async function uploadAttachment(deps: DomainDeps, principal: Principal, roomId: string, receive: () => Promise<IncomingFile | null>): Promise<Attachment> {
  requireScope(principal, 'attachments:write');
  const now = new Date();
  const speaker = await findSpeaker(deps.db, roomId, principal.userId);
  if (!speaker) throw new AppError((await findRoom(deps.db, roomId)) ? 'NOT_A_MEMBER' : 'ROOM_NOT_FOUND');
  ensureNotSilenced(speaker, now);
  // A full quota refuses at once, without making the client send the whole file first.
  ensureWithinQuotas(deps, await storageUsedBy(deps.db, roomId, principal.userId), 1);

  let file: IncomingFile | null;
  try {
    file = await receive();
  } catch (err) {
    throw isAppError(err) ? err : new AppError('UPLOAD_INCOMPLETE');
  }
  if (!file) throw new AppError('VALIDATION_FAILED', 'Send the file as multipart/form-data in a part named "file"', { field: 'file' });

  // Only a failure of the incoming bytes is the client's; a failing disk is ours (INTERNAL, logged).
  // The bytes may have failed already, while the checks above waited for the database.
  const bytes = file.bytes;
  let sourceFailed = bytes.errored !== null || (bytes.destroyed && !bytes.readableEnded);
  bytes.once('error', () => (sourceFailed = true));
  const staged = await deps.media.stage(bytes).catch((err: unknown) => {
    throw sourceFailed || bytes.errored !== null ? new AppError('UPLOAD_INCOMPLETE') : err;
  });
  let media: PreparedUpload | null = null;
  let poster: { staged: StagedUpload; sniffed: Sniffed } | null = null;
  try {
    const maxBytes = deps.config.attachmentMaxBytes;
    if (file.truncated() || staged.size > maxBytes) throw new AppError('ATTACHMENT_TOO_LARGE', `A file may have at most ${maxBytes} bytes`, { maxBytes });
    if (staged.size === 0) throw new AppError('VALIDATION_FAILED', 'The file is empty', { field: 'file' });

    const sniffed = await sniff(staged.read, file.name, staged.size);
    if (file.poster && sniffed.kind !== 'video') throw new AppError('VALIDATION_FAILED', 'A poster goes with a video only', { field: 'poster', detected: sniffed.mime });

    // Measured, and for a picture its metadata removed and thumbnails made (server/media/prepare.ts):
    // what is kept and served may be other bytes than the upload, with another size and hash.
    const keepOriginal = sniffed.kind === 'image' && (await findRoom(deps.db, roomId))?.keepImageOriginals === true;
    const imageOptions = { maxPixels: deps.config.imageMaxPixels, jobs: deps.config.imageJobs, keepOriginal };
    media = await prepareUpload(deps.media, staged, sniffed.kind, sniffed.mime, imageOptions);
    if (file.poster) {
      poster = await stagePoster(deps, file.poster);
      media = await withPoster(deps.media, media, poster.staged, poster.sniffed.mime, imageOptions).catch((err: unknown) => {
        // IMAGE_UNREADABLE or IMAGE_TOO_LARGE, said of the poster rather than of the video.
        throw isAppError(err) ? new AppError(err.code, err.message, { ...err.details, field: 'poster' }) : err;
      });
    }
    // Counted again with the size now known; two uploads racing past the quota together can
    // overshoot it by one file each, which is the price of not locking every upload.
    ensureWithinQuotas(deps, await storageUsedBy(deps.db, roomId, principal.userId), media.size);

    const name = cleanName(file.name);
    let review = await checkUpload(deps, principal, speaker, { roomId, name, size: staged.size, sniffed, read: staged.read, path: staged.path });
    if (poster) {
      // Members see the poster before they play the video: it passes the checks a photo does.
      const { staged: picture, sniffed: kind } = poster;
      review = strictestOf(review, await checkUpload(deps, principal, speaker, { roomId, name: `${name} (poster)`, size: picture.size, sniffed: kind, read: picture.read, path: picture.path }));
    }
    // The row first, under its keys' shared locks, and the bytes after it has committed: a media
    // sweep deleting these very bytes for another, removed row then either sees this row and
    // keeps them, or finishes before it and they are written again (server/domain/media-lifecycle.ts).
    const prepared = media;
    const keys = [prepared.sha256, prepared.fields.thumbSha256, prepared.fields.displaySha256].filter((key): key is string => key !== null);
    const row = await deps.db.transaction(async (tx) => {
      await lockMediaKeysForUse(tx, keys);
      return insertAttachment(tx, {
        ...prepared.fields,
        id: randomUUID(),
        roomId,
        uploaderId: principal.userId,
        kind: sniffed.kind,
        name,
        mime: prepared.mime,
        size: prepared.size,
        sha256: prepared.sha256,
        status: review.status,
        reasons: review.reasons,
        safetyReasons: review.safetyReasons,
        phash: review.phash === null ? null : toSigned64(review.phash),
      });
    });
    try {
      await prepared.commit();
    } catch (err) {
      // Nobody has seen the id yet: the row goes as if it had never been.
      await deleteAttachmentRow(deps.db, row.id);
      throw err;
    }
    await reportHeldUpload(deps, principal, toAttachment(row), review);
    deps.log.info({ roomId, userId: principal.userId, attachmentId: row.id, kind: row.kind, size: row.size, status: row.status }, 'attachment uploaded');
    return toAttachment(row);
  } finally {
    await media?.discard();
    await poster?.staged.discard();
    await staged.discard();
  }
}

/** Larger than any frame a browser captures at a video's size; a poster is a picture, not a second upload. */
export const POSTER_MAX_BYTES = 2 * 1024 * 1024;

async function stagePoster(deps: DomainDeps, bytes: Buffer): Promise<{ staged: StagedUpload; sniffed: Sniffed }> {
  if (bytes.length > POSTER_MAX_BYTES) throw new AppError('VALIDATION_FAILED', `A poster may have at most ${POSTER_MAX_BYTES} bytes`, { field: 'poster', maxBytes: POSTER_MAX_BYTES });
  const staged = await deps.media.stage(Readable.from([bytes]));
  const sniffed = await sniff(staged.read, 'poster', staged.size);
  if (sniffed.kind !== 'image' || !POSTER_TYPES.has(sniffed.mime)) {
    await staged.discard();
    throw new AppError('VALIDATION_FAILED', 'A poster must be a JPEG, PNG or WebP picture', { field: 'poster', detected: sniffed.mime });
  }
  return { staged, sniffed };
}

/** A video and its poster are kept as one: held when either is, with the reasons of both. */
function strictestOf(video: UploadVerdict, poster: UploadVerdict): UploadVerdict {
  const held = video.status === 'held' || poster.status === 'held';
  const union = <T>(a: T[] | null, b: T[] | null): T[] | null => (a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : null);
  return {
    status: held ? 'held' : 'ready',
    reasons: held ? union(video.reasons, poster.reasons) : null,
    safetyReasons: union(video.safetyReasons, poster.safetyReasons),
    phash: poster.phash ?? video.phash,
  };
}

/** The bytes themselves, the thumbnail, or the web rendition (the bytes when the picture is small). */
export type Rendition = 'bytes' | 'thumb' | 'display';

export interface ReadableAttachment {
  attachment: Attachment;
  /** What is served: its hash (the ETag), size and type. */
  file: { sha256: string; size: number; mime: string };
  open(range?: ByteRange): Promise<Readable>;
}

/**
 * Only members of its room may fetch an attachment; anyone else is told it does not exist, so
 * ids cannot be probed for which rooms hold what. A held or blocked one is shown only to its
 * uploader and the room's reviewers.
 */
const AVATAR_VIEWER: Membership = { role: 'member', joinedAt: new Date(0), nickname: null, mutedUntil: null };

export async function readAttachment(deps: DomainDeps, principal: Principal, id: string, rendition: Rendition = 'bytes'): Promise<ReadableAttachment> {
  const row = await findAttachment(deps.db, id);
  // Someone's avatar is on their profile card, which anyone signed in may see.
  const membership = row && ((await findMembership(deps.db, row.roomId, principal.userId)) ?? ((await isCurrentAvatar(deps.db, row.id)) ? AVATAR_VIEWER : null));
  if (!row || !membership) throw new AppError('ATTACHMENT_NOT_FOUND');
  // A recalled or report-hidden message takes its files with it for members; staff keep them as
  // evidence (until RECALL_RETENTION_DAYS erases a recalled one's bytes).
  if ((row.recalledAt !== null || (row.seq !== null && (await isMessageHidden(deps.db, row.roomId, row.seq)))) && !can(membership.role, 'message.viewRecalled')) {
    throw new AppError('ATTACHMENT_NOT_FOUND');
  }
  // Held and blocked files are shown to their uploader and to the staff who review them (the
  // preview in the review queue); to members never.
  if (row.status !== 'ready' && row.uploaderId !== principal.userId && !can(membership.role, 'review.decide')) {
    throw new AppError('ATTACHMENT_NOT_READY', undefined, { status: row.status });
  }
  let file = { sha256: row.sha256, size: row.size, mime: row.mime };
  if (rendition === 'thumb') {
    if (row.thumbSha256 === null) throw new AppError('ATTACHMENT_NOT_FOUND', 'This attachment has no thumbnail', { rendition });
    file = { sha256: row.thumbSha256, size: row.thumbSize!, mime: row.thumbMime! };
  } else if (rendition === 'display') {
    if (row.kind !== 'image') throw new AppError('ATTACHMENT_NOT_FOUND', 'Only pictures have a web rendition', { rendition });
    if (row.displaySha256 !== null) file = { sha256: row.displaySha256, size: row.displaySize!, mime: row.displayMime! };
  }
  return { attachment: toAttachment(row), file, open: (range) => deps.media.open(file.sha256, range) };
}

function ensureWithinQuotas(deps: DomainDeps, used: { room: number; user: number }, sizeBytes: number): void {
  const { roomStorageQuotaBytes, userStorageQuotaBytes } = deps.config;
  if (used.room + sizeBytes > roomStorageQuotaBytes) {
    throw new AppError('STORAGE_QUOTA_EXCEEDED', 'This room has no storage left for this file', { scope: 'room', quotaBytes: roomStorageQuotaBytes, usedBytes: used.room });
  }
  if (used.user + sizeBytes > userStorageQuotaBytes) {
    throw new AppError('STORAGE_QUOTA_EXCEEDED', 'You have no storage left for this file', { scope: 'user', quotaBytes: userStorageQuotaBytes, usedBytes: used.user });
  }
}

/** The name is shown to others and offered as the download's name: no paths, no control characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_NAME_LENGTH);
  return clean === '' ? 'file' : clean;
}
