/** Editing a message's text, and the staff-only view of what it said before. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EditMessageBody, ErrorResponse, MessageParams, MessageResponse, MessageVersionsResponse } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { editMessage, readEarlierVersions } from '../../domain/edit-message.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function messageEditRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.patch(
      '/v1/rooms/:roomId/messages/:seq',
      {
        schema: {
          tags: ['messages'],
          summary: 'Edit your own text message within EDIT_WINDOW_SECONDS of sending; members receive it on the change feed (kind edit)',
          description:
            "The new text passes the room's safety rules: what they would hold or block answers 422 BLOCKED_BY_SAFETY and the message is unchanged. " +
            'NOT_YOUR_MESSAGE (someone else\'s, a system or a forwarded message), MESSAGE_RECALLED, MESSAGE_UNDER_REVIEW, EDIT_WINDOW_PASSED, MESSAGE_EMPTY, MUTED.',
          security: bearerSecurity,
          params: MessageParams,
          body: EditMessageBody,
          response: { 200: MessageResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => {
        const principal = request.principal;
        const message = await inFlight.run(() => editMessage(deps, principal, request.params.roomId, request.params.seq, request.body.text));
        return { message };
      },
    );

    app.get(
      '/v1/rooms/:roomId/messages/:seq/versions',
      {
        schema: {
          tags: ['messages'],
          summary: 'Owner and admins: the earlier texts of an edited message, oldest first',
          security: bearerSecurity,
          params: MessageParams,
          response: { 200: MessageVersionsResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => readEarlierVersions(deps, request.principal, request.params.roomId, request.params.seq),
    );
  };
}
