/**
 * Staging shared by the media drivers: an upload is streamed into a local file while it is hashed,
 * so its content key is known (and its bytes can be inspected) before anything is kept.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Bytes gathered before one write to the staged file. The request arrives in socket reads of at
 * most 64 KiB; writing each on its own costs a round trip to libuv's thread pool (two context
 * switches, and on a busy core a wait for the event loop's turn after each) and a system call:
 * a phone-paced upload cost the gateway about a fifth more CPU per megabyte that way
 * (bench/findings.md). 256 KiB measured as well as 512 KiB and holds half as much: 20 uploads at
 * once keep at most 2 × 20 × this in memory (one batch being written, one filling).
 */
export const STAGING_WRITE_BYTES = 256 * 1024;

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
    const file = await open(stagedPath, 'wx');
    const sink = new HashingFileSink(file);
    try {
      await pipeline(source, sink);
    } catch (err) {
      await file.close().catch(() => {});
      await rm(stagedPath, { force: true });
      throw err;
    }
    await file.close();
    return { path: stagedPath, sha256: sink.sha256(), size: sink.size };
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

/**
 * Hashes what passes and writes it to `file` in batches of STAGING_WRITE_BYTES (one writev of the
 * chunks as they came, no copy). A chunk is acknowledged as soon as it is gathered, so the source
 * keeps flowing while a batch is written; the source waits only while a batch is on its way and
 * the next one is full.
 */
class HashingFileSink extends Writable {
  size = 0;
  private readonly hash = createHash('sha256');
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private failed: Error | null = null;

  constructor(private readonly file: FileHandle) {
    // The batch is the buffer: the stream's own queue only bridges the wait for the write before.
    super({ highWaterMark: 64 * 1024 });
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.failed) return done(this.failed);
    this.hash.update(chunk);
    this.size += chunk.length;
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes < STAGING_WRITE_BYTES) return done();
    // A full batch goes once the one before it is written: at most one batch waits in memory.
    this.writing.then(() => {
      if (this.failed) return done(this.failed);
      this.writing = this.flush();
      done();
    }, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.writing.then(() => this.flush()).then(() => done(this.failed), done);
  }

  private flush(): Promise<void> {
    const buffers = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    if (buffers.length === 0) return Promise.resolve();
    return writeAll(this.file, buffers).catch((err: Error) => {
      this.failed = err;
    });
  }
}

/** writev may write less than asked (a full disk, a signal): the rest follows until all is written. */
async function writeAll(file: FileHandle, buffers: Buffer[]): Promise<void> {
  let left = buffers;
  while (left.length > 0) {
    const { bytesWritten } = await file.writev(left);
    let skipped = bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of left) {
      if (skipped >= buffer.length) skipped -= buffer.length;
      else {
        rest.push(skipped > 0 ? buffer.subarray(skipped) : buffer);
        skipped = 0;
      }
    }
    if (rest.length === left.length && bytesWritten === 0) throw new Error('the staged file took no bytes');
    left = rest;
  }
}
