/** Forwarding (转发) a message into another room the caller is in. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, ForwardMessageBody, MessageParams, MessageResponse } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { forwardMessage } from '../../domain/forward-message.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function forwardRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/messages/:seq/forward',
      {
        schema: {
          tags: ['messages'],
          summary: 'Forward a message (text and attachments) to another room you are in, with "forwarded from" attribution; a retry with the same clientMsgId returns the original (200)',
          description:
            "The destination's speaking and safety rules apply as to a send (NOT_A_MEMBER, MUTED, MUTE_ALL_ACTIVE, SLOW_MODE, 202 HELD_FOR_REVIEW, 422 BLOCKED_BY_SAFETY). " +
            'FORWARDING_DISABLED when the source room\'s owner turned forwarding off; MESSAGE_RECALLED, MESSAGE_UNDER_REVIEW for what members cannot read.',
          security: bearerSecurity,
          params: MessageParams,
          body: ForwardMessageBody,
          response: { 200: MessageResponse, 201: MessageResponse, 202: ErrorResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        const { message, duplicate } = await inFlight.run(() =>
          forwardMessage(deps, principal, { roomId: request.params.roomId, seq: request.params.seq }, { roomId: request.body.toRoomId.toLowerCase(), clientMsgId: request.body.clientMsgId }),
        );
        return reply.status(duplicate ? 200 : 201).send({ message });
      },
    );
  };
}
