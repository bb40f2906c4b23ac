/** Look before joining: a public room's newest messages, read-only, for someone deciding whether to join. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, RoomParams, RoomPreviewResponse } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { previewRoom } from '../../domain/room-preview.ts';
import { bearerSecurity } from './auth.ts';

export function roomPreviewRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/preview',
      {
        schema: {
          tags: ['rooms'],
          summary: "A public room's card, announcement and newest 50 messages, when its staff turned preview on",
          description:
            'Read-only, with nothing that says who is in the room or online: no members, presence, reactions or join lines. 403 NOT_A_MEMBER when the room is unlisted or preview is off; 404 ROOM_NOT_FOUND for a private room.',
          security: bearerSecurity,
          params: RoomParams,
          response: { 200: RoomPreviewResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => previewRoom(deps, request.params.roomId),
    );
  };
}
