/**
 * Removes a PNG's metadata chunk by chunk, copying the image data unchanged (no quality lost,
 * streamed). Only the chunks that draw the picture are kept — header, palette, transparency,
 * colour information, pixel density, the image data and APNG animation — so text chunks
 * (tEXt/zTXt/iTXt: XMP with GPS, author, software), EXIF (eXIf), timestamps and any private chunk
 * go, and so does whatever trails the end of the image. A rotated picture gets back an eXIf
 * holding only its orientation.
 */
import type { Transform, TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { AppError } from '../errors.ts';
import { ChunkedParser } from './chunked-parser.ts';
import { orientationExif } from './exif.ts';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const DRAWING_CHUNKS: ReadonlySet<string> = new Set([
  'IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'cHRM', 'gAMA', 'iCCP', 'sBIT', 'sRGB', 'cICP', 'mDCV', 'cLLI', 'bKGD', 'pHYs', 'acTL', 'fcTL', 'fdAT',
]);

type State = 'signature' | 'header' | 'body' | 'done';

export function stripPng(orientation: number): Transform {
  return new PngStripper(orientation);
}

class PngStripper extends ChunkedParser {
  private state: State = 'signature';
  /** Bytes of the current chunk (data and CRC) still to copy or drop. */
  private remaining = 0;
  private keeping = false;
  private orientationWritten: boolean;
  private afterIend = false;

  constructor(private readonly orientation: number) {
    super();
    this.orientationWritten = orientation <= 1;
  }

  override _flush(done: TransformCallback): void {
    if (this.state === 'body' && this.keeping) this.push(this.pending);
    done();
  }

  protected drain(): void {
    const buf = this.pending;
    const out: Buffer[] = [];
    let i = 0;
    scanning: while (i < buf.length) {
      switch (this.state) {
        case 'signature':
          if (buf.length - i < SIGNATURE.length) break scanning;
          if (!buf.subarray(i, i + SIGNATURE.length).equals(SIGNATURE)) throw new AppError('IMAGE_UNREADABLE', undefined, { detected: 'image/png' });
          out.push(SIGNATURE);
          i += SIGNATURE.length;
          this.state = 'header';
          break;
        case 'header': {
          if (buf.length - i < 8) break scanning;
          const length = buf.readUInt32BE(i);
          const type = buf.toString('latin1', i + 4, i + 8);
          // eXIf must come before the image data (PNG 3rd edition), so the orientation goes there.
          if (!this.orientationWritten && (type === 'IDAT' || type === 'acTL')) {
            out.push(exifChunk(this.orientation));
            this.orientationWritten = true;
          }
          this.keeping = DRAWING_CHUNKS.has(type);
          if (this.keeping) out.push(buf.subarray(i, i + 8));
          i += 8;
          this.remaining = length + 4;
          this.state = 'body';
          if (type === 'IEND') this.afterIend = true;
          break;
        }
        case 'body': {
          const n = Math.min(this.remaining, buf.length - i);
          if (this.keeping) out.push(buf.subarray(i, i + n));
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = this.afterIend ? 'done' : 'header';
          break;
        }
        case 'done':
          i = buf.length;
          break;
      }
    }
    this.pending = Buffer.from(buf.subarray(i));
    if (out.length > 0) this.push(Buffer.concat(out));
  }

}

function exifChunk(orientation: number): Buffer {
  const data = orientationExif(orientation);
  const chunk = Buffer.alloc(8 + data.length + 4);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('eXIf', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}
