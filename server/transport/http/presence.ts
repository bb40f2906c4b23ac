/** Who of a room's members is online right now. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, RoomParams, RoomPresence } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { roomPresence } from '../../domain/presence.ts';
import { bearerSecurity } from './auth.ts';

export function presenceRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/presence',
      {
        schema: {
          tags: ['presence'],
          summary: "The room's members who are online, and how many (members only)",
          security: bearerSecurity,
          params: RoomParams,
          response: { 200: RoomPresence, '4xx': ErrorResponse },
        },
      },
      async (request) => roomPresence(deps, request.principal, request.params.roomId),
    );
  };
}
