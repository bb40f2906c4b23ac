/** Incoming webhooks over HTTP: staff manage a room's hooks; tools POST to the hook's secret URL. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreatedIncomingWebhookResponse,
  CreateIncomingWebhookBody,
  ErrorResponse,
  HookParams,
  HookPostBody,
  HookPostParams,
  IncomingWebhookListResponse,
  MessageResponse,
  NoContent,
  RoomParams,
} from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { createIncomingWebhook, incomingWebhooksOf, postViaIncomingWebhook, revokeIncomingWebhookOf } from '../../domain/incoming-webhooks.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

const tags = ['bots'];

export function hookRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/hooks',
      {
        schema: {
          tags,
          summary: 'Owner and admins: create an incoming webhook; its secret URL is shown only in this answer',
          security: bearerSecurity,
          params: RoomParams,
          body: CreateIncomingWebhookBody,
          response: { 201: CreatedIncomingWebhookResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        return reply.status(201).send(await inFlight.run(() => createIncomingWebhook(deps, principal, request.params.roomId, request.body)));
      },
    );

    app.get(
      '/v1/rooms/:roomId/hooks',
      { schema: { tags, summary: "Owner and admins: the room's incoming webhooks (never their secrets)", security: bearerSecurity, params: RoomParams, response: { 200: IncomingWebhookListResponse, '4xx': ErrorResponse } } },
      async (request) => ({ hooks: await incomingWebhooksOf(deps, request.principal, request.params.roomId) }),
    );

    app.delete(
      '/v1/rooms/:roomId/hooks/:hookId',
      { schema: { tags, summary: 'Owner and admins: revoke an incoming webhook; its URL answers 404 from now on', security: bearerSecurity, params: HookParams, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        await revokeIncomingWebhookOf(deps, request.principal, request.params.roomId, request.params.hookId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/hooks/:hookId/:secret',
      {
        // The secret in the path is the credential (checked in the domain).
        config: { public: true },
        schema: {
          tags,
          summary: 'Post into the hook’s room: `{ text }` or a Slack-style `{ text, blocks, username }`. Unknown hook or wrong secret: 404',
          description: "The message passes the room's speaking and safety rules like any other: held, it answers 202 HELD_FOR_REVIEW; blocked, 422 BLOCKED_BY_SAFETY.",
          params: HookPostParams,
          body: HookPostBody,
          response: { 200: MessageResponse, 201: MessageResponse, 202: ErrorResponse, '4xx': ErrorResponse, 503: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { message, duplicate } = await inFlight.run(() => postViaIncomingWebhook(deps, request.params.hookId, request.params.secret, request.body));
        return reply.status(duplicate ? 200 : 201).send({ message });
      },
    );
  };
}
