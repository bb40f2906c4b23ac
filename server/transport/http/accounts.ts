/** Accounts and sessions: sign up, sign in, sign out, who am I, delete my account. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthResponse, DeleteAccountBody, ErrorResponse, NoContent, MeResponse, SignInBody, SignUpBody } from '../../../shared/schemas.ts';
import { deleteAccount } from '../../domain/account-deletion.ts';
import { getUser, signIn, signOut, signUp } from '../../domain/accounts.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { roomsWithReadState } from '../../domain/read-state.ts';
import { bearerSecurity } from './auth.ts';

export function accountRoutes(deps: DomainDeps, authRateLimit: { max: number; timeWindow: string }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/users',
      {
        config: { rateLimit: authRateLimit, public: true },
        schema: {
          tags: ['accounts'],
          summary: 'Sign up',
          body: SignUpBody,
          response: { 201: AuthResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => reply.status(201).send(await signUp(deps, request.body)),
    );

    app.post(
      '/v1/sessions',
      {
        config: { rateLimit: authRateLimit, public: true },
        schema: { tags: ['accounts'], summary: 'Sign in', body: SignInBody, response: { 200: AuthResponse, '4xx': ErrorResponse } },
      },
      async (request) => signIn(deps, request.body),
    );

    app.delete(
      '/v1/sessions/current',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Sign out: the token stops working and its sockets are disconnected',
          security: bearerSecurity,
          response: { 204: NoContent, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        await signOut(deps, request.principal);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/me',
      { config: { allowBots: true }, schema: { tags: ['accounts'], summary: 'The signed-in user and their rooms, with read positions and unread counts', security: bearerSecurity, response: { 200: MeResponse, '4xx': ErrorResponse } } },
      async (request) => {
        const principal = request.principal;
        const [user, rooms] = await Promise.all([getUser(deps, principal.userId), roomsWithReadState(deps, principal)]);
        return { user, rooms };
      },
    );

    app.delete(
      '/v1/me',
      {
        // A stolen token must not buy unlimited password guesses.
        config: { rateLimit: authRateLimit },
        schema: {
          tags: ['accounts'],
          summary: 'Delete your account: sessions revoked, rooms left, messages kept as "deleted user"',
          description:
            'Asks for the password again (401 INVALID_CREDENTIALS when wrong). An owner must transfer or dissolve their rooms first: ' +
            '409 OWNER_MUST_TRANSFER with details.roomIds. Bots you own are retired with the account (tokens and webhooks revoked, taken out of rooms). ' +
            'The username stays reserved. Refused, nothing changes.',
          security: bearerSecurity,
          body: DeleteAccountBody,
          response: { 204: NoContent, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        await deleteAccount(deps, request.principal, request.body);
        return reply.status(204).send(null);
      },
    );
  };
}
