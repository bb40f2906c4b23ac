/**
 * How long a video or a sound lasts and how large a video is shown, read from the container's
 * headers (never by decoding a frame): MP4 and QuickTime from their `moov` box, read here with a
 * few positioned reads; WebM, Matroska and the audio formats by `music-metadata`, which also
 * reads only the parts it needs. A file whose headers say nothing usable is kept without them:
 * the measurements are for laying out the player, not a judgement of the file.
 *
 * No poster frame is made for videos: that needs a video decoder, and the only one an npm
 * package ships (a static ffmpeg build of December 2018) would run untrusted files through years of
 * unpatched demuxers. docs/protocol.md says so; clients show the player with its first frame.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { parseFile } from 'music-metadata';
import type { StagedUpload } from './storage.ts';

export interface Probed {
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
}

const ISO_BMFF: ReadonlySet<string> = new Set(['video/mp4', 'video/quicktime', 'video/x-m4v']);
/** A moov box holds sample tables; a few megabytes cover hours of video. Larger: not read. */
const MAX_MOOV_BYTES = 32 * 1024 * 1024;

export async function probeMedia(upload: StagedUpload, mime: string): Promise<Probed | null> {
  try {
    if (ISO_BMFF.has(mime)) return await probeIsoBmff(upload.path);
    const { format } = await parseFile(upload.path, { skipCovers: true, duration: false });
    const video = format.trackInfo?.find((track) => track.video)?.video;
    return {
      width: positiveInt(video?.displayWidth ?? video?.pixelWidth),
      height: positiveInt(video?.displayHeight ?? video?.pixelHeight),
      durationSeconds: duration(format.duration),
    };
  } catch {
    return null;
  }
}

async function probeIsoBmff(path: string): Promise<Probed | null> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const moov = await findBox(file, 0, size, 'moov');
    if (!moov || moov.size > MAX_MOOV_BYTES) return null;
    const body = Buffer.alloc(moov.size);
    await file.read(body, 0, moov.size, moov.start);
    return readMoov(body);
  } finally {
    await file.close();
  }
}

interface Box {
  type: string;
  /** Offset and size of the payload, after the header. */
  start: number;
  size: number;
}

async function findBox(file: FileHandle, from: number, to: number, type: string): Promise<Box | null> {
  const header = Buffer.alloc(16);
  let offset = from;
  while (offset + 8 <= to) {
    const { bytesRead } = await file.read(header, 0, 16, offset);
    if (bytesRead < 8) return null;
    const box = boxAt(header, 0, to - offset, bytesRead);
    if (!box) return null;
    if (box.type === type) return { type, start: offset + box.start, size: box.size };
    offset += box.start + box.size;
  }
  return null;
}

/** The box whose header starts at `at` in `buf`, with offsets relative to `at`; null when malformed. */
function boxAt(buf: Buffer, at: number, room: number, available = buf.length - at): Box | null {
  if (available < 8) return null;
  let size = buf.readUInt32BE(at);
  const type = buf.toString('latin1', at + 4, at + 8);
  let headerSize = 8;
  if (size === 1) {
    if (available < 16) return null;
    size = Number(buf.readBigUInt64BE(at + 8));
    headerSize = 16;
  } else if (size === 0) {
    size = room; // to the end of the file (or of the parent)
  }
  if (size < headerSize || size > room) return null;
  return { type, start: headerSize, size: size - headerSize };
}

function children(buf: Buffer, start: number, end: number): Array<{ type: string; start: number; end: number }> {
  const out: Array<{ type: string; start: number; end: number }> = [];
  let at = start;
  while (at + 8 <= end) {
    const box = boxAt(buf, at, end - at);
    if (!box) break;
    out.push({ type: box.type, start: at + box.start, end: at + box.start + box.size });
    at += box.start + box.size;
  }
  return out;
}

function readMoov(moov: Buffer): Probed {
  let durationSeconds: number | null = null;
  let width: number | null = null;
  let height: number | null = null;
  for (const box of children(moov, 0, moov.length)) {
    if (box.type === 'mvhd' && box.end - box.start >= 32) {
      const version = moov[box.start]!;
      const timescale = moov.readUInt32BE(box.start + (version === 1 ? 20 : 12));
      const length = version === 1 ? Number(moov.readBigUInt64BE(box.start + 24)) : moov.readUInt32BE(box.start + 16);
      if (timescale > 0) durationSeconds = duration(length / timescale);
    }
    if (box.type === 'trak' && width === null) {
      const parts = children(moov, box.start, box.end);
      const tkhd = parts.find((p) => p.type === 'tkhd');
      const mdia = parts.find((p) => p.type === 'mdia');
      const hdlr = mdia && children(moov, mdia.start, mdia.end).find((p) => p.type === 'hdlr');
      if (!tkhd || !hdlr || moov.toString('latin1', hdlr.start + 8, hdlr.start + 12) !== 'vide') continue;
      const base = tkhd.start + (moov[tkhd.start] === 1 ? 52 : 40);
      if (base + 44 > tkhd.end) continue;
      // A phone's portrait video is stored landscape with a 90° matrix: report it as shown.
      const turned = moov.readInt32BE(base) === 0 && moov.readInt32BE(base + 16) === 0;
      const w = positiveInt(moov.readUInt32BE(base + 36) / 65536);
      const h = positiveInt(moov.readUInt32BE(base + 40) / 65536);
      width = turned ? h : w;
      height = turned ? w : h;
    }
  }
  return { width, height, durationSeconds };
}

function positiveInt(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.round(value) : null;
}

function duration(seconds: number | undefined): number | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) / 1000 : null;
}
