/**
 * What the safety layer reads from a picture: its luminance at a bounded size (for the QR
 * decoder) and a perceptual hash (pHash) that stays the same when the picture is re-encoded,
 * resized or slightly cropped, unlike its sha256. sharp decodes on libuv's thread pool, off the
 * event loop; the decode limit refuses decompression bombs before any pixel is allocated.
 */
import type { Readable } from 'node:stream';
import sharp from 'sharp';

export interface ImageScan {
  /** Luminance, one byte a pixel, at most SCAN_EDGE on the long side. */
  grey: Uint8Array;
  width: number;
  height: number;
  /** 64-bit perceptual hash, or null for a picture too small or too plain to tell apart from others. */
  phash: bigint | null;
}

/**
 * Big photos are scaled down before looking for QR codes: a code that fills a useful part of the
 * picture survives it, and decoding a 24-megapixel photo at full size would take a second.
 */
const SCAN_EDGE = 1600;
/** Pixels sharp may decode; a picture claiming more is not read (the images helper refuses it). */
const MAX_INPUT_PIXELS = 100_000_000;
/** Below this a picture has too few pixels for its hash to mean anything (icons, 1×1 trackers). */
const MIN_HASH_EDGE = 32;

export async function scanImage(read: () => Readable): Promise<ImageScan | null> {
  const source = read();
  try {
    const decoder = sharp({ limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true });
    source.pipe(decoder);
    const { data, info } = await decoder
      .rotate()
      .resize({ width: SCAN_EDGE, height: SCAN_EDGE, fit: 'inside', withoutEnlargement: true })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const grey = new Uint8Array(data.buffer, data.byteOffset, info.width * info.height);
    const phash = info.width >= MIN_HASH_EDGE && info.height >= MIN_HASH_EDGE ? await perceptualHash(data, info.width, info.height) : null;
    return { grey, width: info.width, height: info.height, phash };
  } catch {
    // Not decodable as a picture (a truncated or unusual file): there is nothing to read in it.
    return null;
  } finally {
    source.destroy();
  }
}

/**
 * pHash: the picture shrunk to 32×32 grey, its 8×8 lowest spatial frequencies (a DCT, the
 * constant term left out), one bit for each: above or below their median. The low frequencies
 * are the picture's layout, which re-encoding, resizing, brightness and a small crop leave alone;
 * two different photos of the same kind (two sunsets) still differ in them, where a 9×8 gradient
 * hash (dHash) often does not. A nearly uniform picture has no layout to hash.
 */
async function perceptualHash(grey: Buffer, width: number, height: number): Promise<bigint | null> {
  const small = await sharp(grey, { raw: { width, height, channels: 1 } })
    .resize(HASH_SIZE, HASH_SIZE, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  let min = 255;
  let max = 0;
  for (const v of small) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (max - min < 8) return null;
  const coefficients: number[] = [];
  for (let u = 0; u < 8; u += 1) {
    for (let v = 0; v < 8; v += 1) {
      let sum = 0;
      for (let y = 0; y < HASH_SIZE; y += 1) {
        const cy = COSINES[v * HASH_SIZE + y]!;
        for (let x = 0; x < HASH_SIZE; x += 1) sum += small[y * HASH_SIZE + x]! * COSINES[u * HASH_SIZE + x]! * cy;
      }
      coefficients.push(sum);
    }
  }
  const ac = coefficients.slice(1);
  const median = [...ac].sort((p, q) => p - q)[Math.floor(ac.length / 2)]!;
  let hash = 0n;
  for (const c of coefficients) hash = (hash << 1n) | (c > median ? 1n : 0n);
  return hash;
}

const HASH_SIZE = 32;
/** cos((2x+1)uπ / 64) for u < 8, x < 32: the DCT-II basis the hash needs. */
const COSINES = Float64Array.from({ length: 8 * HASH_SIZE }, (_, i) => Math.cos(((2 * (i % HASH_SIZE) + 1) * Math.floor(i / HASH_SIZE) * Math.PI) / (2 * HASH_SIZE)));

export function hammingDistance(a: bigint, b: bigint): number {
  let x = BigInt.asUintN(64, a ^ b);
  let count = 0;
  while (x > 0n) {
    x &= x - 1n;
    count += 1;
  }
  return count;
}

/** PostgreSQL's bigint is signed: the hash is stored as the signed number with the same 64 bits. */
export function toSigned64(hash: bigint): bigint {
  return BigInt.asIntN(64, hash);
}
