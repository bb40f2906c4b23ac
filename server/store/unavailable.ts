/**
 * The one place that decides whether a database failure is the database being away (stopped,
 * restarting, unreachable, out of connections) rather than something wrong with the statement or
 * with our code. The first kind is worth retrying later, and clients are told so (UNAVAILABLE);
 * the second is a bug (INTERNAL). Decided by error codes only, never by reading messages: the
 * driver's own codes (postgres.js), Node's socket errno codes, and PostgreSQL's SQLSTATE, so it
 * holds for any PostgreSQL reached through postgres.js.
 */

/** Node's socket errors: the connection was refused, reset, timed out or never found its host. */
const SOCKET_ERRNO_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * postgres.js: a connection that closed under a query, was destroyed, or could not connect in
 * time. Not CONNECTION_ENDED: that is a query after this process ended its own pool, which no
 * retry will cure.
 */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/**
 * SQLSTATEs after which the same statement can succeed later: the server is shutting down or
 * starting (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), and the
 * transaction lost a race it can win next time (40001 serialization failure, 40P01 deadlock).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);
/** SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many connections, out of memory or disk). */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53']);

export function isDatabaseUnavailable(error: unknown): boolean {
  return someCodeIn(error, isTransientCode);
}

/** The connection under a statement is gone (closed, destroyed, reset): nothing more can be sent on it. */
export function isConnectionLost(error: unknown): boolean {
  return someCodeIn(error, (code) => SOCKET_ERRNO_CODES.has(code) || DRIVER_CODES.has(code));
}

function someCodeIn(error: unknown, matches: (code: string) => boolean): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  // Drizzle wraps the driver's error in `cause`; Node reports a failed dual-stack connect as an
  // AggregateError of the attempts. Look through both.
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && matches(code)) return true;
    pending.push((current as { cause?: unknown }).cause);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}

function isTransientCode(code: string): boolean {
  if (SOCKET_ERRNO_CODES.has(code) || DRIVER_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
  return /^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}
