/**
 * Who is asking, decided once per request. `authenticated(deps, routes)` registers the API's route
 * plugins inside one scope whose hook reads `Authorization: Bearer <token>` (people) or
 * `Authorization: Bot <token>` (bots) and sets `request.principal` before any handler runs, so no
 * handler authenticates by itself. A route says what it accepts in its `config`:
 * `{ public: true }` (no token: sign-up, sign-in, incoming webhooks), `{ allowBots: true }` (a bot
 * token too; what it may do is then its token's scopes, checked in the domain). Everything else is
 * for people with a session. The same hook folds id path parameters to lower case, so ids written
 * in capitals name the same rows.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authenticate } from '../../domain/accounts.ts';
import { authenticateBot } from '../../domain/bots.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError } from '../../errors.ts';

/** What a route's `config` may say about who may call it. */
export interface RouteAccess {
  public?: boolean;
  allowBots?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller; set by the authentication hook on every route that is not `public`. */
    principal: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The caller of a request, or a refusal: UNAUTHENTICATED, or FORBIDDEN for a bot on a route for people. */
export async function principalOf(deps: DomainDeps, request: FastifyRequest, access: RouteAccess): Promise<Principal> {
  const bot = /^Bot\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!bot) return authenticate(deps, bearerToken(request));
  const principal = await authenticateBot(deps, bot[1]!);
  if (access.allowBots !== true) throw new AppError('FORBIDDEN', 'Bot tokens cannot use this endpoint', { principal: 'bot' });
  return principal;
}

/** Registers `routes` in a scope where every request is authenticated before its handler. */
export function authenticated(deps: DomainDeps, routes: FastifyPluginAsync[]): FastifyPluginAsync {
  return async (api: FastifyInstance) => {
    api.decorateRequest('principal', null as unknown as Principal);
    // After validation, as the handlers' own checks ran before: a malformed request is still
    // answered VALIDATION_FAILED whoever sends it.
    api.addHook('preHandler', async (request) => {
      foldIdParams(request);
      const access = (request.routeOptions.config ?? {}) as RouteAccess;
      if (access.public) return;
      request.principal = await principalOf(deps, request, access);
    });
    for (const route of routes) await api.register(route);
  };
}

function foldIdParams(request: FastifyRequest): void {
  const params = request.params as Record<string, unknown> | undefined;
  if (!params) return;
  for (const [key, value] of Object.entries(params)) if (key.endsWith('Id') && typeof value === 'string') params[key] = value.toLowerCase();
}

/** OpenAPI: marks a route as needing the bearer token. */
export const bearerSecurity = [{ bearerAuth: [] }];
/** OpenAPI: a route that takes a person's bearer token or a bot token. */
export const bearerOrBotSecurity: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { botAuth: [] }];
