/** A member's read position in a room over HTTP (the same domain call as the socket `read`). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, ReadBody, ReadPosition, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { markRead } from '../../domain/read-state.ts';
import { bearerSecurity } from './auth.ts';

export function readStateRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/read',
      {
        schema: {
          tags: ['read state'],
          summary: "Mark messages up to seq read: the position only moves forward and is clamped to the room's lastSeq",
          security: bearerSecurity,
          params: RoomParams,
          body: ReadBody,
          response: { 200: ReadPosition, '4xx': ErrorResponse },
        },
      },
      async (request) => markRead(deps, request.principal, request.params.roomId, request.body.seq),
    );
  };
}
