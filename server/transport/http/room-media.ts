/** The room's album (群相册) and files (群文件) over HTTP: pages of what members have sent. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlbumQuery, ErrorResponse, FilesQuery, RoomMediaPage, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { readAlbum, readFiles } from '../../domain/room-media.ts';
import { bearerSecurity } from './auth.ts';

const PAGING =
  'Newest message first; the attachments of one message are adjacent. Page back with `before` = the previous page\'s `nextBefore` ' +
  '(null on the last page). Recalled messages, messages hidden by reports and attachments not ready are left out. Members only: ' +
  'NOT_A_MEMBER, ROOM_NOT_FOUND. See docs/protocol.md, "Album and files".';

export function roomMediaRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/album',
      {
        schema: {
          tags: ['attachments'],
          summary: "The room's album (群相册): the photos and videos members have sent",
          description: PAGING,
          security: bearerSecurity,
          params: RoomParams,
          querystring: AlbumQuery,
          response: { 200: RoomMediaPage, '4xx': ErrorResponse },
        },
      },
      async (request) => readAlbum(deps, request.principal, request.params.roomId, request.query),
    );

    app.get(
      '/v1/rooms/:roomId/files',
      {
        schema: {
          tags: ['attachments'],
          summary: "The room's files (群文件): sound and other files members have sent; `q` finds them by name",
          description: `${PAGING} \`q\` matches any part of the file name in any case; % and _ in it are plain characters.`,
          security: bearerSecurity,
          params: RoomParams,
          querystring: FilesQuery,
          response: { 200: RoomMediaPage, '4xx': ErrorResponse },
        },
      },
      async (request) => readFiles(deps, request.principal, request.params.roomId, request.query),
    );
  };
}
