/**
 * What the web client needs to show an attachment: its URLs (plain paths: the media cookie set
 * after sign-in lets `<img>` and `<video>` load them), its placeholder, its size and camera line
 * as text. Pure functions; the components in components/attachments.tsx draw them.
 */
import { thumbHashToDataURL } from 'thumbhash';
import type { Attachment, Message } from '../../../../shared/schemas.ts';

/**
 * An attachment with the fields the image work adds (docs/protocol.md, "Attachments"). All
 * optional: a server without them still shows the picture itself.
 */
export type AttachmentView = Attachment & {
  thumbhash?: string;
  exif?: { camera?: string; lens?: string; focalLengthMm?: number; aperture?: number; shutter?: string; iso?: number; takenAt?: string };
  thumb?: { width: number; height: number };
  display?: { width: number; height: number };
  original?: true;
};

/** The most attachments one message carries (like a WeChat post of nine photos). */
export const MAX_ATTACHMENTS = 9;

/** A message's attachments; [] for one without (or from a server that does not send them yet). */
export function attachmentsOf(message: Pick<Message, 'recalledAt'>): AttachmentView[] {
  if (message.recalledAt) return [];
  return (message as { attachments?: AttachmentView[] }).attachments ?? [];
}

export const bytesUrl = (a: Pick<Attachment, 'id'>) => `/v1/attachments/${encodeURIComponent(a.id)}`;
/** The small picture for the timeline and the album; the picture itself when there is none. */
export const thumbUrl = (a: AttachmentView) => (a.thumb ? `${bytesUrl(a)}/thumb` : bytesUrl(a));
/** The picture for the lightbox: the web rendition of a large photo, else the bytes. */
export const displayUrl = (a: AttachmentView) => (a.display ? `${bytesUrl(a)}/display` : bytesUrl(a));

/** Inline types the browser plays (server/media/sniff.ts decides what is served inline). */
export const isPicture = (a: AttachmentView) => a.kind === 'image';
export const isPlayable = (a: AttachmentView) => a.kind === 'video' || a.kind === 'audio';

const placeholders = new Map<string, string>();

/** The ThumbHash drawn as a tiny PNG data URL, remembered per hash; null when absent or malformed. */
export function placeholderOf(a: AttachmentView): string | null {
  if (!a.thumbhash) return null;
  let url = placeholders.get(a.thumbhash);
  if (url === undefined) {
    try {
      url = thumbHashToDataURL(Uint8Array.from(atob(a.thumbhash), (c) => c.charCodeAt(0)));
    } catch {
      url = '';
    }
    placeholders.set(a.thumbhash, url);
  }
  return url || null;
}

/** Width and height to reserve, so the timeline does not jump when the picture arrives. */
export function shapeOf(a: AttachmentView): { width: number; height: number } | null {
  const size = a.width && a.height ? { width: a.width, height: a.height } : (a.thumb ?? a.display ?? null);
  return size;
}

/** 1.2 MB, 340 KB, 12 B: decimal units, as file managers on phones show them. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  // 999.6 KB reads as 1 MB, not "1,000 KB".
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** 0:07, 1:02:03 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** The camera line a critique needs: "X-T5 · XF 35mm F1.4 · 35 mm · f/1.4 · 1/250 s · ISO 200". */
export function exifLine(a: AttachmentView): string | null {
  const e = a.exif;
  if (!e) return null;
  const parts = [
    e.camera,
    e.lens,
    e.focalLengthMm !== undefined ? `${trimNumber(e.focalLengthMm)} mm` : undefined,
    e.aperture !== undefined ? `f/${trimNumber(e.aperture)}` : undefined,
    e.shutter !== undefined ? `${e.shutter} s` : undefined,
    e.iso !== undefined ? `ISO ${e.iso}` : undefined,
  ].filter((part): part is string => Boolean(part && part.trim()));
  return parts.length > 0 ? parts.join(' · ') : null;
}

const trimNumber = (n: number) => String(Math.round(n * 10) / 10);

/** A short type label and a colour family for a file card, from the detected type and then the name. */
export function fileTypeOf(a: Pick<Attachment, 'mime' | 'name' | 'kind'>): { tone: 'media' | 'pdf' | 'archive' | 'sheet' | 'slides' | 'doc' | 'text' | 'other'; label: string } {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(a.name)?.[1]?.toUpperCase() ?? '';
  const mime = a.mime;
  if (a.kind !== 'file') return { tone: 'media', label: ext || a.kind.toUpperCase() };
  if (mime === 'application/pdf') return { tone: 'pdf', label: 'PDF' };
  if (/zip|x-7z|x-rar|x-tar|gzip|x-bzip2|x-xz/.test(mime)) return { tone: 'archive', label: ext || 'ZIP' };
  if (/spreadsheet|ms-excel|csv/.test(mime) || ['XLSX', 'XLS', 'CSV', 'ODS'].includes(ext)) return { tone: 'sheet', label: ext || 'XLS' };
  if (/presentation|powerpoint/.test(mime) || ['PPTX', 'PPT', 'KEY', 'ODP'].includes(ext)) return { tone: 'slides', label: ext || 'PPT' };
  if (/wordprocessing|msword|opendocument\.text|rtf/.test(mime) || ['DOCX', 'DOC', 'ODT', 'RTF'].includes(ext)) return { tone: 'doc', label: ext || 'DOC' };
  if (mime.startsWith('text/')) return { tone: 'text', label: ext || 'TXT' };
  return { tone: 'other', label: ext || 'FILE' };
}
