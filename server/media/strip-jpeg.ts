/**
 * Removes a JPEG's metadata without touching its pixels: the compressed image data is copied
 * byte for byte, so a photographer's photo loses no quality, while the segments that can say
 * where it was taken or by which device go. Streamed, so a large file is never held whole.
 *
 * Kept: the image itself (tables, frame, scans), JFIF (APP0), the colour profile (APP2
 * ICC_PROFILE) and Adobe's colour-transform flag (APP14), which decoders need to show the
 * colours right. Dropped: EXIF and XMP (APP1: GPS, serial numbers, owner names), every other
 * APPn (IPTC in APP13 carries place names; APP2 MPF points at the images appended after the
 * main one), comments, and whatever follows the end of the image (those appended images, each
 * with its own EXIF). When the photo needs rotating to be shown upright, a new APP1 holding only
 * the orientation is written in place of the old EXIF.
 */
import type { Transform, TransformCallback } from 'node:stream';
import { AppError } from '../errors.ts';
import { ChunkedParser } from './chunked-parser.ts';
import { orientationExif } from './exif.ts';

type State = 'start' | 'marker' | 'segment' | 'scan' | 'done';

/** The longest identifier a kept APPn segment is recognised by ("ICC_PROFILE\0"). */
const IDENTIFIER_BYTES = 12;

export function stripJpeg(orientation: number): Transform {
  return new JpegStripper(orientation);
}

class JpegStripper extends ChunkedParser {
  private state: State = 'start';
  /** Bytes of the current segment still to copy or drop. */
  private remaining = 0;
  private keeping = false;
  /** Where the stream goes once the current segment is over: scan data follows a start-of-scan header. */
  private afterSegment: 'marker' | 'scan' = 'marker';

  constructor(private readonly orientation: number) {
    super();
  }

  override _flush(done: TransformCallback): void {
    // Only a file cut inside a marker leaves bytes here; the decoder has already judged it readable.
    if (this.state !== 'done' && !(this.state === 'segment' && !this.keeping)) this.push(this.pending);
    done();
  }

  protected drain(): void {
    const buf = this.pending;
    const out: Buffer[] = [];
    let i = 0;
    scanning: while (i < buf.length) {
      switch (this.state) {
        case 'start': {
          if (buf.length - i < 2) break scanning;
          if (buf[i] !== 0xff || buf[i + 1] !== 0xd8) throw unreadable();
          out.push(buf.subarray(i, i + 2));
          if (this.orientation > 1) out.push(app1Orientation(this.orientation));
          i += 2;
          this.state = 'marker';
          break;
        }
        case 'marker': {
          if (buf.length - i < 2) break scanning;
          if (buf[i] !== 0xff) throw unreadable();
          const marker = buf[i + 1]!;
          if (marker === 0xff) {
            i += 1; // fill byte before a marker
            break;
          }
          if (marker === 0xd9) {
            out.push(buf.subarray(i, i + 2));
            i = buf.length;
            this.state = 'done';
            break;
          }
          if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
            out.push(buf.subarray(i, i + 2));
            i += 2;
            break;
          }
          if (buf.length - i < 4) break scanning;
          const length = buf.readUInt16BE(i + 2);
          if (length < 2) throw unreadable();
          const peek = Math.min(length - 2, IDENTIFIER_BYTES);
          if (buf.length - i < 4 + peek) break scanning;
          this.keeping = keepSegment(marker, buf.subarray(i + 4, i + 4 + peek));
          if (this.keeping) out.push(buf.subarray(i, i + 4));
          i += 4;
          this.remaining = length - 2;
          this.afterSegment = marker === 0xda ? 'scan' : 'marker';
          this.state = this.remaining > 0 ? 'segment' : this.afterSegment;
          break;
        }
        case 'segment': {
          const n = Math.min(this.remaining, buf.length - i);
          if (this.keeping) out.push(buf.subarray(i, i + n));
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = this.afterSegment;
          break;
        }
        case 'scan': {
          // Inside compressed data a 0xFF is followed by 0x00 (stuffing) or a restart marker;
          // anything else is the next segment (a progressive JPEG's tables) or the end of the image.
          // The data is copied as one slice up to there, not a slice per 0xFF.
          let ff = buf.indexOf(0xff, i);
          while (ff >= 0 && ff + 1 < buf.length && (buf[ff + 1] === 0x00 || (buf[ff + 1]! >= 0xd0 && buf[ff + 1]! <= 0xd7))) ff = buf.indexOf(0xff, ff + 2);
          if (ff < 0) {
            out.push(buf.subarray(i));
            i = buf.length;
            break;
          }
          out.push(buf.subarray(i, ff));
          i = ff;
          if (ff + 1 >= buf.length) break scanning;
          this.state = 'marker';
          break;
        }
        case 'done':
          i = buf.length;
          break;
      }
    }
    // Copied, so a few leftover bytes do not keep a whole chunk alive.
    this.pending = Buffer.from(buf.subarray(i));
    if (out.length > 0) this.push(Buffer.concat(out));
  }
}

function keepSegment(marker: number, head: Buffer): boolean {
  if (marker === 0xfe) return false; // comment
  if (marker < 0xe0 || marker > 0xef) return true; // tables, frames, scans: the image itself
  const id = head.toString('latin1');
  if (marker === 0xe0) return id.startsWith('JFIF\0');
  if (marker === 0xe2) return id.startsWith('ICC_PROFILE\0');
  if (marker === 0xee) return id.startsWith('Adobe');
  return false;
}

function app1Orientation(orientation: number): Buffer {
  const tiff = orientationExif(orientation);
  const header = Buffer.alloc(4 + 6);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(2 + 6 + tiff.length, 2);
  header.write('Exif\0\0', 4, 'latin1');
  return Buffer.concat([header, tiff]);
}

/** The decoder read the picture, yet its segments do not add up: refused rather than served with unknown contents. */
function unreadable(): AppError {
  return new AppError('IMAGE_UNREADABLE', undefined, { detected: 'image/jpeg' });
}
