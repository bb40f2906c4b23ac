/** Direct messages and message requests over HTTP. A DM room's history, read state and recall are the room routes'. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DmListResponse,
  DmReportBody,
  DmRequestedResponse,
  DmRequestParams,
  DmRequestsResponse,
  DmSentResponse,
  FiledReportResponse,
  SendDmBody,
} from '../../../shared/people.ts';
import { ErrorResponse, NoContent } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { conversationsOf, sendDirectMessage } from '../../domain/direct-messages.ts';
import { acceptMessageRequest, ignoreMessageRequest, messageRequestsOf, reportMessageRequest } from '../../domain/message-requests.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function directMessageRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/dms',
      {
        schema: {
          tags: ['direct messages'],
          summary: 'Message a person: 201 into your DM room with them, or 202 as a message request',
          description:
            "201 { room, message } when they take messages from you (their privacy.dmsFrom; a DM room you already have is reused; a retry with the same clientMsgId answers 200 with the original). " +
            "Otherwise 202 { status: 'requested', request }: text only, no links or contact details (422 BLOCKED_BY_SAFETY), one per person until accepted (409 DM_REQUEST_PENDING). " +
            '403 DM_NOT_ALLOWED when they blocked you or take no DMs (the same answer for both); 409 YOU_BLOCKED_USER when you blocked them.',
          security: bearerSecurity,
          body: SendDmBody,
          response: { 200: DmSentResponse, 201: DmSentResponse, 202: DmRequestedResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const outcome = await inFlight.run(() => sendDirectMessage(deps, request.principal, request.body));
        if (outcome.status === 'requested') return reply.status(202).send({ status: 'requested', request: outcome.request });
        return reply.status(outcome.duplicate ? 200 : 201).send({ room: outcome.room, message: outcome.message });
      },
    );

    app.get(
      '/v1/dms',
      { schema: { tags: ['direct messages'], summary: 'Your DM rooms with the person in each, newest message first', security: bearerSecurity, response: { 200: DmListResponse, '4xx': ErrorResponse } } },
      async (request) => ({ conversations: await conversationsOf(deps, request.principal) }),
    );

    app.get(
      '/v1/dms/requests',
      {
        schema: { tags: ['direct messages'], summary: 'Message requests waiting for you, and yours not yet accepted', security: bearerSecurity, response: { 200: DmRequestsResponse, '4xx': ErrorResponse } },
      },
      async (request) => messageRequestsOf(deps, request.principal),
    );

    app.post(
      '/v1/dms/requests/:requestId/accept',
      {
        schema: {
          tags: ['direct messages'],
          summary: 'Accept a message request: your DM room opens with it as the first message (accepting again answers the same)',
          security: bearerSecurity,
          params: DmRequestParams,
          response: { 200: DmSentResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => inFlight.run(() => acceptMessageRequest(deps, request.principal, request.params.requestId)),
    );

    app.post(
      '/v1/dms/requests/:requestId/ignore',
      {
        schema: {
          tags: ['direct messages'],
          summary: 'Ignore a message request: it goes, the sender is not told and cannot send another',
          security: bearerSecurity,
          params: DmRequestParams,
          response: { 204: NoContent, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        await ignoreMessageRequest(deps, request.principal, request.params.requestId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/dms/requests/:requestId/report',
      {
        schema: {
          tags: ['direct messages'],
          summary: "Report a message request to the site's moderators (it is ignored too)",
          security: bearerSecurity,
          params: DmRequestParams,
          body: DmReportBody,
          response: { 201: FiledReportResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => reply.status(201).send({ report: await reportMessageRequest(deps, request.principal, request.params.requestId, request.body) }),
    );
  };
}
