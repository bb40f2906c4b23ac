/** Rooms: create, discover, read, join, leave, members. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateRoomBody,
  ErrorResponse,
  MembersResponse,
  NoContent,
  RoomDiscoveryQuery,
  RoomListResponse,
  RoomParams,
  RoomResponse,
  UpdateRoomBody,
} from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { createRoom, discover, dissolveRoom, getRoom, membersOf, updateRoom } from '../../domain/rooms.ts';
import { bearerSecurity } from './auth.ts';

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
        const principal = request.principal;
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
        return { rooms: await discover(deps, request.query) };
      },
    );

    app.get(
      '/v1/rooms/:roomId',
      {
        config: { allowBots: true }, schema: { tags: ['rooms'], summary: 'A room', security: bearerSecurity, params: RoomParams, response: { 200: RoomResponse, '4xx': ErrorResponse } },
      },
      async (request) => {
        return { room: await getRoom(deps, request.principal, request.params.roomId) };
      },
    );

    app.patch(
      '/v1/rooms/:roomId',
      {
        schema: {
          tags: ['rooms'],
          summary: 'Change room settings (owner and admins)',
          security: bearerSecurity,
          params: RoomParams,
          body: UpdateRoomBody,
          response: { 200: RoomResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ room: await updateRoom(deps, request.principal, request.params.roomId, request.body) }),
    );

    app.delete(
      '/v1/rooms/:roomId',
      {
        schema: { tags: ['rooms'], summary: 'Dissolve the room (owner only)', security: bearerSecurity, params: RoomParams, response: { 204: NoContent, '4xx': ErrorResponse } },
      },
      async (request, reply) => {
        await dissolveRoom(deps, request.principal, request.params.roomId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/rooms/:roomId/members',
      {
        config: { allowBots: true }, schema: { tags: ['rooms'], summary: "A room's members (members only)", security: bearerSecurity, params: RoomParams, response: { 200: MembersResponse, '4xx': ErrorResponse } },
      },
      async (request) => ({ members: await membersOf(deps, request.principal, request.params.roomId) }),
    );
  };
}
