/** Getting in and out of rooms: join (by policy), leave, join requests, invite links. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CreateInviteBody,
  ErrorResponse,
  Invite,
  InviteCodeParams,
  InviteParams,
  JoinBody,
  JoinRequest,
  JoinRequestListQuery,
  JoinRequestParams,
  JoinResponse,
  NoContent,
  Room,
  RoomParams,
} from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import {
  acceptInvite,
  createInvite,
  decideJoinRequest,
  joinRoom,
  leaveRoom,
  listJoinRequests,
  listRoomInvites,
  previewInvite,
  revokeRoomInvite,
} from '../../domain/joining.ts';
import { renderInviteQr } from '../../domain/invite-qr.ts';
import { bearerSecurity } from './auth.ts';
import { emptyBodyAsObject } from './optional-body.ts';

export function joiningRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/join',
      {
        schema: {
          tags: ['joining'],
          summary: 'Join an open room (200), or ask to join an approval room (202 with the request)',
          security: bearerSecurity,
          params: RoomParams,
          body: JoinBody,
          response: { 200: JoinResponse, 202: JoinResponse, '4xx': ErrorResponse },
        },
        preValidation: emptyBodyAsObject,
      },
      async (request, reply) => {
        const outcome = await joinRoom(deps, request.principal, request.params.roomId, request.body.answer ?? '');
        return reply.status(outcome.status === 'joined' ? 200 : 202).send(outcome);
      },
    );

    app.post(
      '/v1/rooms/:roomId/leave',
      { schema: { tags: ['joining'], summary: 'Leave a room', security: bearerSecurity, params: RoomParams, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        await leaveRoom(deps, request.principal, request.params.roomId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/rooms/:roomId/join-requests',
      {
        schema: {
          tags: ['joining'],
          summary: 'Join requests (owner and admins)',
          security: bearerSecurity,
          params: RoomParams,
          querystring: JoinRequestListQuery,
          response: { 200: Type.Object({ requests: Type.Array(JoinRequest) }), '4xx': ErrorResponse },
        },
      },
      async (request) => ({
        requests: await listJoinRequests(deps, request.principal, request.params.roomId, request.query.status ?? 'pending'),
      }),
    );

    for (const [verb, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
      app.post(
        `/v1/rooms/:roomId/join-requests/:requestId/${verb}`,
        {
          schema: {
            tags: ['joining'],
            summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a join request (owner and admins)`,
            security: bearerSecurity,
            params: JoinRequestParams,
            response: { 200: Type.Object({ request: JoinRequest }), '4xx': ErrorResponse },
          },
        },
        async (request) => ({
          request: await decideJoinRequest(deps, request.principal, request.params.roomId, request.params.requestId, decision),
        }),
      );
    }

    app.post(
      '/v1/rooms/:roomId/invites',
      {
        schema: {
          tags: ['joining'],
          summary: 'Create an invite link (owner and admins; members too if the room allows)',
          security: bearerSecurity,
          params: RoomParams,
          body: CreateInviteBody,
          response: { 201: Type.Object({ invite: Invite }), '4xx': ErrorResponse },
        },
      },
      async (request, reply) =>
        reply.status(201).send({ invite: await createInvite(deps, request.principal, request.params.roomId, request.body) }),
    );

    app.get(
      '/v1/rooms/:roomId/invites',
      {
        schema: {
          tags: ['joining'],
          summary: "The room's invite links (owner and admins)",
          security: bearerSecurity,
          params: RoomParams,
          response: { 200: Type.Object({ invites: Type.Array(Invite) }), '4xx': ErrorResponse },
        },
      },
      async (request) => ({ invites: await listRoomInvites(deps, request.principal, request.params.roomId) }),
    );

    app.delete(
      '/v1/rooms/:roomId/invites/:inviteId',
      {
        schema: { tags: ['joining'], summary: 'Revoke an invite link', security: bearerSecurity, params: InviteParams, response: { 204: NoContent, '4xx': ErrorResponse } },
      },
      async (request, reply) => {
        await revokeRoomInvite(deps, request.principal, request.params.roomId, request.params.inviteId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/invites/:code',
      {
        schema: {
          tags: ['joining'],
          summary: 'What an invite link leads to',
          security: bearerSecurity,
          params: InviteCodeParams,
          response: { 200: Type.Object({ room: Room, expiresAt: Type.Union([Type.String(), Type.Null()]) }), '4xx': ErrorResponse },
        },
      },
      async (request) => {
        return previewInvite(deps, request.params.code);
      },
    );

    app.get(
      '/v1/invites/:code/qr.png',
      {
        // The code in the path is the credential, as in the link itself; an <img> sends no token.
        config: { public: true },
        schema: {
          tags: ['joining'],
          summary: 'The invite as a QR code (群二维码): a PNG of the invite link; 404 INVITE_INVALID once the invite expired, ran out or was revoked',
          params: InviteCodeParams,
          response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'image/png' }), '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const png = await renderInviteQr(deps, request.params.code, `${request.protocol}://${request.host}`);
        // Never kept: the same address must stop answering the moment the invite does.
        return reply.type('image/png').header('cache-control', 'no-store').send(png);
      },
    );

    app.post(
      '/v1/invites/:code/accept',
      {
        schema: { tags: ['joining'], summary: 'Join through an invite link', security: bearerSecurity, params: InviteCodeParams, response: { 200: JoinResponse, '4xx': ErrorResponse } },
      },
      async (request) => acceptInvite(deps, request.principal, request.params.code),
    );
  };
}
