/**
 * Attachments on the wire (docs/protocol.md, "Attachments"): what a photo, video or file looks
 * like to clients, and the ids a message (or a photo check-in) names to carry uploads. Its own
 * module, below both schemas.ts and community.ts, so that each may use it.
 */
import { Type, type Static } from 'typebox';
import { Id } from './primitives.ts';

/** Like a WeChat post: up to nine photos or files in one message. */
export const MAX_ATTACHMENTS = 9;

export const AttachmentExif = Type.Object(
  {
    camera: Type.Optional(Type.String({ description: 'Maker and model, e.g. "FUJIFILM X-T5"' })),
    lens: Type.Optional(Type.String()),
    focalLengthMm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    aperture: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'The f-number: 2.8 for f/2.8' })),
    shutter: Type.Optional(Type.String({ description: 'Exposure time as photographers write it: "1/250", or seconds ("2.5")' })),
    iso: Type.Optional(Type.Integer({ minimum: 1 })),
    takenAt: Type.Optional(Type.String({ description: "The camera's wall-clock time, ISO 8601 without zone (with the offset when the camera recorded one)" })),
  },
  { additionalProperties: false, description: 'The camera line kept from a photo\'s EXIF; location and serial numbers are never kept' },
);
export type AttachmentExif = Static<typeof AttachmentExif>;

const renditionSize = (description: string) =>
  Type.Object({ width: Type.Integer({ minimum: 1 }), height: Type.Integer({ minimum: 1 }) }, { additionalProperties: false, description });

export const Attachment = Type.Object(
  {
    id: Id,
    roomId: Id,
    kind: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('file')], {
      description: 'From the detected content type: image, video and audio are shown inline; everything else is a file to download',
    }),
    name: Type.String({ description: 'The file name the uploader gave (display only; the type never comes from it)' }),
    mime: Type.String({ description: 'Detected from the content (magic numbers), never from the name or the upload headers' }),
    size: Type.Integer({ minimum: 0, description: 'Of the bytes served by GET /v1/attachments/{id} (for a photo: after its metadata was removed)' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Of the bytes served by GET /v1/attachments/{id}; also its ETag' }),
    width: Type.Optional(Type.Integer({ minimum: 1, description: 'As shown: after the EXIF orientation is applied' })),
    height: Type.Optional(Type.Integer({ minimum: 1 })),
    durationSeconds: Type.Optional(Type.Number({ minimum: 0 })),
    thumbhash: Type.Optional(Type.String({ description: 'Base64 ThumbHash of the picture (or video poster): a placeholder to draw before the thumbnail loads' })),
    exif: Type.Optional(AttachmentExif),
    thumb: Type.Optional(renditionSize('Present when GET /v1/attachments/{id}/thumb has a thumbnail (WebP, long edge at most 400)')),
    display: Type.Optional(renditionSize('Present when GET /v1/attachments/{id}/display has a web rendition (long edge at most 2048); otherwise that route serves the bytes')),
    original: Type.Optional(Type.Literal(true, { description: 'The bytes are the untouched upload, metadata included: the room keeps originals (keepImageOriginals)' })),
    status: Type.Union([Type.Literal('ready'), Type.Literal('held'), Type.Literal('blocked')], {
      description: 'ready: anyone in the room may fetch it; held: waiting for review (only the uploader sees it); blocked: refused by review',
    }),
    reasons: Type.Optional(Type.Array(Type.String(), { description: 'Why it is held or blocked (safety reason codes, e.g. PROBATION_IMAGE)' })),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Attachment = Static<typeof Attachment>;

export const AttachmentIds = Type.Array(Id, {
  minItems: 1,
  maxItems: MAX_ATTACHMENTS,
  uniqueItems: true,
  description: 'Uploads (POST /v1/rooms/{roomId}/attachments) to send with the message: your own, in this room, ready and not yet sent',
});
