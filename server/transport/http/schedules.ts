/** Scheduled posts over HTTP (owner, admins, and bots with the matching scope). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateScheduledPostBody, ErrorResponse, NoContent, RoomParams, ScheduledPostListResponse, ScheduledPostResponse, ScheduleParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { cancelScheduledPost, createScheduledPost, scheduledPostsOf } from '../../domain/scheduled-posts.ts';
import type { CreateScheduledPostBody as CreateBody } from '../../../shared/schemas.ts';
import { bearerOrBotSecurity } from './auth.ts';

const tags = ['bots'];
const config = { allowBots: true };

export function scheduleRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/schedules',
      {
        config,
        schema: {
          tags,
          summary: 'Schedule a message or announcement: once, daily, weekly (in an IANA time zone) or every N seconds',
          security: bearerOrBotSecurity,
          params: RoomParams,
          body: CreateScheduledPostBody,
          response: { 201: ScheduledPostResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        const schedule = await createScheduledPost(deps, principal, request.params.roomId, request.body as CreateBody);
        return reply.status(201).send({ schedule });
      },
    );

    app.get(
      '/v1/rooms/:roomId/schedules',
      { config, schema: { tags, summary: "The room's scheduled posts (a bot sees its own)", security: bearerOrBotSecurity, params: RoomParams, response: { 200: ScheduledPostListResponse, '4xx': ErrorResponse } } },
      async (request) => ({ schedules: await scheduledPostsOf(deps, request.principal, request.params.roomId) }),
    );

    app.delete(
      '/v1/rooms/:roomId/schedules/:scheduleId',
      { config, schema: { tags, summary: 'Cancel a scheduled post', security: bearerOrBotSecurity, params: ScheduleParams, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        await cancelScheduledPost(deps, request.principal, request.params.roomId, request.params.scheduleId);
        return reply.status(204).send(null);
      },
    );
  };
}
