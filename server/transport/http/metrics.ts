/**
 * The Prometheus endpoint, and the hook that counts every HTTP request for it. Each gateway
 * answers for itself: Prometheus scrapes every gateway process and sums across them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponse } from '../../../shared/schemas.ts';
import { AppError } from '../../errors.ts';
import type { Metrics } from '../../metrics.ts';

/**
 * Counts every answered request by its route pattern (`/v1/rooms/:roomId/messages`, never the
 * concrete URL, so the series stay bounded). Installed on the root instance before the routes,
 * so it sees all of them; Socket.IO's own requests never reach Fastify and are not counted.
 */
export function observeHttpRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    // The not-found handler answers with no route matched; its URL is whatever the client sent.
    const route = request.is404 ? null : (request.routeOptions.url ?? null);
    metrics.httpAnswered(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
}

/** `token` null: the endpoint is open (docs say to restrict it at the proxy then). */
export function metricsRoutes(metrics: Metrics, token: string | null): FastifyPluginAsync {
  const expected = token === null ? null : digest(`Bearer ${token}`);
  return async (app) => {
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['operations'],
          summary: "This gateway's Prometheus metrics (text exposition format); scrape every gateway",
          description: 'Needs `Authorization: Bearer <METRICS_TOKEN>` when the server is configured with one, else it is open. See README, "Monitoring".',
          security: token === null ? [] : [{ bearerAuth: [] }],
          response: {
            200: { description: 'Prometheus text format, version 0.0.4', content: { 'text/plain': { schema: Type.String() } } },
            '4xx': ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        // Compared as fixed-length digests, so the time taken says nothing about the token.
        if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
          throw new AppError('UNAUTHENTICATED', 'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics');
        }
        const { contentType, body } = await metrics.exposition();
        return reply.type(contentType).send(body);
      },
    );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
