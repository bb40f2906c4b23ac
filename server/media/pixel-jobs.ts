/**
 * What the gateway asks of the pixel worker process (pixel-worker.ts) and what it answers: the
 * rendering of a picture (pixels.ts) and the safety scan of one (image-scan.ts). Apart from both
 * ends, so the work they describe imports only this, never the process that runs it.
 */
import type { AttachmentExif } from '../../shared/schemas.ts';
import type { ImageScan } from './image-scan.ts';

export interface PixelJob {
  path: string;
  mime: string;
  maxPixels: number;
  /** Write the picture anew (no metadata) to `${path}.served`: formats without a lossless strip. */
  reencode: boolean;
}

export interface PixelFile {
  path: string;
  mime: string;
  width: number;
  height: number;
}

export type PixelResult =
  | {
      ok: true;
      width: number;
      height: number;
      orientation: number;
      exif: AttachmentExif | null;
      thumbhash: string;
      thumb: PixelFile;
      display: PixelFile | null;
      served: { path: string; mime: string } | null;
    }
  | { ok: false; code: 'IMAGE_TOO_LARGE' | 'IMAGE_UNREADABLE'; message?: string; details: Record<string, unknown> };

/** A job as sent to the child: which work, and its input. */
export type WorkerJob = ({ op: 'render' } & PixelJob) | { op: 'scan'; path: string };

/** What each kind of job answers. */
export interface WorkerAnswers {
  render: PixelResult;
  scan: ImageScan | null;
}
