/**
 * Where attachment bytes live, behind one small interface so a later S3 driver slots in beside
 * the local one. Content-addressed: the key is the sha256 of the bytes, so the same file posted
 * twice is kept once. An upload is first staged (streamed in while hashed), inspected, and only
 * then committed under its key; a staged upload that is discarded leaves nothing behind.
 */
import type { Readable } from 'node:stream';

/** Inclusive byte offsets, as in HTTP's Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StagedUpload {
  readonly sha256: string;
  readonly size: number;
  /** The staged bytes, for inspecting the content before it is kept. */
  read(): Readable;
  /** The staged file on local disk, for decoders that read a file rather than a stream (images). */
  readonly path: string;
  /** Keeps the bytes under their content key (a no-op write when that content is already kept). */
  commit(): Promise<string>;
  /** Forgets the staged bytes. Safe to call after commit or twice. */
  discard(): Promise<void>;
}

/** One kept file, as a listing of the storage sees it. */
export interface StoredObject {
  key: string;
  size: number;
  /** When it was last written; a file younger than the sweep's grace period is left alone. */
  modifiedAt: Date;
}

export interface MediaStorage {
  /**
   * Streams `source` into staging while hashing. Rejects (having removed whatever was written)
   * when the source fails or stops early, e.g. a client that went away mid-upload.
   */
  stage(source: Readable): Promise<StagedUpload>;
  open(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
  /**
   * Every kept file, in no particular order, read a page at a time (never the whole listing in
   * memory). Staged uploads are not listed. For the sweep of files no row names (a crash between
   * keeping the bytes and recording them).
   */
  list(): AsyncIterable<StoredObject>;
  close(): Promise<void>;
}

/** "Put a stream, get its key": stage and commit in one step, for bytes that need no inspection. */
export async function putMedia(storage: MediaStorage, source: Readable): Promise<string> {
  const staged = await storage.stage(source);
  try {
    return await staged.commit();
  } finally {
    await staged.discard();
  }
}
