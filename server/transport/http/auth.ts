/** Reads `Authorization: Bearer <token>` and resolves it to the acting user. */
import type { FastifyRequest } from 'fastify';
import { authenticate } from '../../domain/accounts.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function requirePrincipal(deps: DomainDeps, request: FastifyRequest): Promise<Principal> {
  return authenticate(deps, bearerToken(request));
}

/** OpenAPI: marks a route as needing the bearer token. */
export const bearerSecurity = [{ bearerAuth: [] }];
