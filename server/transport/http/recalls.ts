/** Recalling a message, and the staff-only view of what a recalled message said. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, MessageParams, RecalledMessageResponse, RecallResponse } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { readRecalledMessage, recallMessage } from '../../domain/recall.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function recallRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/messages/:seq/recall',
      {
        schema: {
          tags: ['messages'],
          summary: 'Recall a message: your own within the recall window; owner and admins any message (admins not the owner\'s or other admins\')',
          security: bearerSecurity,
          params: MessageParams,
          response: { 200: RecallResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => {
        const principal = request.principal;
        const recall = await inFlight.run(() => recallMessage(deps, principal, request.params.roomId, request.params.seq));
        return { recall };
      },
    );

    app.get(
      '/v1/rooms/:roomId/messages/:seq/recalled',
      {
        schema: {
          tags: ['messages'],
          summary: 'Owner and admins: the original text of a recalled message (null after the retention period)',
          security: bearerSecurity,
          params: MessageParams,
          response: { 200: RecalledMessageResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => readRecalledMessage(deps, request.principal, request.params.roomId, request.params.seq),
    );
  };
}
