/** Liveness and readiness probes for process managers and load balancers. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { InFlight } from '../../in-flight.ts';

const Liveness = Type.Object({ status: Type.Literal('ok') });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  checks: Type.Record(Type.String(), Type.String(), { description: "Each part's state: database, redis (when configured), gateway (draining)" }),
});

export function healthRoutes(checks: { database: () => Promise<void>; redis: (() => Promise<void>) | null }, inFlight: InFlight): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up', response: { 200: Liveness } } }, async () => ({ status: 'ok' }));

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'The database (and Redis, when configured) answer',
          description: '503 when one of them does not answer within 2 s, or while the gateway drains for a restart',
          response: { 200: Readiness, 503: Readiness },
        },
      },
      async (_request, reply) => {
        const results: Record<string, string> = {};
        let ready = !inFlight.isDraining;
        if (inFlight.isDraining) results.gateway = 'draining';
        for (const [name, check] of Object.entries({ database: checks.database, redis: checks.redis })) {
          if (!check) continue;
          try {
            await withTimeout(check(), 2_000);
            results[name] = 'ok';
          } catch (error) {
            ready = false;
            results[name] = `unreachable: ${(error as Error).message}`;
          }
        }
        return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: results });
      },
    );
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
