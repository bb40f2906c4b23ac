/** Reads `Authorization: Bearer <token>` (people) or `Authorization: Bot <token>` (bots) and resolves it to the actor. */
import type { FastifyRequest } from 'fastify';
import { authenticate } from '../../domain/accounts.ts';
import { authenticateBot } from '../../domain/bots.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError } from '../../errors.ts';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function requirePrincipal(deps: DomainDeps, request: FastifyRequest): Promise<Principal> {
  const bot = /^Bot\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (bot) return requireBotPrincipal(deps, request, bot[1]!);
  return authenticate(deps, bearerToken(request));
}

/**
 * Routes a bot token may call besides those that opt in with `config: { allowBots: true }`
 * (server/transport/http/bots.ts and friends). Everything else is for people: a bot cannot
 * create rooms, join them or moderate. What a bot may do on these routes is decided by its
 * token's scopes in the domain (`requireScope`).
 */
const BOT_ROUTES = new Set([
  'GET /v1/me',
  'GET /v1/rooms/:roomId',
  'GET /v1/rooms/:roomId/members',
  'GET /v1/rooms/:roomId/messages',
  'POST /v1/rooms/:roomId/messages',
  'POST /v1/rooms/:roomId/announcement',
]);

async function requireBotPrincipal(deps: DomainDeps, request: FastifyRequest, token: string): Promise<Principal> {
  const principal = await authenticateBot(deps, token);
  const config = request.routeOptions.config as { allowBots?: boolean } | undefined;
  if (config?.allowBots !== true && !BOT_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
    throw new AppError('FORBIDDEN', 'Bot tokens cannot use this endpoint', { principal: 'bot' });
  }
  return principal;
}

/** OpenAPI: marks a route as needing the bearer token. */
export const bearerSecurity = [{ bearerAuth: [] }];
/** OpenAPI: a route that takes a person's bearer token or a bot token. */
export const bearerOrBotSecurity: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { botAuth: [] }];
