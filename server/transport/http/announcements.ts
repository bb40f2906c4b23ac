/** The room announcement (群公告): post, read, confirm, and who confirmed. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AnnouncementReadResponse,
  AnnouncementReadsResponse,
  CurrentAnnouncementResponse,
  ErrorResponse,
  PostAnnouncementBody,
  PostedAnnouncementResponse,
  RoomParams,
} from '../../../shared/schemas.ts';
import { announcementReads, confirmRead, currentAnnouncement, postAnnouncement } from '../../domain/announcements.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function announcementRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/announcement',
      {
        config: { allowBots: true },
        schema: {
          tags: ['announcements'],
          summary: 'Post the room announcement (owner and admins); it replaces the current one',
          security: bearerSecurity,
          params: RoomParams,
          body: PostAnnouncementBody,
          response: { 201: PostedAnnouncementResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        const announcement = await inFlight.run(() => postAnnouncement(deps, principal, request.params.roomId, request.body));
        return reply.status(201).send({ announcement });
      },
    );

    app.get(
      '/v1/rooms/:roomId/announcement',
      {
        schema: {
          tags: ['announcements'],
          summary: 'The current announcement (null when there is none) and whether you confirmed it',
          security: bearerSecurity,
          params: RoomParams,
          response: { 200: CurrentAnnouncementResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => currentAnnouncement(deps, request.principal, request.params.roomId),
    );

    app.post(
      '/v1/rooms/:roomId/announcement/read',
      {
        schema: {
          tags: ['announcements'],
          summary: 'Confirm you have read the current announcement',
          security: bearerSecurity,
          params: RoomParams,
          response: { 200: AnnouncementReadResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => {
        const principal = request.principal;
        return inFlight.run(() => confirmRead(deps, principal, request.params.roomId));
      },
    );

    app.get(
      '/v1/rooms/:roomId/announcement/reads',
      {
        schema: {
          tags: ['announcements'],
          summary: 'Owner and admins: who confirmed the current announcement, and how many members have not',
          security: bearerSecurity,
          params: RoomParams,
          response: { 200: AnnouncementReadsResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => announcementReads(deps, request.principal, request.params.roomId),
    );
  };
}
