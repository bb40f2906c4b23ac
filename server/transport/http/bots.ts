/**
 * Bots over HTTP: accounts, scoped tokens, bots in rooms, the outgoing-events endpoint and its
 * delivery log, and slash commands. Routes marked `allowBots` also take `Authorization: Bot …`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AddBotToRoomBody,
  BotDeliveriesQuery,
  BotDeliveriesResponse,
  BotListResponse,
  BotParams,
  BotResponse,
  BotTokenListResponse,
  BotTokenParams,
  BotWebhookResponse,
  CreateBotBody,
  CreateBotTokenBody,
  ErrorResponse,
  IssuedBotTokenResponse,
  NoContent,
  RoomBotParams,
  RoomCommandsResponse,
  RoomParams,
  SetBotCommandsBody,
  SetBotWebhookBody,
  UpdateBotBody,
} from '../../../shared/schemas.ts';
import { botDeliveries, getWebhook, removeWebhook, resumeWebhook, roomCommands, setCommands, setWebhook } from '../../domain/bot-endpoints.ts';
import {
  addBotToRoom,
  botsInRoom,
  botTokens,
  createBot,
  getBot,
  issueBotToken,
  listMyBots,
  removeBotFromRoom,
  revokeToken,
  rotateToken,
  updateBot,
} from '../../domain/bots.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerOrBotSecurity, bearerSecurity } from './auth.ts';

const tags = ['bots'];
const allowBots = { allowBots: true };
const id = (value: string) => value.toLowerCase();

export function botRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/bots',
      { schema: { tags, summary: 'Create a bot you own; with `roomId`, add it to that room (you must be its owner or an admin)', security: bearerSecurity, body: CreateBotBody, response: { 201: BotResponse, '4xx': ErrorResponse } } },
      async (request, reply) => {
        const principal = request.principal;
        return reply.status(201).send({ bot: await inFlight.run(() => createBot(deps, principal, request.body)) });
      },
    );

    app.get('/v1/bots', { schema: { tags, summary: 'Bots you own', security: bearerSecurity, response: { 200: BotListResponse, '4xx': ErrorResponse } } }, async (request) => ({
      bots: await listMyBots(deps, request.principal),
    }));

    app.get(
      '/v1/bots/:botId',
      { config: allowBots, schema: { tags, summary: 'A bot (its owner, or the bot itself with events:receive)', security: bearerOrBotSecurity, params: BotParams, response: { 200: BotResponse, '4xx': ErrorResponse } } },
      async (request) => ({ bot: await getBot(deps, request.principal, id(request.params.botId)) }),
    );

    app.patch(
      '/v1/bots/:botId',
      { schema: { tags, summary: "Change a bot's name or avatar (its owner)", security: bearerSecurity, params: BotParams, body: UpdateBotBody, response: { 200: BotResponse, '4xx': ErrorResponse } } },
      async (request) => ({ bot: await updateBot(deps, request.principal, id(request.params.botId), request.body) }),
    );

    // ---- Tokens ----
    app.post(
      '/v1/bots/:botId/tokens',
      { schema: { tags, summary: 'Issue a token with scopes; the secret is shown only in this answer', security: bearerSecurity, params: BotParams, body: CreateBotTokenBody, response: { 201: IssuedBotTokenResponse, '4xx': ErrorResponse } } },
      async (request, reply) => {
        const principal = request.principal;
        return reply.status(201).send(await issueBotToken(deps, principal, id(request.params.botId), request.body));
      },
    );

    app.get(
      '/v1/bots/:botId/tokens',
      { schema: { tags, summary: "The bot's tokens (never their secrets), newest first", security: bearerSecurity, params: BotParams, response: { 200: BotTokenListResponse, '4xx': ErrorResponse } } },
      async (request) => ({ tokens: await botTokens(deps, request.principal, id(request.params.botId)) }),
    );

    app.post(
      '/v1/bots/:botId/tokens/:tokenId/rotate',
      { schema: { tags, summary: 'Replace a token: same name and scopes, new secret; the old one stops working at once', security: bearerSecurity, params: BotTokenParams, response: { 201: IssuedBotTokenResponse, '4xx': ErrorResponse } } },
      async (request, reply) => {
        const principal = request.principal;
        return reply.status(201).send(await rotateToken(deps, principal, id(request.params.botId), id(request.params.tokenId)));
      },
    );

    app.delete(
      '/v1/bots/:botId/tokens/:tokenId',
      { schema: { tags, summary: 'Revoke a token; its next request is refused (401)', security: bearerSecurity, params: BotTokenParams, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        await revokeToken(deps, request.principal, id(request.params.botId), id(request.params.tokenId));
        return reply.status(204).send(null);
      },
    );

    // ---- Outgoing events ----
    app.put(
      '/v1/bots/:botId/webhook',
      {
        config: allowBots,
        schema: {
          tags,
          summary: 'Register where events are POSTed and which; answers the signing secret when a new one is issued',
          security: bearerOrBotSecurity,
          params: BotParams,
          body: SetBotWebhookBody,
          response: { 200: BotWebhookResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => setWebhook(deps, request.principal, id(request.params.botId), request.body),
    );

    app.get(
      '/v1/bots/:botId/webhook',
      { config: allowBots, schema: { tags, summary: 'The endpoint, its events and status (active or paused)', security: bearerOrBotSecurity, params: BotParams, response: { 200: BotWebhookResponse, '4xx': ErrorResponse } } },
      async (request) => getWebhook(deps, request.principal, id(request.params.botId)),
    );

    app.delete(
      '/v1/bots/:botId/webhook',
      { config: allowBots, schema: { tags, summary: 'Stop sending events', security: bearerOrBotSecurity, params: BotParams, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        await removeWebhook(deps, request.principal, id(request.params.botId));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/bots/:botId/webhook/resume',
      { config: allowBots, schema: { tags, summary: 'Resume a paused endpoint; waiting deliveries go out again', security: bearerOrBotSecurity, params: BotParams, response: { 200: BotWebhookResponse, '4xx': ErrorResponse } } },
      async (request) => resumeWebhook(deps, request.principal, id(request.params.botId)),
    );

    app.get(
      '/v1/bots/:botId/deliveries',
      {
        config: allowBots,
        schema: { tags, summary: 'Recent deliveries with every attempt, newest first', security: bearerOrBotSecurity, params: BotParams, querystring: BotDeliveriesQuery, response: { 200: BotDeliveriesResponse, '4xx': ErrorResponse } },
      },
      async (request) => ({ deliveries: await botDeliveries(deps, request.principal, id(request.params.botId), request.query.limit ?? 50) }),
    );

    // ---- Bots in rooms and their slash commands ----
    app.post(
      '/v1/rooms/:roomId/bots',
      { schema: { tags, summary: 'Owner and admins: add a bot you own to the room (role bot)', security: bearerSecurity, params: RoomParams, body: AddBotToRoomBody, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        const principal = request.principal;
        await inFlight.run(() => addBotToRoom(deps, principal, id(request.params.roomId), id(request.body.botId)));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/rooms/:roomId/bots',
      { schema: { tags, summary: "The room's bots", security: bearerSecurity, params: RoomParams, response: { 200: BotListResponse, '4xx': ErrorResponse } } },
      async (request) => ({ bots: await botsInRoom(deps, request.principal, id(request.params.roomId)) }),
    );

    app.delete(
      '/v1/rooms/:roomId/bots/:botId',
      { schema: { tags, summary: 'Owner and admins (or the bot’s owner): remove a bot from the room', security: bearerSecurity, params: RoomBotParams, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        const principal = request.principal;
        await inFlight.run(() => removeBotFromRoom(deps, principal, id(request.params.roomId), id(request.params.botId)));
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/v1/rooms/:roomId/bots/:botId/commands',
      {
        config: allowBots,
        schema: { tags, summary: "Replace the bot's slash commands in this room", security: bearerOrBotSecurity, params: RoomBotParams, body: SetBotCommandsBody, response: { 200: RoomCommandsResponse, '4xx': ErrorResponse } },
      },
      async (request) => setCommands(deps, request.principal, id(request.params.roomId), id(request.params.botId), request.body),
    );

    app.get(
      '/v1/rooms/:roomId/commands',
      { config: allowBots, schema: { tags, summary: "The room's slash commands and the bots that handle them", security: bearerOrBotSecurity, params: RoomParams, response: { 200: RoomCommandsResponse, '4xx': ErrorResponse } } },
      async (request) => roomCommands(deps, request.principal, id(request.params.roomId)),
    );
  };
}

