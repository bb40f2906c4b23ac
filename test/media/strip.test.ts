/**
 * The JPEG and PNG metadata removers as streams: the result must not depend on where the file is
 * cut into chunks (a segment header, a marker or a chunk's length split across two reads), a
 * progressive JPEG's later tables pass through, and what trails the end of the image is dropped.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { stripJpeg } from '../../server/media/strip-jpeg.ts';
import { stripPng } from '../../server/media/strip-png.ts';
import { cameraJpeg, pngChunks, pngWithMetadata } from './pictures.ts';

/** `bytes` cut into chunks of 1 to `max` bytes, the same cuts every run. */
function chunked(bytes: Buffer, max: number): Readable {
  const chunks: Buffer[] = [];
  let seed = 7;
  for (let at = 0; at < bytes.length; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (seed % max);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(chunks);
}

const strip = (source: Readable, transform: NodeJS.ReadWriteStream) => buffer(source.pipe(transform));

describe('removing a JPEG\'s metadata', () => {
  it('gives the same bytes however the file is chunked, progressive scans included, with the pixels untouched', async () => {
    const photo = await sharp(await cameraJpeg(640, 480, 6)).jpeg({ progressive: true }).withMetadata().withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS</x:xmpmeta>').toBuffer();
    const whole = await strip(Readable.from([photo]), stripJpeg(6));
    for (const max of [1, 3, 17, 4096]) expect((await strip(chunked(photo, max), stripJpeg(6))).equals(whole)).toBe(true);
    const meta = await sharp(whole).metadata();
    expect(meta.xmp).toBeUndefined();
    expect(exifReader(meta.exif!)).toEqual({ bigEndian: true, Image: { Orientation: 6 } });
    expect((await sharp(whole).raw().toBuffer()).equals(await sharp(photo).raw().toBuffer())).toBe(true);
  });

  it('drops what follows the end of the image (the extra pictures of a multi-picture file)', async () => {
    const photo = await cameraJpeg(64, 48, 1);
    const appended = Buffer.concat([photo, await cameraJpeg(32, 24, 1)]);
    const out = await strip(chunked(appended, 5), stripJpeg(1));
    expect(out.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
    expect(out.indexOf(Buffer.from([0xff, 0xd8]), 2)).toBe(-1);
    expect(out.includes('BODY-SN-12345')).toBe(false);
    // Orientation 1 needs no EXIF at all.
    expect((await sharp(out).metadata()).exif).toBeUndefined();
  });
});

describe('removing a PNG\'s metadata', () => {
  it('gives the same chunks however the file is chunked, and nothing after IEND', async () => {
    const png = Buffer.concat([await pngWithMetadata(), Buffer.from('trailing secrets')]);
    const whole = await strip(Readable.from([png]), stripPng(8));
    for (const max of [1, 2, 13, 4096]) expect((await strip(chunked(png, max), stripPng(8))).equals(whole)).toBe(true);
    expect(pngChunks(whole).map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'eXIf', 'IDAT', 'IEND']);
    expect(whole.includes('trailing secrets')).toBe(false);
    await expect(sharp(whole).metadata()).resolves.toMatchObject({ width: 300, height: 200, orientation: 8 });
  });
});
