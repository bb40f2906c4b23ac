/** A room's must-read rules: read, set (owner and admins), accept. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AcceptRulesResponse, PutRulesBody, RoomRules, RulesResponse } from '../../../shared/community.ts';
import { ErrorResponse, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { acceptRules, rulesFor, setRules } from '../../domain/room-rules.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';
import { Type } from 'typebox';

const tags = ['community'];

export function roomRulesRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/rules',
      { schema: { tags, summary: "The room's rules, the version you accepted, and whether you must accept before taking part", security: bearerSecurity, params: RoomParams, response: { 200: RulesResponse, '4xx': ErrorResponse } } },
      async (request) => rulesFor(deps, request.principal, request.params.roomId),
    );

    app.put(
      '/v1/rooms/:roomId/rules',
      {
        schema: {
          tags,
          summary: 'Owner and admins: set the rules (a new version; with requireAcceptance, everyone must accept it again before sending)',
          security: bearerSecurity,
          params: RoomParams,
          body: PutRulesBody,
          response: { 200: Type.Object({ rules: RoomRules }), '4xx': ErrorResponse },
        },
      },
      async (request) => ({ rules: await inFlight.run(() => setRules(deps, request.principal, request.params.roomId, request.body)) }),
    );

    app.post(
      '/v1/rooms/:roomId/rules/accept',
      { schema: { tags, summary: 'Accept the current version of the rules', security: bearerSecurity, params: RoomParams, response: { 200: AcceptRulesResponse, '4xx': ErrorResponse } } },
      async (request) => inFlight.run(() => acceptRules(deps, request.principal, request.params.roomId)),
    );
  };
}
