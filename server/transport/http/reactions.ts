/** Emoji reactions on messages: add, remove, read one message's, read a page's counts. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorResponse,
  MessageParams,
  ReactionDetails,
  ReactionParams,
  ReactionRangeQuery,
  ReactionRangeResponse,
  ReactionsResponse,
  RoomParams,
} from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { react, reactionsInRange, reactionsOf } from '../../domain/reactions.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function reactionRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const op of ['add', 'remove'] as const) {
      app.route({
        method: op === 'add' ? 'PUT' : 'DELETE',
        url: '/v1/rooms/:roomId/messages/:seq/reactions/:emoji',
        schema: {
          tags: ['reactions'],
          summary: op === 'add' ? 'React with one emoji (URL-encoded); repeating it changes nothing' : 'Take your reaction back; repeating it changes nothing',
          security: bearerSecurity,
          params: ReactionParams,
          response: { 200: ReactionsResponse, '4xx': ErrorResponse },
        },
        handler: async (request) => {
          const principal = request.principal;
          const { roomId, seq, emoji } = request.params;
          return inFlight.run(() => react(deps, principal, { roomId: roomId.toLowerCase(), seq, emoji, op }));
        },
      });
    }

    app.get(
      '/v1/rooms/:roomId/messages/:seq/reactions',
      {
        schema: {
          tags: ['reactions'],
          summary: "A message's reactions: counts per emoji, whether you reacted, and who did",
          security: bearerSecurity,
          params: MessageParams,
          response: { 200: ReactionDetails, '4xx': ErrorResponse },
        },
      },
      async (request) => reactionsOf(deps, request.principal, request.params.roomId, request.params.seq),
    );

    app.get(
      '/v1/rooms/:roomId/reactions',
      {
        schema: {
          tags: ['reactions'],
          summary: 'Reaction counts for a seq range (e.g. the history page on screen), in one call',
          security: bearerSecurity,
          params: RoomParams,
          querystring: ReactionRangeQuery,
          response: { 200: ReactionRangeResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({
        reactions: await reactionsInRange(deps, request.principal, request.params.roomId, request.query),
      }),
    );
  };
}
