/**
 * Serves the web client (client/web/dist, built by `npm run build:web`) at `/`, with index.html
 * for the client's own routes (/rooms/…, /invite/…). The API, the docs, Socket.IO and the probes
 * keep their paths: a miss under them is the API's JSON 404, never the page.
 * When dist is missing (tests, a fresh checkout before the build) a small page says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { PROJECT_ROOT } from '../../project-root.ts';

export const WEB_CLIENT_DIR = path.join(PROJECT_ROOT, 'client', 'web', 'dist');

const NOT_CLIENT_ROUTES = ['/v1', '/docs', '/socket.io', '/healthz', '/readyz', '/metrics'];

// The page renders messages from strangers: even if an injection slipped past the client's
// escaping, it could neither run script nor send data anywhere but this server.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // data: for the ThumbHash placeholders, blob: for previews of files being uploaded (never fetched).
  "img-src 'self' data: blob:",
  // blob: for the video being uploaded, whose first frame becomes its poster (media/poster.ts).
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quanzi</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Quanzi 圈子</h1>
<p>The server is running, but the web client is not built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it first) and reload.</p>
<p>网页客户端尚未构建：请运行 <code>npm run build:web</code> 后刷新。</p>
<p>The API is at <a href="/docs">/docs</a>.</p>
</body></html>`;

export function webClientRoutes(root: string = WEB_CLIENT_DIR): FastifyPluginAsync {
  return async (app) => {
    const built = fs.existsSync(path.join(root, 'index.html'));
    const isClientRoute = (url: string) => !NOT_CLIENT_ROUTES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`));

    app.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'same-origin');
      }
      return payload;
    });

    const page = (reply: FastifyReply) => {
      if (!built) return reply.status(200).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT_PAGE);
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    };

    if (built) {
      await app.register(fastifyStatic, {
        root,
        // Routes for the files present at start-up only: nothing outside dist can be reached.
        wildcard: false,
        index: false,
        setHeaders: (reply, filePath) => {
          // Vite puts content hashes in asset names, so they never change under the same URL.
          reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    }

    app.get('/', { schema: { hide: true } }, (_request, reply) => page(reply));
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      const url = request.url.split('?')[0]!;
      // A path with a file extension is a missing asset, not a client route.
      if (!isClientRoute(url) || /\.[a-z0-9]+$/i.test(url)) return reply.callNotFound();
      return page(reply);
    });
  };
}
