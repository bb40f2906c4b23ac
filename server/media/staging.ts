/**
 * Staging shared by the media drivers: an upload is streamed into a local file while it is hashed,
 * so its content key is known (and its bytes can be inspected) before anything is kept.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A staged file this old belongs to no upload still running: its process died mid-upload. */
export const ABANDONED_STAGING_AGE_MS = 10 * 60_000;

export interface StagedFile {
  path: string;
  sha256: string;
  size: number;
}

export class StagingDir {
  /** Created on the first upload, so a gateway that never receives one writes nothing to disk. */
  private ready: Promise<unknown> | null = null;

  constructor(readonly dir: string) {}

  /** Streams `source` into a new file here while hashing; removes the file when the source fails. */
  async write(source: Readable): Promise<StagedFile> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready.catch((err) => {
      this.ready = null;
      throw err;
    });
    const stagedPath = path.join(this.dir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const sink = createWriteStream(stagedPath, { flags: 'wx' });
    try {
      await pipeline(source, hashing, sink);
    } catch (err) {
      // A source that fails at once fails before the file is even open: the open still completes
      // (and creates the file) after the pipeline gave up, so wait for the stream to close first.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      await rm(stagedPath, { force: true });
      throw err;
    }
    return { path: stagedPath, sha256: hash.digest('hex'), size };
  }

  /** Removes staged files last written before `olderThan` (epoch ms); returns how many. */
  async sweep(olderThan: number): Promise<number> {
    let swept = 0;
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    for (const name of names) {
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < olderThan) {
        await rm(file, { force: true });
        swept += 1;
      }
    }
    return swept;
  }
}
