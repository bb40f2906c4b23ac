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

/**
 * The media cookie (docs/protocol.md, "How a browser shows an image"): the web client's session
 * token again, so that `<img>`, `<video>` and download links can load attachment bytes without
 * the token in a URL (where it would end up in history, logs and Referer headers). It is the
 * session token itself rather than a second credential, so signing out or revoking the session
 * ends it too, on every gateway at once.
 */
export const MEDIA_COOKIE = 'quanzi_media';
/** Sent only with requests for attachment bytes, never with the API's other routes. */
export const MEDIA_COOKIE_PATH = '/v1/attachments';
/**
 * Sessions last until signed out; 400 days is the longest a browser keeps a cookie. The client
 * sets the cookie again each time it starts, so a cookie that expired earlier comes back.
 */
export const MEDIA_COOKIE_MAX_AGE_SECONDS = 400 * 86_400;

/** `Set-Cookie` for the media cookie; an empty token clears it. */
export function mediaCookieHeader(request: FastifyRequest, token: string | null): string {
  const attributes = [`${MEDIA_COOKIE}=${token ?? ''}`, 'HttpOnly', 'SameSite=Strict', `Path=${MEDIA_COOKIE_PATH}`, `Max-Age=${token ? MEDIA_COOKIE_MAX_AGE_SECONDS : 0}`];
  // request.protocol is https when TLS ends here, or at a proxy the config trusts (TRUST_PROXY).
  if (request.protocol === 'https') attributes.push('Secure');
  return attributes.join('; ');
}

function mediaCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === MEDIA_COOKIE) return pair.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Who asks for attachment bytes: the bearer (or bot) token when there is one, else the media
 * cookie. A cookie goes with any request the browser makes to this host, so it counts only for
 * requests made by this site's own pages: SameSite=Strict keeps it off requests started by other
 * sites in browsers that honour it, and the fetch metadata and Origin checks here refuse what
 * still gets through (an older browser, a sibling subdomain, a page in a frame).
 */
export function requireMediaPrincipal(deps: DomainDeps, request: FastifyRequest): Promise<Principal> {
  if (request.headers.authorization) return requirePrincipal(deps, request);
  const token = mediaCookieOf(request);
  if (!token) return authenticate(deps, undefined);
  const site = request.headers['sec-fetch-site'];
  // `none` is the person themselves (an address typed, a bookmark, a download opened again).
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return Promise.reject(new AppError('CROSS_SITE_REFUSED', undefined, { secFetchSite: site }));
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== ownOrigin(request)) return Promise.reject(new AppError('CROSS_SITE_REFUSED', undefined, { origin }));
  return authenticate(deps, token);
}

/** This server's origin as the browser addressed it (through a trusted proxy: as the proxy was addressed). */
function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** OpenAPI: the attachment byte routes take the bearer token or the media cookie. */
export const mediaSecurity: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { mediaCookie: [] }];
