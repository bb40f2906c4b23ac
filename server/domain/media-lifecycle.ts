/**
 * When stored files go. A row in attachments names its files by content key (the sha256 of the
 * original, and of each derived file once there are some); the same key may be named by many
 * rows, since the same photo posted twice is kept once. A row is *removed* (removed_at) when
 * nobody may have it any more:
 *   - its message was recalled longer than RECALL_RETENTION_DAYS ago (staff kept it as evidence
 *     until then),
 *   - it was uploaded but never sent for ATTACHMENT_UNSENT_HOURS (held uploads wait for review),
 *   - a reviewer rejected it longer than RECALL_RETENTION_DAYS ago (evidence, like a recall) — and
 *     a held upload nobody decided on within ATTACHMENT_HELD_DAYS is rejected first (review.ts),
 *   - its uploader deleted their account before sending it (what they did send stays, as their
 *     messages stay under "deleted user", as in WeChat and Telegram);
 * or it is deleted with its room when the room is dissolved. Then each of its keys is *released*:
 * the bytes are deleted unless another live row still names the key. A last sweep lists the
 * storage itself and deletes files no row names at all (a crash between keeping the bytes and
 * recording them, or between a room's deletion and its release).
 *
 * Every gateway runs these (server/jobs/media-lifecycle.ts). They are idempotent, and the one
 * race that could lose a live file is closed by a lock per key: the check "no live row names
 * this key" and the delete happen under the key's exclusive lock, while whoever makes a row name
 * a key does so under the shared lock and writes the bytes only after that row has committed.
 * So either the check sees the new row (and keeps the bytes), or the delete finishes before the
 * row exists and the bytes are then written afresh. Content addressing makes the late write
 * safe: it is the same bytes under the same key.
 */
import { markReleased, removeRecalledBefore, removeRejectedBefore, removeUnsentBefore, unreleasedRemoved } from '../store/attachments.ts';
import type { DomainDeps } from './deps.ts';
import { releaseMediaKeys, RELEASE_BATCH, type ReleaseDeps } from './media-release.ts';
import { recallRetentionCutoff } from './recall.ts';
import { rejectExpiredHeldAttachments } from './review.ts';

type LifecycleDeps = ReleaseDeps & Pick<DomainDeps, 'config'>;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Removed rows released per pass; the next run goes on where this one stopped. */
const ROWS_PER_PASS = 500;
const MAX_PASSES_PER_RUN = 40;

/** Releases the keys of removed rows not yet released, a bounded number per run. */
export async function releaseRemovedAttachments(deps: LifecycleDeps, now = new Date()): Promise<{ rows: number; filesDeleted: number }> {
  let rows = 0;
  let filesDeleted = 0;
  for (let pass = 0; pass < MAX_PASSES_PER_RUN; pass++) {
    const { ids, keys } = await unreleasedRemoved(deps.db, ROWS_PER_PASS);
    if (ids.length === 0) break;
    filesDeleted += await releaseMediaKeys(deps, keys);
    // Only after the bytes: a crash in between releases them again next time, which is harmless.
    await markReleased(deps.db, ids, now);
    rows += ids.length;
    if (ids.length < ROWS_PER_PASS) break;
  }
  return { rows, filesDeleted };
}

/** Removes the attachments of messages recalled before the retention cutoff (RECALL_RETENTION_DAYS). */
export function removeRecalledAttachments(deps: LifecycleDeps, now = new Date()): Promise<number> {
  return removeRecalledBefore(deps.db, recallRetentionCutoff(deps, now.getTime()), now);
}

/** Removes uploads rejected by review before the retention cutoff (RECALL_RETENTION_DAYS). */
export function removeRejectedAttachments(deps: LifecycleDeps, now = new Date()): Promise<number> {
  return removeRejectedBefore(deps.db, recallRetentionCutoff(deps, now.getTime()), now);
}

/** Removes uploads no message carries, older than ATTACHMENT_UNSENT_HOURS. */
export function removeUnsentAttachments(deps: LifecycleDeps, now = new Date()): Promise<number> {
  return removeUnsentBefore(deps.db, new Date(now.getTime() - deps.config.attachmentUnsentHours * HOUR_MS), now);
}

/**
 * Lists the storage and deletes every file no live row names that is older than the grace
 * period (MEDIA_UNREFERENCED_GRACE_MINUTES). Reads the listing a page at a time.
 */
export async function sweepUnreferencedFiles(deps: LifecycleDeps, now = new Date(), graceMs = deps.config.mediaUnreferencedGraceMinutes * MINUTE_MS): Promise<{ listed: number; deleted: number }> {
  const olderThan = now.getTime() - graceMs;
  let listed = 0;
  let deleted = 0;
  let batch: string[] = [];
  for await (const object of deps.media.list()) {
    listed += 1;
    if (object.modifiedAt.getTime() > olderThan) continue;
    batch.push(object.key);
    if (batch.length >= RELEASE_BATCH * 4) {
      deleted += await releaseMediaKeys(deps, batch);
      batch = [];
    }
  }
  deleted += await releaseMediaKeys(deps, batch);
  return { listed, deleted };
}

export interface MediaSweep {
  heldExpired: number;
  recalledRemoved: number;
  rejectedRemoved: number;
  unsentRemoved: number;
  rowsReleased: number;
  filesDeleted: number;
}

/**
 * One run of the row-driven sweeps: reject held uploads whose review time ran out, remove what
 * has expired, then release every removed row.
 */
export async function sweepMedia(deps: DomainDeps, now = new Date()): Promise<MediaSweep> {
  const heldExpired = await rejectExpiredHeldAttachments(deps, now);
  const recalledRemoved = await removeRecalledAttachments(deps, now);
  const rejectedRemoved = await removeRejectedAttachments(deps, now);
  const unsentRemoved = await removeUnsentAttachments(deps, now);
  const { rows, filesDeleted } = await releaseRemovedAttachments(deps, now);
  return { heldExpired, recalledRemoved, rejectedRemoved, unsentRemoved, rowsReleased: rows, filesDeleted };
}
