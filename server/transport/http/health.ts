/** Liveness and readiness probes for process managers and load balancers. */
import type { FastifyPluginAsync } from 'fastify';
import type { InFlight } from '../../in-flight.ts';

export function healthRoutes(checks: { database: () => Promise<void>; redis: (() => Promise<void>) | null }, inFlight: InFlight): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));

    app.get('/readyz', { schema: { tags: ['health'], summary: 'The database (and Redis, when configured) answer' } }, async (_request, reply) => {
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
    });
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
