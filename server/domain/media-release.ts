/**
 * Letting go of stored files: a key's bytes are deleted only when no live row names it, checked
 * under the key's exclusive lock (server/domain/media-lifecycle.ts says why that is enough).
 * Apart from the lifecycle so that room dissolution and account deletion can release what they
 * remove without depending on the sweeps.
 */
import { keysInUse, lockMediaKeysForDelete, markReleased, type RemovedRows } from '../store/attachments.ts';
import type { DomainDeps } from './deps.ts';

export type ReleaseDeps = Pick<DomainDeps, 'db' | 'media' | 'log'>;

/** Keys locked, checked and deleted in one transaction: few enough that an upload waits on none for long. */
export const RELEASE_BATCH = 50;

/**
 * Deletes the bytes of those keys no live row names; returns how many it deleted. Safe to call
 * with keys still in use, twice, or from several gateways at once.
 */
export async function releaseMediaKeys(deps: ReleaseDeps, keys: Iterable<string>): Promise<number> {
  const unique = [...new Set(keys)];
  let deleted = 0;
  for (let i = 0; i < unique.length; i += RELEASE_BATCH) {
    const batch = unique.slice(i, i + RELEASE_BATCH);
    deleted += await deps.db.transaction(async (tx) => {
      await lockMediaKeysForDelete(tx, batch);
      const inUse = await keysInUse(tx, batch);
      const unused = batch.filter((key) => !inUse.has(key));
      // Inside the transaction, so the lock holds until the bytes are gone; a failed delete rolls
      // nothing back that matters (the check wrote nothing) and is retried by the next run.
      for (const key of unused) await deps.media.delete(key);
      return unused.length;
    });
  }
  return deleted;
}

/**
 * Releases in the background, after the answer: a big room's files take a while, and a crash
 * midway only leaves files the listing sweep deletes later.
 */
export function releaseInBackground(deps: ReleaseDeps, keys: string[], what: Record<string, unknown>): void {
  if (keys.length === 0) return;
  releaseMediaKeys(deps, keys).then(
    (deleted) => deps.log.info({ ...what, keys: keys.length, deleted }, 'released stored files'),
    (err: unknown) => deps.log.warn({ ...what, err }, 'releasing stored files failed; the media sweep will finish it'),
  );
}


/** Releases the keys of rows just removed, then marks them released (the sweep would otherwise, later). */
export async function releaseRemovedRows(deps: ReleaseDeps, removed: RemovedRows, now = new Date()): Promise<number> {
  if (removed.ids.length === 0) return 0;
  const deleted = await releaseMediaKeys(deps, removed.keys);
  await markReleased(deps.db, removed.ids, now);
  return deleted;
}
