/**
 * The local-directory media driver: `<dir>/<aa>/<bb>/<sha256>`, with uploads staged as
 * `<dir>/tmp/<random>.part` on the same file system so committing is one atomic rename.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { ABANDONED_STAGING_AGE_MS, StagingDir } from './staging.ts';
import type { ByteRange, MediaStorage, StagedUpload, StoredObject } from './storage.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class LocalStorage implements MediaStorage {
  private readonly staging: StagingDir;

  private constructor(
    readonly dir: string,
    private readonly removeOnClose: boolean,
  ) {
    this.staging = new StagingDir(path.join(dir, 'tmp'));
  }

  /**
   * `dir` null: a fresh temporary directory removed on close (an in-memory deployment keeps
   * nothing). Removes staged files left behind by a crash.
   */
  static async open(dir: string | null, log: Logger, now = Date.now()): Promise<LocalStorage> {
    const storage = dir ? new LocalStorage(dir, false) : new LocalStorage(await mkdtemp(path.join(tmpdir(), 'quanzi-media-')), true);
    const swept = await storage.sweepStaging(now - ABANDONED_STAGING_AGE_MS);
    if (swept > 0) log.info({ swept }, 'removed uploads left unfinished by an earlier run');
    return storage;
  }

  /** Removes staged files last written before `olderThan` (epoch ms); returns how many. */
  sweepStaging(olderThan: number): Promise<number> {
    return this.staging.sweep(olderThan);
  }

  async stage(source: Readable): Promise<StagedUpload> {
    const { path: stagedPath, sha256, size } = await this.staging.write(source);
    let settled = false;
    return {
      sha256,
      size,
      path: stagedPath,
      read: () => createReadStream(stagedPath),
      commit: async () => {
        const target = this.pathOf(sha256);
        await mkdir(path.dirname(target), { recursive: true });
        // Renaming over an existing copy is harmless: same key, same bytes.
        await rename(stagedPath, target);
        settled = true;
        return sha256;
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await rm(stagedPath, { force: true });
      },
    };
  }

  async open(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    // Opened before returning, so a missing file is an error here, not mid-response.
    const stream = createReadStream(file, range ? { start: range.start, end: range.end } : {});
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const info = await stat(this.pathOf(key)).catch(() => null);
    return info ? { size: info.size } : null;
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Walks `<aa>/<bb>/` directory by directory; anything that is not a content key (tmp/, strays) is skipped. */
  async *list(): AsyncIterable<StoredObject> {
    const FANOUT = /^[0-9a-f]{2}$/;
    for (const first of await namesIn(this.dir)) {
      if (!FANOUT.test(first)) continue;
      for (const second of await namesIn(path.join(this.dir, first))) {
        if (!FANOUT.test(second)) continue;
        const folder = path.join(this.dir, first, second);
        for (const name of await namesIn(folder)) {
          if (!SHA256_HEX.test(name) || !name.startsWith(first + second)) continue;
          const info = await stat(path.join(folder, name)).catch(() => null);
          if (info?.isFile()) yield { key: name, size: info.size, modifiedAt: info.mtime };
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.removeOnClose) await rm(this.dir, { recursive: true, force: true });
  }

  private pathOf(key: string): string {
    // Keys come from our own rows, but a path is built from them: never let one climb out.
    if (!SHA256_HEX.test(key)) throw new Error(`not a media key: ${key}`);
    return path.join(this.dir, key.slice(0, 2), key.slice(2, 4), key);
  }
}

/** A directory's entries; a directory removed meanwhile (or never made) has none. */
async function namesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
    throw err;
  });
}
