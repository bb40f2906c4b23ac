/** A room's messages over HTTP: history pages and sending (the same path as a socket send). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEFAULT_PAGE_SIZE, ErrorResponse, HistoryQuery, MessagePage, MessageResponse, RoomParams, SendMessageBody } from '../../../shared/schemas.ts';
import type { DomainDeps, SendResultLabel } from '../../domain/deps.ts';
import { readHistory } from '../../domain/history.ts';
import { sendMessage } from '../../domain/send-message.ts';
import type { ErrorCode } from '../../errors.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';
import { errorCodeOf } from './error-handler.ts';

export function messageRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/messages',
      {
        config: { allowBots: true },
        schema: {
          tags: ['messages'],
          summary: 'History, oldest first: `before` pages back, `after` pages forward, neither gives the newest page',
          security: bearerSecurity,
          params: RoomParams,
          querystring: HistoryQuery,
          response: { 200: MessagePage, '4xx': ErrorResponse },
        },
      },
      async (request) =>
        readHistory(deps, request.principal, request.params.roomId, {
          before: request.query.before,
          after: request.query.after,
          limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
        }),
    );

    app.post(
      '/v1/rooms/:roomId/messages',
      {
        config: { allowBots: true },
        schema: {
          tags: ['messages'],
          summary: 'Send a message; a retry with the same clientMsgId returns the original (200) instead of a new one (201)',
          description:
            "Passes the room's speaking rules (MUTED, MUTE_ALL_ACTIVE, SLOW_MODE) and safety rules: a held message answers 202 HELD_FOR_REVIEW, " +
            'a blocked one 422 BLOCKED_BY_SAFETY (details.reasons). A draining gateway answers 503 SHUTTING_DOWN; one that cannot reach its database ' +
            '503 UNAVAILABLE with Retry-After (retry with the same clientMsgId). See docs/protocol.md.',
          security: bearerSecurity,
          params: RoomParams,
          body: SendMessageBody,
          response: { 200: MessageResponse, 201: MessageResponse, 202: ErrorResponse, '4xx': ErrorResponse, 503: ErrorResponse },
        },
        // After the answer has gone out, whatever it was (a refusal by the schema check included).
        onResponse: async (request, reply) => deps.metrics.sendAnswered('http', resultOf(reply.statusCode, errorCodeOf(request)), reply.elapsedTime / 1000),
      },
      async (request, reply) => {
        const principal = request.principal;
        const { message, duplicate } = await inFlight.run(() =>
          sendMessage(deps, principal, { ...request.body, roomId: request.params.roomId }),
        );
        return reply.status(duplicate ? 200 : 201).send({ message });
      },
    );
  };
}

/** The route answers 201 for a new message and 200 for a retry of a stored one; errors by their code. */
function resultOf(status: number, code: ErrorCode | null): SendResultLabel {
  if (status === 201) return 'stored';
  if (status === 200) return 'duplicate';
  if (code === 'UNAVAILABLE') return 'unavailable';
  return code === 'INTERNAL' || status === 500 ? 'failed' : 'refused';
}
