/** Room export over HTTP: the NDJSON of domain/room-export.ts written while the reader takes it. */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, RoomExportLine, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { openRoomExport } from '../../domain/room-export.ts';
import { bearerSecurity } from './auth.ts';

export function roomExportRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/export',
      {
        schema: {
          tags: ['rooms'],
          summary: "Owner and admins: download the room's history, members and announcements as NDJSON",
          description:
            'One JSON object a line (`application/x-ndjson`), streamed: first `{ type: "export", format: "quanzi.room-export", version: 1, … }`, ' +
            'then `room`, `member` lines, `announcement` lines, `message` lines in seq order (a recalled message is a tombstone without text; ' +
            'held and blocked messages never appear), and last `{ type: "end", messages, … }`: a file without that line was cut short. ' +
            'Each export is written to the audit log.',
          security: bearerSecurity,
          params: RoomParams,
          response: {
            200: { description: 'NDJSON: one RoomExportLine a line', content: { 'application/x-ndjson': { schema: RoomExportLine } } },
            '4xx': ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        const exported = await openRoomExport(deps, principal, request.params.roomId);
        const date = exported.startedAt.toISOString().slice(0, 10);
        // Readable.from pulls the next chunk only when the socket has taken the previous ones,
        // and stops the generator (and its reads) if the download is abandoned.
        return reply
          .type('application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="quanzi-${exported.roomId}-${date}.ndjson"`)
          .header('cache-control', 'no-store')
          // The 200 schema describes one line for the documentation; the body is the stream of them.
          .send(Readable.from(exported.chunks, { objectMode: false }) as never);
      },
    );
  };
}
