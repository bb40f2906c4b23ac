/** 打卡 check-in challenges: start one, check in (with photos or without), a period's check-ins, the leaderboard. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Challenge, ChallengeParams, CheckinBody, CheckinListQuery, CheckinListResponse, CheckinResponse, CreateChallengeBody, LeaderboardResponse } from '../../../shared/community.ts';
import { ErrorResponse, RoomParams } from '../../../shared/schemas.ts';
import { checkIn, createChallenge, leaderboard, listCheckins } from '../../domain/challenges.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

const tags = ['community'];

export function challengeRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/challenges',
      {
        schema: {
          tags,
          summary: 'Start a check-in challenge (打卡); it appears in the timeline as a message of kind challenge',
          security: bearerSecurity,
          params: RoomParams,
          body: CreateChallengeBody,
          response: { 201: Type.Object({ challenge: Challenge }), '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const challenge = await inFlight.run(() => createChallenge(deps, request.principal, request.params.roomId, request.body));
        return reply.status(201).send({ challenge });
      },
    );

    app.post(
      '/v1/challenges/:id/checkins',
      {
        schema: {
          tags,
          summary:
            "Check in for the current period (one per member per day or week, in the challenge's time zone); with attachments, a photo check-in whose photos a message of yours carries in the timeline",
          security: bearerSecurity,
          params: ChallengeParams,
          body: CheckinBody,
          response: { 200: CheckinResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => inFlight.run(() => checkIn(deps, request.principal, request.params.id, request.body)),
    );

    app.get(
      '/v1/challenges/:id/checkins',
      {
        schema: {
          tags,
          summary: "A period's check-ins (default: the current one), newest first, with their photos; keyset-paged with before",
          security: bearerSecurity,
          params: ChallengeParams,
          querystring: CheckinListQuery,
          response: { 200: CheckinListResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => listCheckins(deps, request.principal, request.params.id, request.query),
    );

    app.get(
      '/v1/challenges/:id/leaderboard',
      { schema: { tags, summary: 'Check-ins and current streak per member', security: bearerSecurity, params: ChallengeParams, response: { 200: LeaderboardResponse, '4xx': ErrorResponse } } },
      async (request) => leaderboard(deps, request.principal, request.params.id),
    );
  };
}
