/**
 * Pictures, videos and sounds for the media tests, made in code: a camera JPEG with GPS, XMP and a
 * serial number, a PNG carrying text and EXIF chunks, a 30,000 × 30,000 PNG of a few hundred
 * kilobytes, and the headers of an MP4 and a WAV.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

export const CAMERA = {
  IFD0: { Make: 'FUJIFILM', Model: 'X-T5', ImageDescription: 'our street', Artist: 'Mei' },
  IFD2: {
    ExposureTime: '1/250',
    FNumber: '28/10',
    ISOSpeedRatings: '400',
    FocalLength: '35/1',
    LensModel: 'XF35mmF1.4 R',
    DateTimeOriginal: '2026:05:01 10:11:12',
    BodySerialNumber: 'BODY-SN-12345',
    LensSerialNumber: 'LENS-SN-67890',
  },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 2/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 3/1' },
};

export const XMP_WITH_GPS =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,14.03N" exif:GPSLongitude="121,28.05E"/></rdf:RDF></x:xmpmeta>';

/**
 * A `width` × `height` photo as a camera held upright stores it: pixels landscape, EXIF
 * orientation 6 (turn 90° clockwise to show), with the camera line, GPS, XMP and serial numbers.
 */
export async function cameraJpeg(width = 3000, height = 2000, orientation = 6): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 200 } } })
    .composite([{ input: { create: { width: Math.round(width / 4), height: Math.round(height / 4), channels: 3, background: { r: 250, g: 200, b: 0 } } }, top: 0, left: 0 }])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation })
    .withExifMerge(CAMERA)
    .withXmp(XMP_WITH_GPS)
    .toBuffer();
}

/** The chunk types of a PNG, in order. */
export function pngChunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  const chunks: Array<{ type: string; data: Buffer }> = [];
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** A PNG with a tEXt comment, an iTXt XMP packet with GPS, a tIME and an eXIf with GPS and orientation 8. */
export async function pngWithMetadata(): Promise<Buffer> {
  const plain = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.6 } } }).png().toBuffer();
  // sharp hands JPEG EXIF over with its APP1 "Exif\0\0" prefix; a PNG's eXIf is the TIFF block alone.
  const exif = (await sharp(await cameraJpeg(8, 8, 8)).metadata()).exif!.subarray(6);
  const chunks = pngChunks(plain);
  const extra = [
    pngChunk('tEXt', Buffer.from('Comment\0taken at home, 12 Garden Road', 'latin1')),
    pngChunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(XMP_WITH_GPS)])),
    pngChunk('tIME', Buffer.from([0x07, 0xea, 5, 1, 10, 11, 12])),
    pngChunk('eXIf', exif),
  ];
  const signature = plain.subarray(0, 8);
  const ihdr = pngChunk('IHDR', chunks[0]!.data);
  const rest = chunks.slice(1).map((c) => pngChunk(c.type, c.data));
  return Buffer.concat([signature, ihdr, ...extra, ...rest]);
}

/**
 * A real 30,000 × 30,000 one-bit PNG: 900 million pixels that compress to a few hundred
 * kilobytes — a decompression bomb.
 */
export function pngBomb(side = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rowBytes = 1 + Math.ceil(side / 8);
  const idat = deflateSync(Buffer.alloc(rowBytes * side), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/**
 * The boxes of an MP4 that players and probes read for duration and size: ftyp, a moov with mvhd
 * (`seconds` long) and one video trak of `width` × `height` whose matrix turns it by 90° when
 * `portrait` (how phones store an upright video), then an empty mdat.
 */
export function mp4Headers(width: number, height: number, seconds: number, portrait = false): Buffer {
  const timescale = 1000;
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(timescale, 12);
  mvhd.writeUInt32BE(Math.round(seconds * timescale), 16);
  mvhd.writeUInt32BE(0x00010000, 20);
  const tkhd = Buffer.alloc(84);
  tkhd.writeUInt32BE(0x00000003, 0); // enabled, in movie
  tkhd.writeUInt32BE(1, 12);
  const matrix = portrait ? [0, 0x00010000, 0, -0x00010000, 0, 0, 0, 0, 0x40000000] : [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];
  matrix.forEach((value, i) => tkhd.writeInt32BE(value, 40 + i * 4));
  tkhd.writeUInt32BE(width * 65536, 76);
  tkhd.writeUInt32BE(height * 65536, 80);
  const hdlr = Buffer.alloc(25);
  hdlr.write('vide', 8, 'latin1');
  const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1'));
  const moov = box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd), box('mdia', box('hdlr', hdlr))));
  return Buffer.concat([ftyp, moov, box('mdat', Buffer.alloc(64))]);
}

/** A silent mono 8 kHz 16-bit WAV of `seconds`. */
export function wav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * 2 * seconds);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
