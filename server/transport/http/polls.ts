/** Polls: ask, vote (and change your vote), close. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreatePollBody, PollParams, PollResponse, PollViewResponse, VoteBody } from '../../../shared/community.ts';
import { ErrorResponse, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { closePoll, createPoll, viewPoll, vote } from '../../domain/polls.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

const tags = ['community'];

export function pollRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/polls',
      {
        schema: {
          tags,
          summary: 'Ask a poll (2 to 20 different options); it appears in the timeline as a message of kind poll',
          security: bearerSecurity,
          params: RoomParams,
          body: CreatePollBody,
          response: { 201: PollResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const poll = await inFlight.run(() => createPoll(deps, request.principal, request.params.roomId, request.body));
        return reply.status(201).send({ poll });
      },
    );

    app.get(
      '/v1/polls/:id',
      {
        schema: {
          tags,
          summary: 'The poll with its tally, your vote, and who voted what unless it is anonymous',
          security: bearerSecurity,
          params: PollParams,
          response: { 200: PollViewResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => viewPoll(deps, request.principal, request.params.id),
    );

    app.post(
      '/v1/polls/:id/votes',
      {
        schema: {
          tags,
          summary: 'Vote, or change your vote until the poll closes (an empty list takes it back)',
          security: bearerSecurity,
          params: PollParams,
          body: VoteBody,
          response: { 200: PollViewResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => inFlight.run(() => vote(deps, request.principal, request.params.id, request.body)),
    );

    app.post(
      '/v1/polls/:id/close',
      { schema: { tags, summary: 'Close the poll (its author, the owner or an admin)', security: bearerSecurity, params: PollParams, response: { 200: PollResponse, '4xx': ErrorResponse } } },
      async (request) => ({ poll: await inFlight.run(() => closePoll(deps, request.principal, request.params.id)) }),
    );
  };
}
