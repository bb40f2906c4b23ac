/** Running a room: roles, nicknames, mutes, kicks, bans, mute-all, slow mode, the audit log. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AuditEntry,
  AuditQuery,
  Ban,
  BanBody,
  ErrorResponse,
  MemberParams,
  MuteAllBody,
  MuteBody,
  NicknameBody,
  NoContent,
  ReasonBody,
  RoomParams,
  RoomResponse,
  SetRoleBody,
  SlowModeBody,
  TransferBody,
} from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { banUser, kickMember, listBans, muteMember, readAuditLog, setSpeakingRules, unbanUser, unmuteMember } from '../../domain/moderation.ts';
import { setNickname, setRole, transferOwnership } from '../../domain/roles.ts';
import { bearerSecurity } from './auth.ts';
import { emptyBodyAsObject } from './optional-body.ts';

const ids = (params: { roomId: string; userId: string }) => [params.roomId.toLowerCase(), params.userId.toLowerCase()] as const;

export function moderationRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const noContent = { 204: NoContent, '4xx': ErrorResponse };

    app.put(
      '/v1/rooms/:roomId/members/:userId/role',
      { schema: { tags: ['moderation'], summary: 'Make a member an admin, or an admin a member (owner only)', security: bearerSecurity, params: MemberParams, body: SetRoleBody, response: noContent } },
      async (request, reply) => {
        const [roomId, userId] = ids(request.params);
        await setRole(deps, request.principal, roomId, userId, request.body.role);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/rooms/:roomId/transfer',
      { schema: { tags: ['moderation'], summary: 'Transfer ownership; the former owner becomes an admin', security: bearerSecurity, params: RoomParams, body: TransferBody, response: noContent } },
      async (request, reply) => {
        await transferOwnership(deps, request.principal, request.params.roomId, request.body.userId.toLowerCase());
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/v1/rooms/:roomId/members/me/nickname',
      { schema: { tags: ['moderation'], summary: 'Set or clear your nickname in this room (群昵称)', security: bearerSecurity, params: RoomParams, body: NicknameBody, response: noContent } },
      async (request, reply) => {
        await setNickname(deps, request.principal, request.params.roomId, request.body.nickname);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/rooms/:roomId/members/:userId/mute',
      {
        schema: {
          tags: ['moderation'],
          summary: 'Mute a member for a duration, or until unmuted',
          security: bearerSecurity,
          params: MemberParams,
          body: MuteBody,
          response: { 200: Type.Object({ until: Type.Union([Type.String(), Type.Null()]) }), '4xx': ErrorResponse },
        },
        preValidation: emptyBodyAsObject,
      },
      async (request) => {
        const [roomId, userId] = ids(request.params);
        return muteMember(deps, request.principal, roomId, userId, request.body);
      },
    );

    app.delete(
      '/v1/rooms/:roomId/members/:userId/mute',
      { schema: { tags: ['moderation'], summary: 'Unmute a member', security: bearerSecurity, params: MemberParams, response: noContent } },
      async (request, reply) => {
        const [roomId, userId] = ids(request.params);
        await unmuteMember(deps, request.principal, roomId, userId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/rooms/:roomId/members/:userId/kick',
      { schema: { tags: ['moderation'], summary: 'Remove a member (they may rejoin)', security: bearerSecurity, params: MemberParams, body: ReasonBody, response: noContent }, preValidation: emptyBodyAsObject },
      async (request, reply) => {
        const [roomId, userId] = ids(request.params);
        await kickMember(deps, request.principal, roomId, userId, request.body.reason ?? '');
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/rooms/:roomId/bans',
      { schema: { tags: ['moderation'], summary: 'Ban a user (removing them if a member), for a duration or until unbanned', security: bearerSecurity, params: RoomParams, body: BanBody, response: noContent } },
      async (request, reply) => {
        await banUser(deps, request.principal, request.params.roomId, request.body.userId.toLowerCase(), request.body);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/rooms/:roomId/bans',
      { schema: { tags: ['moderation'], summary: 'Bans in force', security: bearerSecurity, params: RoomParams, response: { 200: Type.Object({ bans: Type.Array(Ban) }), '4xx': ErrorResponse } } },
      async (request) => ({ bans: await listBans(deps, request.principal, request.params.roomId) }),
    );

    app.delete(
      '/v1/rooms/:roomId/bans/:userId',
      { schema: { tags: ['moderation'], summary: 'Lift a ban', security: bearerSecurity, params: MemberParams, response: noContent } },
      async (request, reply) => {
        const [roomId, userId] = ids(request.params);
        await unbanUser(deps, request.principal, roomId, userId);
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/v1/rooms/:roomId/mute-all',
      { schema: { tags: ['moderation'], summary: 'Mute everyone but owner and admins (全员禁言), or lift it', security: bearerSecurity, params: RoomParams, body: MuteAllBody, response: { 200: RoomResponse, '4xx': ErrorResponse } } },
      async (request) => ({ room: await setSpeakingRules(deps, request.principal, request.params.roomId, { muteAll: request.body.enabled }) }),
    );

    app.put(
      '/v1/rooms/:roomId/slow-mode',
      { schema: { tags: ['moderation'], summary: "Seconds between one member's messages (0: off)", security: bearerSecurity, params: RoomParams, body: SlowModeBody, response: { 200: RoomResponse, '4xx': ErrorResponse } } },
      async (request) => ({ room: await setSpeakingRules(deps, request.principal, request.params.roomId, { slowModeSeconds: request.body.seconds }) }),
    );

    app.get(
      '/v1/rooms/:roomId/audit',
      {
        schema: {
          tags: ['moderation'],
          summary: 'The audit log, newest first (owner and admins)',
          security: bearerSecurity,
          params: RoomParams,
          querystring: AuditQuery,
          response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), '4xx': ErrorResponse },
        },
      },
      async (request) => ({ entries: await readAuditLog(deps, request.principal, request.params.roomId, request.query) }),
    );
  };
}
