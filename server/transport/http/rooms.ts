/** Rooms: create, discover, read, join, leave, members. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateRoomBody,
  ErrorResponse,
  MembersResponse,
  MembershipResponse,
  NoContent,
  RoomDiscoveryQuery,
  RoomListResponse,
  RoomParams,
  RoomResponse,
} from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { createRoom, discover, getRoom, joinRoom, leaveRoom, membersOf } from '../../domain/rooms.ts';
import { bearerSecurity, requirePrincipal } from './auth.ts';

export function roomRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms',
      {
        schema: {
          tags: ['rooms'],
          summary: 'Create a room; the creator becomes its owner',
          security: bearerSecurity,
          body: CreateRoomBody,
          response: { 201: RoomResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const principal = await requirePrincipal(deps, request);
        return reply.status(201).send({ room: await createRoom(deps, principal, request.body) });
      },
    );

    app.get(
      '/v1/rooms',
      {
        schema: {
          tags: ['rooms'],
          summary: 'Discover public rooms by name, topic or tag, busiest first',
          security: bearerSecurity,
          querystring: RoomDiscoveryQuery,
          response: { 200: RoomListResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => {
        await requirePrincipal(deps, request);
        return { rooms: await discover(deps, request.query) };
      },
    );

    app.get(
      '/v1/rooms/:roomId',
      {
        schema: { tags: ['rooms'], summary: 'A room', security: bearerSecurity, params: RoomParams, response: { 200: RoomResponse, '4xx': ErrorResponse } },
      },
      async (request) => {
        await requirePrincipal(deps, request);
        return { room: await getRoom(deps, request.params.roomId.toLowerCase()) };
      },
    );

    app.post(
      '/v1/rooms/:roomId/join',
      {
        schema: { tags: ['rooms'], summary: 'Join a room', security: bearerSecurity, params: RoomParams, response: { 200: MembershipResponse, '4xx': ErrorResponse } },
      },
      async (request) => joinRoom(deps, await requirePrincipal(deps, request), request.params.roomId.toLowerCase()),
    );

    app.post(
      '/v1/rooms/:roomId/leave',
      {
        schema: { tags: ['rooms'], summary: 'Leave a room', security: bearerSecurity, params: RoomParams, response: { 204: NoContent, '4xx': ErrorResponse } },
      },
      async (request, reply) => {
        await leaveRoom(deps, await requirePrincipal(deps, request), request.params.roomId.toLowerCase());
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/rooms/:roomId/members',
      {
        schema: { tags: ['rooms'], summary: "A room's members (members only)", security: bearerSecurity, params: RoomParams, response: { 200: MembersResponse, '4xx': ErrorResponse } },
      },
      async (request) => ({ members: await membersOf(deps, await requirePrincipal(deps, request), request.params.roomId.toLowerCase()) }),
    );
  };
}
