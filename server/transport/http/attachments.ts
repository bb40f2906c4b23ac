/**
 * Attachments over HTTP: the multipart upload and the bytes. The upload is parsed here, as a
 * stream (never buffered, never under the app's 64 KiB JSON body limit); the bytes are served
 * so that they can never act as a page of this origin: their type comes from their content,
 * the browser is told not to guess another (nosniff), anything but a plain picture, video or
 * sound is a download, and a sandboxing CSP covers whatever a browser renders anyway.
 */
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AttachmentParams, AttachmentResponse, ErrorResponse, RoomParams } from '../../../shared/schemas.ts';
import { POSTER_MAX_BYTES, readAttachment, uploadAttachment, type Rendition } from '../../domain/attachments.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { AppError } from '../../errors.ts';
import type { InFlight } from '../../in-flight.ts';
import { isInlineMime } from '../../media/sniff.ts';
import type { ByteRange } from '../../media/storage.ts';
import { compileForHttpPart } from '../validation.ts';
import { bearerOrBotSecurity, mediaSecurity } from './auth.ts';

/** Streams are sent as they are; these only describe the answers in the OpenAPI document. */
const FileBytes = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The bytes (all of them, or the requested range)' });
const NotModified = Type.Unsafe<unknown>({ description: 'The If-None-Match ETag still matches' });

const UploadForm = Type.Object(
  {
    poster: Type.Optional(
      Type.Unsafe<unknown>({
        type: 'string',
        format: 'binary',
        description: "With a video only, and before the file part: a JPEG, PNG or WebP of its first frame (at most 2 MiB), made into the video's thumbnail after passing a photo's safety checks",
      }),
    ),
    file: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file; its name is kept for display' }),
  },
  { required: ['file'] },
);

/** A poster is small: read into memory, but never past its limit (then VALIDATION_FAILED, field poster). */
async function readPoster(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > POSTER_MAX_BYTES) {
      stream.resume();
      throw new AppError('VALIDATION_FAILED', `A poster may have at most ${POSTER_MAX_BYTES} bytes`, { field: 'poster', maxBytes: POSTER_MAX_BYTES });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const SANDBOX_CSP = "default-src 'none'; sandbox";

export function attachmentRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Registered inside this plugin, so only these routes accept multipart bodies.
    await app.register(multipart, {
      // One byte over the limit is how an oversized file is told from one exactly at it.
      limits: { fileSize: deps.config.attachmentMaxBytes + 1, files: 2, fields: 10, fieldSize: 1024, parts: 12 },
      throwFileSizeLimit: false,
      // The file stream buffers up to 256 KiB before the parser pauses (the 16 KiB default pauses
      // and resumes it on every 64 KiB socket read); 20 uploads at once still hold only 5 MiB.
      fileHwm: 256 * 1024,
    });

    app.post(
      '/v1/rooms/:roomId/attachments',
      {
        schema: {
          tags: ['attachments'],
          summary: 'Upload a photo, video, audio or other file to a room (multipart/form-data, one part named "file")',
          description:
            'Members only; MUTED and MUTE_ALL_ACTIVE apply as for a message. The type is detected from the content. Safety runs before the file is kept: ' +
            "programs, apps, scripts, installers, macro documents and password-protected archives are held or refused per the room's policy " +
            '(415 ATTACHMENT_TYPE_REFUSED with details.detected; archive bombs always), the name and QR codes in pictures go through the text rules ' +
            '(held with reasons such as QR_CODE_LINK, or 422 BLOCKED_BY_SAFETY), the same picture across rooms is held (IMAGE_REPEATED_ACROSS_ROOMS). ' +
            "Over ATTACHMENT_MAX_BYTES: 413 ATTACHMENT_TOO_LARGE (details.maxBytes); over the room's or the uploader's quota: 413 STORAGE_QUOTA_EXCEEDED. " +
            "A new member's photos and videos are kept with status held. See docs/protocol.md.",
          consumes: ['multipart/form-data'],
          security: bearerOrBotSecurity,
          params: RoomParams,
          body: UploadForm,
          response: { 201: AttachmentResponse, '4xx': ErrorResponse },
        },
        // A bot's token needs the attachments:write scope (checked in the domain).
        config: { allowBots: true },
        // The body is a stream the handler reads itself; its schema only describes the form.
        validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : compileForHttpPart(route)),
      },
      async (request, reply) => {
        const principal = request.principal;
        const attachment = await inFlight.run(() =>
          uploadAttachment(deps, principal, request.params.roomId, async () => {
            if (!request.isMultipart()) return null;
            let poster: Buffer | null = null;
            for await (const part of request.parts()) {
              if (part.type !== 'file') continue;
              if (part.fieldname === 'poster' && poster === null) {
                poster = await readPoster(part.file);
                continue;
              }
              if (part.fieldname !== 'file') {
                part.file.resume();
                return null;
              }
              // The file is streamed by the caller: the parts after it are never read.
              return { name: part.filename, bytes: part.file, truncated: () => part.file.truncated, poster };
            }
            return null;
          }),
        );
        return reply.status(201).send({ attachment });
      },
    );

    app.get(
      '/v1/attachments/:id',
      {
        // A browser page's <img> and <video> have no Authorization header: see auth.ts.
        config: { mediaCookie: true },
        schema: {
          tags: ['attachments'],
          summary: "An attachment's bytes (members of its room only; anyone else gets 404 ATTACHMENT_NOT_FOUND)",
          description:
            'Content-Type is the detected type; pictures, videos and sounds are inline, everything else (HTML, SVG, PDF, text…) is ' +
            'Content-Disposition: attachment. Supports Range (206, 416) and If-None-Match against the ETag (the sha256). A photo is served ' +
            "with its location and other metadata removed unless the room keeps originals (attachment.original). A browser page of this " +
            'site may use the media cookie (POST /v1/media-session) instead of the bearer token; from another site that is 403 CROSS_SITE_REFUSED.',
          security: mediaSecurity,
          params: AttachmentParams,
          response: { 200: FileBytes, 206: FileBytes, 304: NotModified, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => serveRendition(request, reply, request.params.id, 'bytes'),
    );

    app.get(
      '/v1/attachments/:id/thumb',
      {
        config: { mediaCookie: true },
        schema: {
          tags: ['attachments'],
          summary: 'A thumbnail of a picture (WebP, long edge at most 400; members of its room only)',
          description: 'Present when attachment.thumb is; otherwise 404 ATTACHMENT_NOT_FOUND. The same rules as the bytes: ETag (its sha256), If-None-Match, Range.',
          security: mediaSecurity,
          params: AttachmentParams,
          response: { 200: FileBytes, 206: FileBytes, 304: NotModified, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => serveRendition(request, reply, request.params.id, 'thumb'),
    );

    app.get(
      '/v1/attachments/:id/display',
      {
        config: { mediaCookie: true },
        schema: {
          tags: ['attachments'],
          summary: 'A picture sized for the web (long edge at most 2048; members of its room only)',
          description:
            'The web rendition when attachment.display is present (JPEG, or WebP for pictures with transparency), otherwise the bytes themselves. ' +
            'Pictures only (404 ATTACHMENT_NOT_FOUND for other kinds). ETag is the sha256 of what is sent.',
          security: mediaSecurity,
          params: AttachmentParams,
          response: { 200: FileBytes, 206: FileBytes, 304: NotModified, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => serveRendition(request, reply, request.params.id, 'display'),
    );

    /** The one way any stored bytes of an attachment leave the server. */
    async function serveRendition(request: FastifyRequest, reply: FastifyReply, id: string, rendition: Rendition): Promise<FastifyReply> {
      const principal = request.principal;
      const { attachment, file, open } = await readAttachment(deps, principal, id.toLowerCase(), rendition);
      const etag = `"${file.sha256}"`;
      reply
        .header('etag', etag)
        .header('accept-ranges', 'bytes')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', SANDBOX_CSP)
        // The bytes under an id never change, but who may see them does (a recall, a member who
        // left): the browser keeps its copy yet asks each time, and gets a 304 only while allowed.
        .header('cache-control', 'private, no-cache');
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.status(304).send();

      const ifRange = request.headers['if-range'];
      const range = ifRange === undefined || ifRange === etag ? parseRange(request.headers.range, file.size) : null;
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${file.size}`);
        throw new AppError('RANGE_NOT_SATISFIABLE', undefined, { size: file.size });
      }
      describeBytes(reply, attachment.name, file.mime);
      if (range) {
        reply
          .status(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${file.size}`)
          .header('content-length', range.end - range.start + 1);
        return reply.send(await open(range));
      }
      reply.header('content-length', file.size);
      // HEAD answers from the row: opening the bytes would fetch a whole object from S3 only to drop
      // it. An empty stream, as Fastify keeps the Content-Length of a HEAD answered with a stream.
      if (request.method === 'HEAD') return reply.send(Readable.from([]));
      return reply.send(await open());
    }
  };
}

function describeBytes(reply: FastifyReply, name: string, mime: string): void {
  const inline = isInlineMime(mime);
  reply.header('content-type', mime === 'text/plain' ? 'text/plain; charset=utf-8' : mime);
  reply.header('content-disposition', `${inline ? 'inline' : 'attachment'}; ${filenameParameters(name)}`);
}

/** RFC 6266: a plain ASCII fallback for old clients, the exact name in UTF-8 for the rest. */
function filenameParameters(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/**
 * One range of `bytes=start-end`, `bytes=start-` or `bytes=-suffix`. Several ranges, or a header
 * that is not a byte range at all, are ignored (the whole file is an allowed answer to both).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
