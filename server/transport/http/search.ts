/** Search: one room's messages (members only), or the messages of every room I am in. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, RoomParams, RoomSearchQuery, SearchQuery, SearchResponse } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { searchMyRooms, searchRoomMessages } from '../../domain/message-search.ts';
import { bearerSecurity } from './auth.ts';

const description =
  'Every word of q must appear, case-insensitive: Chinese, Japanese and Korean anywhere in the text, other words by their beginning. Recalled, hidden and held messages never match. Newest first.';

export function searchRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/search',
      {
        config: { allowBots: true },
        schema: {
          tags: ['search'],
          summary: "Search a room's messages (members only); page with before = the last result's seq",
          description,
          security: bearerSecurity,
          params: RoomParams,
          querystring: RoomSearchQuery,
          response: { 200: SearchResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => searchRoomMessages(deps, request.principal, request.params.roomId, request.query),
    );

    app.get(
      '/v1/search',
      {
        schema: {
          tags: ['search'],
          summary: 'Search the messages of every room I am a member of; page with before = next',
          description,
          security: bearerSecurity,
          querystring: SearchQuery,
          response: { 200: SearchResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => searchMyRooms(deps, request.principal, request.query),
    );
  };
}
