/**
 * Every Redis connection the gateway opens reports its outages through the logger, once each:
 * ioredis emits `error` on every failed reconnection attempt (several a second while Redis is
 * down), and a client with no `error` listener prints "Unhandled error event" to stderr,
 * outside the log, each time. The first error of an outage is logged; the rest are counted and
 * reported with the recovery ("Redis reachable again") when the connection is ready again.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export function reportRedisOutages(client: Redis, name: string, log: Logger): void {
  let down = false;
  let errorsWhileDown = 0;
  client.on('error', (error: Error) => {
    if (down) {
      errorsWhileDown += 1;
      return;
    }
    down = true;
    errorsWhileDown = 1;
    log.error({ err: error, redis: name }, 'Redis unreachable: retrying in the background');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ redis: name, errorsWhileDown }, 'Redis reachable again');
  });
}
