/**
 * The pixel work on one picture, as the pixel worker process runs it (server/media/pixel-worker.ts):
 * the header read first (a decompression bomb is refused before a pixel is decoded), then one full
 * decode for the web rendition, the thumbnail and the ThumbHash made from it, and, for formats
 * whose metadata cannot be cut out losslessly, the picture written anew without it. Outputs are
 * files beside the staged upload (`<path>.display`, `.thumb`, `.served`), which the gateway stages.
 */
import { writeFile } from 'node:fs/promises';
import sharp, { type SharpOptions } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { cameraLine } from './exif.ts';
import type { PixelFile, PixelJob, PixelResult } from './pixel-jobs.ts';

/** Long edge of the thumbnail: sharp on a phone's timeline at 3× density (~130 CSS px) and in a 2-column album. */
export const THUMB_EDGE = 400;
/** Long edge of the web rendition; a photo no larger than this is served as it is. */
export const DISPLAY_EDGE = 2048;
/** ThumbHash encodes at most 100 × 100 pixels. */
const THUMBHASH_EDGE = 100;
/** One libvips operation on one picture; a picture that takes longer is refused, not waited for. */
const OPERATION_TIMEOUT_SECONDS = 60;

// Each upload is a new file: libvips' operation cache would only hold on to memory.
sharp.cache(false);

class Unreadable extends Error {}

export async function renderPicture(job: PixelJob): Promise<PixelResult> {
  const unreadable: PixelResult = { ok: false, code: 'IMAGE_UNREADABLE', details: { detected: job.mime } };
  try {
    return await render(job);
  } catch (err) {
    // libvips refusing a picture: premature end, bad Huffman code, CRC, unknown format, timeout.
    if (err instanceof Unreadable || err instanceof Error) return unreadable;
    throw err;
  }
}

async function render(job: PixelJob): Promise<PixelResult> {
  const open = (extra: SharpOptions = {}) =>
    sharp(job.path, { limitInputPixels: job.maxPixels, failOn: 'error', sequentialRead: true, ...extra }).timeout({ seconds: OPERATION_TIMEOUT_SECONDS });

  // The header alone (libvips' own limit would refuse a bomb too, but as a failure to decode).
  const meta = await open({ animated: true, limitInputPixels: false }).metadata();
  const frames = meta.pages ?? 1;
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  if (!meta.width || !frameHeight) throw new Unreadable();
  const pixels = meta.width * frameHeight * frames;
  if (pixels > job.maxPixels) {
    return { ok: false, code: 'IMAGE_TOO_LARGE', message: `A picture may have at most ${job.maxPixels} pixels; this one has ${pixels}`, details: { maxPixels: job.maxPixels, pixels } };
  }
  const orientation = meta.orientation ?? 1;
  const turned = orientation >= 5;
  const width = turned ? frameHeight : meta.width;
  const height = turned ? meta.width : frameHeight;
  const animated = frames > 1;

  let display: PixelFile | null = null;
  let thumbSource = open().rotate();
  if (Math.max(width, height) > DISPLAY_EDGE && !animated) {
    const mime = meta.hasAlpha ? 'image/webp' : 'image/jpeg';
    const out = await open()
      .rotate()
      .resize({ width: DISPLAY_EDGE, height: DISPLAY_EDGE, fit: 'inside', withoutEnlargement: true })
      [meta.hasAlpha ? 'webp' : 'jpeg']({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    display = { path: `${job.path}.display`, mime, width: out.info.width, height: out.info.height };
    await writeFile(display.path, out.data);
    thumbSource = sharp(out.data);
  }
  const thumb = await thumbSource.resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer({ resolveWithObject: true });
  const thumbFile: PixelFile = { path: `${job.path}.thumb`, mime: 'image/webp', width: thumb.info.width, height: thumb.info.height };
  await writeFile(thumbFile.path, thumb.data);
  const hashPixels = await sharp(thumb.data).resize({ width: THUMBHASH_EDGE, height: THUMBHASH_EDGE, fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const thumbhash = Buffer.from(rgbaToThumbHash(hashPixels.info.width, hashPixels.info.height, hashPixels.data)).toString('base64');

  let served: { path: string; mime: string } | null = null;
  if (job.reencode) {
    // sharp writes no metadata unless asked to. A still picture is turned upright first, as its
    // orientation tag goes with the rest; GIF stays GIF (animation kept), the others become WebP.
    const image = animated ? open({ animated }) : open().rotate();
    const gif = job.mime === 'image/gif';
    served = { path: `${job.path}.served`, mime: gif ? 'image/gif' : 'image/webp' };
    await (gif ? image.gif() : image.webp({ quality: 90 })).toFile(served.path);
  }
  return { ok: true, width, height, orientation, exif: cameraLine(meta.exif), thumbhash, thumb: thumbFile, display, served };
}
