/** 接龙 sign-up lists: start one, add / edit / remove your line, close it. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateSignupBody, EditSignupEntryBody, HeldEntryParams, HeldSignupEntriesResponse, SignupEntryBody, SignupEntryResponse, SignupParams, SignupResponse } from '../../../shared/community.ts';
import { ErrorResponse, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { appendEntry, closeSignup, createSignup, decideHeldEntry, editEntry, listHeldEntries, removeEntry, viewSignup } from '../../domain/signups.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

const tags = ['community'];

export function signupRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/signups',
      {
        schema: {
          tags,
          summary: 'Start a 接龙 sign-up list; it appears in the timeline as a message of kind signup',
          security: bearerSecurity,
          params: RoomParams,
          body: CreateSignupBody,
          response: { 201: SignupResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const signup = await inFlight.run(() => createSignup(deps, request.principal, request.params.roomId, request.body));
        return reply.status(201).send({ signup });
      },
    );

    app.get(
      '/v1/signups/:id',
      { schema: { tags, summary: 'A sign-up list with every line', security: bearerSecurity, params: SignupParams, response: { 200: SignupResponse, '4xx': ErrorResponse } } },
      async (request) => ({ signup: await viewSignup(deps, request.principal, request.params.id) }),
    );

    app.post(
      '/v1/signups/:id/entries',
      {
        schema: {
          tags,
          summary: 'Add your line at the end (one per member); 202 HELD_FOR_REVIEW when the safety rules hold it',
          security: bearerSecurity,
          params: SignupParams,
          body: SignupEntryBody,
          response: { 200: SignupEntryResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => inFlight.run(() => appendEntry(deps, request.principal, request.params.id, request.body)),
    );

    app.patch(
      '/v1/signups/:id/entries/mine',
      {
        schema: { tags, summary: 'Change the text of your line', security: bearerSecurity, params: SignupParams, body: EditSignupEntryBody, response: { 200: SignupEntryResponse, '4xx': ErrorResponse } },
      },
      async (request) => inFlight.run(() => editEntry(deps, request.principal, request.params.id, request.body)),
    );

    app.delete(
      '/v1/signups/:id/entries/mine',
      {
        schema: {
          tags,
          summary: 'Take your line out; the lines after it move up one (positions stay 1..n)',
          security: bearerSecurity,
          params: SignupParams,
          response: { 200: SignupResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ signup: await inFlight.run(() => removeEntry(deps, request.principal, request.params.id)) }),
    );

    app.get(
      '/v1/signups/:id/held',
      {
        schema: { tags, summary: 'Owner and admins: the lines the safety rules held on this list, oldest first', security: bearerSecurity, params: SignupParams, response: { 200: HeldSignupEntriesResponse, '4xx': ErrorResponse } },
      },
      async (request) => listHeldEntries(deps, request.principal, request.params.id),
    );

    for (const decision of ['approved', 'rejected'] as const) {
      app.post(
        `/v1/signups/:id/held/:userId/${decision === 'approved' ? 'approve' : 'reject'}`,
        {
          schema: {
            tags,
            summary: decision === 'approved' ? 'Owner and admins: list a held line (at the end, if there is room)' : 'Owner and admins: drop a held line',
            security: bearerSecurity,
            params: HeldEntryParams,
            response: { 200: SignupResponse, '4xx': ErrorResponse },
          },
        },
        async (request) => ({ signup: await inFlight.run(() => decideHeldEntry(deps, request.principal, request.params.id, request.params.userId, decision)) }),
      );
    }

    app.post(
      '/v1/signups/:id/close',
      { schema: { tags, summary: 'Close the list (its author, the owner or an admin)', security: bearerSecurity, params: SignupParams, response: { 200: SignupResponse, '4xx': ErrorResponse } } },
      async (request) => ({ signup: await inFlight.run(() => closeSignup(deps, request.principal, request.params.id)) }),
    );
  };
}
