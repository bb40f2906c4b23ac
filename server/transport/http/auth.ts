/**
 * Who is asking, decided once per request. `authenticated(deps, routes)` registers the API's route
 * plugins inside one scope whose hook reads `Authorization: Bearer <token>` (people) or
 * `Authorization: Bot <token>` (bots) and sets `request.principal` before any handler runs, so no
 * handler authenticates by itself. A route says what it accepts in its `config`:
 * `{ public: true }` (no token: sign-up, sign-in, incoming webhooks), `{ allowBots: true }` (a bot
 * token too; what it may do is then its token's scopes, checked in the domain), `{ mediaCookie:
 * true }` (the attachment byte routes: the browser's media cookie too, below). Everything else is
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
  /** GET/HEAD of attachment bytes: the media cookie stands in for a missing Authorization header. */
  mediaCookie?: boolean;
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
  if (access.mediaCookie && !request.headers.authorization) return mediaCookiePrincipal(deps, request);
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
 * Who asks for attachment bytes without an Authorization header: the holder of the media cookie.
 * A cookie goes with any request the browser makes to this host, so it counts only for requests
 * made by this site's own pages: SameSite=Strict keeps it off requests started by other sites in
 * browsers that honour it, and the fetch metadata and Origin checks here refuse what still gets
 * through (an older browser, a sibling subdomain, a page in a frame).
 */
async function mediaCookiePrincipal(deps: DomainDeps, request: FastifyRequest): Promise<Principal> {
  const token = mediaCookieOf(request);
  if (!token) return authenticate(deps, undefined);
  const site = request.headers['sec-fetch-site'];
  // `none` is the person themselves (an address typed, a bookmark, a download opened again).
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new AppError('CROSS_SITE_REFUSED', undefined, { secFetchSite: site });
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== ownOrigin(request)) throw new AppError('CROSS_SITE_REFUSED', undefined, { origin });
  return authenticate(deps, token);
}

/** This server's origin as the browser addressed it (through a trusted proxy: as the proxy was addressed). */
function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** OpenAPI: the attachment byte routes take the bearer token or the media cookie. */
export const mediaSecurity: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { mediaCookie: [] }];
