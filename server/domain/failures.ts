/**
 * What a client is told when an action failed with something other than one of our own refusals
 * (an AppError): the database being away is UNAVAILABLE, to retry later with the same request
 * (a send with the same clientMsgId); anything else is INTERNAL, a bug. Both transports and the
 * socket handshake answer through here, so HTTP and sockets can never disagree.
 */
import type { Logger } from 'pino';
import { AppError, isAppError } from '../errors.ts';
import { isDatabaseUnavailable } from '../store/unavailable.ts';

/**
 * How long a client should wait before retrying after UNAVAILABLE. About the time a restarting
 * PostgreSQL needs, and the database driver's longest pause between reconnection attempts
 * (store/db.ts), so a retry after it meets a fresh attempt.
 */
export const UNAVAILABLE_RETRY_AFTER_MS = 1_000;

/** While the database is away every request fails the same way: one log line per interval, with the count since the last one. */
const OUTAGE_LOG_INTERVAL_MS = 5_000;
let lastOutageLine = -Infinity;
let answeredSinceLastLine = 0;

export function unavailable(): AppError {
  return new AppError('UNAVAILABLE', undefined, { retryAfterMs: UNAVAILABLE_RETRY_AFTER_MS });
}

/** The answer to an action that threw `error`; logs what is not a refusal. `what` names the failed step in the log. */
export function answerToFailure(error: unknown, log: Pick<Logger, 'warn' | 'error'>, what: string): AppError {
  if (isAppError(error)) return error;
  if (isDatabaseUnavailable(error)) {
    answeredSinceLastLine += 1;
    const now = performance.now();
    if (now - lastOutageLine >= OUTAGE_LOG_INTERVAL_MS) {
      log.warn({ err: error, answered: answeredSinceLastLine }, 'database unreachable: answering UNAVAILABLE');
      lastOutageLine = now;
      answeredSinceLastLine = 0;
    }
    return unavailable();
  }
  log.error({ err: error }, what);
  return new AppError('INTERNAL');
}
