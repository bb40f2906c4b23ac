/** Pinned messages: list (members), pin and unpin (owner and admins). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, MAX_PINS_PER_ROOM, MessageParams, PinResponse, PinsResponse, RoomParams, UnpinResponse } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { pinMessage, pinsOf, unpinMessage } from '../../domain/pins.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function pinRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/pins',
      {
        schema: { tags: ['pins'], summary: "The room's pinned messages, newest pin first", security: bearerSecurity, params: RoomParams, response: { 200: PinsResponse, '4xx': ErrorResponse } },
      },
      async (request) => ({ pins: await pinsOf(deps, request.principal, request.params.roomId), limit: MAX_PINS_PER_ROOM }),
    );

    app.put(
      '/v1/rooms/:roomId/pins/:seq',
      {
        schema: {
          tags: ['pins'],
          summary: `Pin a message (owner and admins; at most ${MAX_PINS_PER_ROOM} per room)`,
          security: bearerSecurity,
          params: MessageParams,
          response: { 200: PinResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => {
        const principal = request.principal;
        return inFlight.run(() => pinMessage(deps, principal, request.params.roomId, request.params.seq));
      },
    );

    app.delete(
      '/v1/rooms/:roomId/pins/:seq',
      {
        schema: { tags: ['pins'], summary: 'Unpin a message (owner and admins)', security: bearerSecurity, params: MessageParams, response: { 200: UnpinResponse, '4xx': ErrorResponse } },
      },
      async (request) => {
        const principal = request.principal;
        return inFlight.run(() => unpinMessage(deps, principal, request.params.roomId, request.params.seq));
      },
    );
  };
}
