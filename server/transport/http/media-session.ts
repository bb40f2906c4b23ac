/**
 * The media cookie over HTTP: the web client asks for it after signing in (and on every start),
 * so that its `<img>`, `<video>` and download links load attachment bytes without the bearer
 * token in their URLs. What the cookie is and where it counts: auth.ts, `requireMediaPrincipal`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, NoContent } from '../../../shared/schemas.ts';
import { bearerSecurity, bearerToken, mediaCookieHeader } from './auth.ts';

const tags = ['attachments'];

export function mediaSessionRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/media-session',
      {
        schema: {
          tags,
          summary: 'Browsers: set the media cookie, so that <img> and <video> can load attachments without the token in the URL',
          description:
            'Answers 204 with `Set-Cookie: quanzi_media=<this session token>; HttpOnly; SameSite=Strict; Path=/v1/attachments; Max-Age=…` ' +
            '(and Secure when the browser came over https). Only GET and HEAD of /v1/attachments/* accept the cookie, and only from pages of ' +
            'this site (otherwise 403 CROSS_SITE_REFUSED). It is the session itself: signing out ends it. People only, not bots.',
          security: bearerSecurity,
          response: { 204: NoContent, '4xx': ErrorResponse },
        },
      },
      // The authentication hook has checked the bearer token (auth.ts); the cookie is that token.
      async (request, reply) => {
        // Never cached: the answer carries a credential.
        return reply.status(204).header('cache-control', 'no-store').header('set-cookie', mediaCookieHeader(request, bearerToken(request)!)).send(null);
      },
    );

    app.delete(
      '/v1/media-session',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Clear the media cookie (no token needed: forgetting a credential needs none)',
          response: { 204: NoContent, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => reply.status(204).header('cache-control', 'no-store').header('set-cookie', mediaCookieHeader(request, null)).send(null),
    );
  };
}
