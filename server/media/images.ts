/**
 * What happens to a picture between staging and keeping: it is opened (refused if it claims
 * more pixels than IMAGE_MAX_PIXELS or cannot be decoded), measured the way it is shown (EXIF
 * orientation applied), its camera line read, its metadata removed from the bytes that will be
 * served (losslessly for JPEG and PNG; GIF is written anew as GIF, WebP, AVIF and HEIF as WebP), and a thumbnail, a web
 * rendition for large photos and a ThumbHash placeholder made.
 *
 * The pixel work runs in libvips on libuv's worker threads, never on the event loop, and at most
 * `jobs` pictures at once per process, so a burst of uploads queues instead of taking every
 * worker (and the file reads and DNS look-ups that share them) and its memory with it.
 */
import { Readable, type Transform } from 'node:stream';
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import type { AttachmentExif } from '../../shared/schemas.ts';
import { AppError, isAppError } from '../errors.ts';
import { cameraLine } from './exif.ts';
import { lowerPixelThreads } from './pixel-threads.ts';
import type { MediaStorage, StagedUpload } from './storage.ts';
import { stripJpeg } from './strip-jpeg.ts';
import { stripPng } from './strip-png.ts';

/** Long edge of the thumbnail: sharp on a phone's timeline at 3× density (~130 CSS px) and in a 2-column album. */
export const THUMB_EDGE = 400;
/** Long edge of the web rendition; a photo no larger than this is served as it is. */
export const DISPLAY_EDGE = 2048;
/** ThumbHash encodes at most 100 × 100 pixels. */
const THUMBHASH_EDGE = 100;
/** One libvips operation on one picture; a picture that takes longer is refused, not waited for. */
const OPERATION_TIMEOUT_SECONDS = 60;
const PIXEL_THREAD_CHECK_MS = 100;

// Each upload is a new file: libvips' operation cache would only hold on to memory.
sharp.cache(false);

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

/**
 * `upload` is the staged upload of a picture of detected type `mime`. Everything this stages is
 * the caller's to commit or discard; on failure it is discarded here.
 */
export async function processImage(storage: MediaStorage, upload: StagedUpload, mime: string, options: ImageOptions): Promise<ProcessedImage> {
  return slotsFor(options.jobs).run(async () => {
    const staged: StagedUpload[] = [];
    // libvips starts its threads as the work needs them: looked for while the work runs.
    lowerPixelThreads();
    const watch = setInterval(lowerPixelThreads, PIXEL_THREAD_CHECK_MS);
    try {
      return await processNow(storage, upload, mime, options, staged);
    } catch (err) {
      await Promise.all(staged.map((file) => file.discard()));
      throw err;
    } finally {
      clearInterval(watch);
    }
  });
}

async function processNow(storage: MediaStorage, upload: StagedUpload, mime: string, options: ImageOptions, staged: StagedUpload[]): Promise<ProcessedImage> {
  const open = (extra: SharpOptions = {}) =>
    sharp(upload.path, { limitInputPixels: options.maxPixels, failOn: 'error', sequentialRead: true, ...extra }).timeout({ seconds: OPERATION_TIMEOUT_SECONDS });

  // libvips refusing a picture (premature end, bad Huffman code, CRC, unknown format, timeout) is
  // the picture's fault; a failing disk or bucket while staging is not, and stays an error of ours.
  const decoding = <T>(work: Promise<T>): Promise<T> =>
    work.catch((err: unknown) => {
      throw isAppError(err) ? err : new AppError('IMAGE_UNREADABLE', undefined, { detected: mime });
    });

  // The header alone: a decompression bomb is refused before a single pixel is decoded.
  // (libvips' own limit would refuse it too, but as a failure to decode, not as what it is.)
  const meta = await decoding(open({ animated: true, limitInputPixels: false }).metadata());
  const frames = meta.pages ?? 1;
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  const pixels = (meta.width ?? 0) * frameHeight * frames;
  if (!meta.width || !frameHeight) throw new AppError('IMAGE_UNREADABLE', undefined, { detected: mime });
  if (pixels > options.maxPixels) {
    throw new AppError('IMAGE_TOO_LARGE', `A picture may have at most ${options.maxPixels} pixels; this one has ${pixels}`, { maxPixels: options.maxPixels, pixels });
  }
  const orientation = meta.orientation ?? 1;
  const turned = orientation >= 5;
  const width = turned ? frameHeight : meta.width;
  const height = turned ? meta.width : frameHeight;
  const animated = frames > 1;

  const stage = async (source: Readable): Promise<StagedUpload> => {
    const file = await storage.stage(source);
    staged.push(file);
    return file;
  };

  // One full decode: the web rendition from the upload, everything smaller from the rendition.
  let display: Rendition | null = null;
  let thumbSource: Sharp = open().rotate();
  if (Math.max(width, height) > DISPLAY_EDGE && !animated) {
    const out = await decoding(
      open()
        .rotate()
        .resize({ width: DISPLAY_EDGE, height: DISPLAY_EDGE, fit: 'inside', withoutEnlargement: true })
        [meta.hasAlpha ? 'webp' : 'jpeg']({ quality: 82 })
        .toBuffer({ resolveWithObject: true }),
    );
    display = { file: await stage(Readable.from([out.data])), mime: meta.hasAlpha ? 'image/webp' : 'image/jpeg', width: out.info.width, height: out.info.height };
    thumbSource = sharp(out.data);
  }
  const thumb = await decoding(
    thumbSource.resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer({ resolveWithObject: true }),
  );
  const hashPixels = await decoding(
    sharp(thumb.data).resize({ width: THUMBHASH_EDGE, height: THUMBHASH_EDGE, fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
  );
  const thumbhash = Buffer.from(rgbaToThumbHash(hashPixels.info.width, hashPixels.info.height, hashPixels.data)).toString('base64');
  const thumbRendition: Rendition = { file: await stage(Readable.from([thumb.data])), mime: 'image/webp', width: thumb.info.width, height: thumb.info.height };

  let served: ProcessedImage['served'] = null;
  if (!options.keepOriginal) {
    const strip = LOSSLESS_STRIP[mime];
    if (strip) {
      const stripped = strip(orientation);
      const source = upload.read();
      source.once('error', (err) => stripped.destroy(err));
      served = { file: await stage(source.pipe(stripped)), mime };
    } else {
      // Other formats are written anew: sharp writes no metadata unless asked to. A still
      // picture is turned upright first, as its orientation tag goes with the rest.
      const image = animated ? open({ animated }) : open().rotate();
      const gif = mime === 'image/gif';
      // The encoder streams into staging: its own failure is the picture's, staging's is ours.
      let decoderFailed = false;
      image.once('error', () => (decoderFailed = true));
      const file = await stage(gif ? image.gif() : image.webp({ quality: 90 })).catch((err: unknown) => {
        throw decoderFailed ? new AppError('IMAGE_UNREADABLE', undefined, { detected: mime }) : err;
      });
      served = { file, mime: gif ? 'image/gif' : 'image/webp' };
    }
  }
  return { width, height, exif: cameraLine(meta.exif), thumbhash, thumb: thumbRendition, display, served };
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
