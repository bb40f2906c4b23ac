/**
 * What happens to a picture between staging and keeping: it is opened (refused if it claims
 * more pixels than IMAGE_MAX_PIXELS or cannot be decoded), measured the way it is shown (EXIF
 * orientation applied), its camera line read, its metadata removed from the bytes that will be
 * served (losslessly for JPEG and PNG, here, as a stream; GIF is written anew as GIF, WebP, AVIF
 * and HEIF as WebP), and a thumbnail, a web rendition for large photos and a ThumbHash
 * placeholder made.
 *
 * The pixel work runs in the pixel worker process (server/media/pixel-worker.ts, pixels.ts), at
 * most `jobs` pictures at once per gateway, so a burst of uploads queues instead of taking the
 * machine's cores from the chat.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable, Transform } from 'node:stream';
import type { AttachmentExif } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import type { ImageScan } from './image-scan.ts';
import type { PixelFile } from './pixel-jobs.ts';
import { PixelWorker } from './pixel-worker.ts';
import type { MediaStorage, StagedUpload } from './storage.ts';
import { stripJpeg } from './strip-jpeg.ts';
import { stripPng } from './strip-png.ts';

export interface ImageOptions {
  maxPixels: number;
  jobs: number;
  /** The room keeps originals: serve the upload untouched, metadata and all. */
  keepOriginal: boolean;
}

/** A derived picture, staged (not yet kept) in the media storage. */
export interface Rendition {
  file: StagedUpload;
  mime: string;
  width: number;
  height: number;
}

export interface ProcessedImage {
  /** As shown, after the EXIF orientation. */
  width: number;
  height: number;
  exif: AttachmentExif | null;
  thumbhash: string;
  thumb: Rendition;
  display: Rendition | null;
  /** The bytes to serve instead of the upload (its metadata removed); null: serve the upload. */
  served: { file: StagedUpload; mime: string } | null;
}

/** The formats whose metadata is removed without re-encoding. */
const LOSSLESS_STRIP: Record<string, (orientation: number) => Transform> = {
  'image/jpeg': stripJpeg,
  'image/png': stripPng,
};

const worker = new PixelWorker();

/**
 * `upload` is the staged upload of a picture of detected type `mime`. Everything this stages is
 * the caller's to commit or discard; on failure it is discarded here.
 */
export async function processImage(storage: MediaStorage, upload: StagedUpload, mime: string, options: ImageOptions): Promise<ProcessedImage> {
  const strip = options.keepOriginal ? null : LOSSLESS_STRIP[mime];
  const reencode = !options.keepOriginal && !strip;
  const staged: StagedUpload[] = [];
  const stage = async (source: Readable): Promise<StagedUpload> => {
    const file = await storage.stage(source);
    staged.push(file);
    return file;
  };
  const outputs = ['display', 'thumb', 'served'].map((suffix) => `${upload.path}.${suffix}`);
  try {
    const result = await slotsFor(options.jobs).run(() => worker.run({ path: upload.path, mime, maxPixels: options.maxPixels, reencode }));
    if (!result.ok) throw new AppError(result.code, result.message, result.details);
    const rendition = async (file: PixelFile): Promise<Rendition> => ({ file: await stage(createReadStream(file.path)), mime: file.mime, width: file.width, height: file.height });
    const thumb = await rendition(result.thumb);
    const display = result.display ? await rendition(result.display) : null;
    let served: ProcessedImage['served'] = null;
    if (strip) {
      const stripped = strip(result.orientation);
      const source = upload.read();
      source.once('error', (err) => stripped.destroy(err));
      served = { file: await stage(source.pipe(stripped)), mime };
    } else if (result.served) {
      served = { file: await stage(createReadStream(result.served.path)), mime: result.served.mime };
    }
    return { width: result.width, height: result.height, exif: result.exif, thumbhash: result.thumbhash, thumb, display, served };
  } catch (err) {
    await Promise.all(staged.map((file) => file.discard()));
    throw err;
  } finally {
    await Promise.all(outputs.map((file) => rm(file, { force: true })));
  }
}

/**
 * What the safety checks read from a staged picture (its luminance for the QR decoder, its
 * perceptual hash), decoded in the pixel worker: a 24-megapixel decode on the gateway's own
 * threads took the chat's CPU however it was scheduled (docs/benchmarks.md, W9).
 */
export function scanPicture(path: string): Promise<ImageScan | null> {
  return worker.scan(path);
}

/** The pixel worker's process id while one runs (tests, diagnostics). */
export function pixelWorkerPid(): number | null {
  return worker.pid;
}

/** Ends the pixel worker (tests, shutdown); the next picture starts a new one. */
export function closePixelWorker(): void {
  worker.close();
}

/** A counting semaphore: `run` waits for one of `size` slots. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

/** One set of slots per process (per configured size), shared by every upload it receives. */
const slotsBySize = new Map<number, Slots>();
function slotsFor(size: number): Slots {
  let slots = slotsBySize.get(size);
  if (!slots) {
    slots = new Slots(size);
    slotsBySize.set(size, slots);
  }
  return slots;
}
