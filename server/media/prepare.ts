/**
 * From a staged upload to what is kept: the one call the upload path makes into the media work.
 * For a picture that is the stripped bytes, the thumbnail and the web rendition (server/media/
 * images.ts); for a video or a sound, its measurements (server/media/probe.ts); for any other
 * file, the upload as it is. Nothing is kept until `commit`, so a refusal after this step (a
 * quota, a review) leaves nothing behind.
 */
import type { AttachmentExif } from '../../shared/schemas.ts';
import { processImage, type ImageOptions, type Rendition } from './images.ts';
import { probeMedia } from './probe.ts';
import type { AttachmentKind } from './sniff.ts';
import type { MediaStorage, StagedUpload } from './storage.ts';

/** What the attachment row records beyond name and status; named as its columns are. */
export interface MediaFields {
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  originalSha256: string | null;
  original: boolean;
  thumbSha256: string | null;
  thumbSize: number | null;
  thumbMime: string | null;
  thumbWidth: number | null;
  thumbHeight: number | null;
  displaySha256: string | null;
  displaySize: number | null;
  displayMime: string | null;
  displayWidth: number | null;
  displayHeight: number | null;
  thumbhash: string | null;
  exif: AttachmentExif | null;
}

export interface PreparedUpload {
  /** Of the bytes that will be served, which are not always the upload's. */
  sha256: string;
  size: number;
  mime: string;
  fields: MediaFields;
  /** Keeps the served bytes and every derived file. */
  commit(): Promise<void>;
  /** Forgets what `commit` did not keep (the upload itself is the caller's). Safe twice. */
  discard(): Promise<void>;
}

export type PrepareOptions = ImageOptions;

const NO_MEDIA: MediaFields = {
  width: null,
  height: null,
  durationSeconds: null,
  originalSha256: null,
  original: false,
  thumbSha256: null,
  thumbSize: null,
  thumbMime: null,
  thumbWidth: null,
  thumbHeight: null,
  displaySha256: null,
  displaySize: null,
  displayMime: null,
  displayWidth: null,
  displayHeight: null,
  thumbhash: null,
  exif: null,
};

export async function prepareUpload(storage: MediaStorage, upload: StagedUpload, kind: AttachmentKind, mime: string, options: PrepareOptions): Promise<PreparedUpload> {
  if (kind === 'image') {
    const image = await processImage(storage, upload, mime, options);
    const served = image.served?.file ?? upload;
    const files = [served, image.thumb.file, ...(image.display ? [image.display.file] : [])];
    return {
      sha256: served.sha256,
      size: served.size,
      mime: image.served?.mime ?? mime,
      fields: {
        ...NO_MEDIA,
        width: image.width,
        height: image.height,
        originalSha256: upload.sha256,
        original: image.served === null,
        ...renditionFields('thumb', image.thumb),
        ...(image.display ? renditionFields('display', image.display) : {}),
        thumbhash: image.thumbhash,
        exif: image.exif,
      },
      commit: async () => {
        for (const file of files) await file.commit();
      },
      discard: async () => {
        await Promise.all(files.filter((file) => file !== upload).map((file) => file.discard()));
      },
    };
  }
  const probed = kind === 'video' || kind === 'audio' ? await probeMedia(upload, mime) : null;
  return {
    sha256: upload.sha256,
    size: upload.size,
    mime,
    fields: { ...NO_MEDIA, ...(probed ?? {}) },
    commit: async () => {
      await upload.commit();
    },
    discard: async () => {},
  };
}

/** The picture types a video's poster may be: what every browser captures a frame as. */
export const POSTER_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);

/**
 * A video with the poster its uploader's client captured (its first frame, as Telegram's clients
 * send a video's thumbnail): the poster is made into the video's thumbnail and ThumbHash, like a
 * photo's, and nothing else of it is kept. The server never decodes a video's frames itself (see
 * docs/protocol.md, "Videos"). `poster` is staged and known to be a picture of type `mime`.
 */
export async function withPoster(storage: MediaStorage, video: PreparedUpload, poster: StagedUpload, mime: string, options: PrepareOptions): Promise<PreparedUpload> {
  const image = await processImage(storage, poster, mime, { ...options, keepOriginal: false });
  const unused = [image.served?.file, image.display?.file].filter((file): file is StagedUpload => file !== undefined);
  await Promise.all(unused.map((file) => file.discard()));
  return {
    ...video,
    fields: { ...video.fields, ...renditionFields('thumb', image.thumb), thumbhash: image.thumbhash },
    commit: async () => {
      await video.commit();
      await image.thumb.file.commit();
    },
    discard: async () => {
      await video.discard();
      await image.thumb.file.discard();
    },
  };
}

function renditionFields(prefix: 'thumb' | 'display', rendition: Rendition): Partial<MediaFields> {
  return {
    [`${prefix}Sha256`]: rendition.file.sha256,
    [`${prefix}Size`]: rendition.file.size,
    [`${prefix}Mime`]: rendition.mime,
    [`${prefix}Width`]: rendition.width,
    [`${prefix}Height`]: rendition.height,
  };
}
