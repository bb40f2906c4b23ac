/**
 * What a photo's EXIF may say to the room and what it must not. A critique needs the camera line
 * (body, lens, focal length, aperture, shutter, ISO, when); nobody in the room needs where it was
 * taken (often a member's home) or the serial numbers that tie the photo to one device. So the
 * line is read out into `attachment.exif` and the EXIF itself never leaves the server, except
 * the one tag a viewer needs to show the photo the right way up (`orientationExif`).
 */
import exifReader from 'exif-reader';
import type { AttachmentExif } from '../../shared/schemas.ts';

/** Longest text kept from a tag: a model name, not whatever a tool stuffed in there. */
const MAX_TEXT = 80;

/** The camera line of a raw EXIF block (as sharp hands it over), or null when it says nothing of it. */
export function cameraLine(raw: Buffer | undefined): AttachmentExif | null {
  if (!raw || raw.length === 0) return null;
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(raw);
  } catch {
    // A damaged EXIF block only costs the camera line; the picture itself is judged by its pixels.
    return null;
  }
  const image = tags.Image ?? {};
  const photo = tags.Photo ?? {};
  const line: AttachmentExif = {};
  const camera = cameraName(text(image.Make), text(image.Model));
  if (camera) line.camera = camera;
  const lens = text(photo.LensModel) ?? cameraName(text(photo.LensMake), null);
  if (lens) line.lens = lens;
  const focal = positive(photo.FocalLength);
  if (focal !== null) line.focalLengthMm = Math.round(focal * 10) / 10;
  const aperture = positive(photo.FNumber);
  if (aperture !== null) line.aperture = Math.round(aperture * 10) / 10;
  const exposure = positive(photo.ExposureTime);
  if (exposure !== null) line.shutter = shutterOf(exposure);
  const iso = positive(Array.isArray(photo.ISOSpeedRatings) ? photo.ISOSpeedRatings[0] : (photo.ISOSpeedRatings ?? photo.PhotographicSensitivity));
  if (iso !== null) line.iso = Math.round(iso);
  const takenAt = takenAtOf(photo.DateTimeOriginal ?? image.DateTime, text(photo.OffsetTimeOriginal));
  if (takenAt) line.takenAt = takenAt;
  return Object.keys(line).length > 0 ? line : null;
}

/**
 * The smallest EXIF block that carries only an orientation: a big-endian TIFF header and one
 * IFD with one entry. Put back into a stripped JPEG or PNG, it keeps a portrait photo upright
 * without re-encoding (and so without losing quality).
 */
export function orientationExif(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  return tiff;
}

function cameraName(make: string | null, model: string | null): string | null {
  if (!model) return make;
  // Most bodies repeat the maker in the model ("Canon" + "Canon EOS R5"); say it once.
  if (!make || model.toLowerCase().startsWith(make.toLowerCase().split(/\s+/)[0]!)) return model;
  return `${make} ${model}`;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_TEXT);
  return clean === '' ? null : clean;
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** "1/250" under a second, as photographers write it; "2.5" or "30" for long exposures. */
function shutterOf(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds * 10) / 10}`;
  return `1/${Math.round(1 / seconds)}`;
}

/**
 * EXIF dates are the camera's wall-clock time with no zone; the reader hands them over as if
 * they were UTC. Kept as that wall-clock time, with the offset when the camera recorded one.
 */
function takenAtOf(value: unknown, offset: string | null): string | null {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return null;
  const wallClock = value.toISOString().slice(0, 19);
  return offset && /^[+-]\d\d:\d\d$/.test(offset) ? `${wallClock}${offset}` : wallClock;
}
