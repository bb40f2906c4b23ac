/**
 * Every failure the SDK reports is a QuanziError carrying the server's stable `code`
 * (docs/protocol.md), so callers branch on codes whether the call went over HTTP or a socket.
 * Codes the SDK itself adds: NETWORK (the request never got an answer) and TIMEOUT (a send was
 * not acknowledged before its deadline; retrying with the same clientMsgId is safe).
 * `isRetryable` says which codes are worth the same request again.
 */
export class QuanziError extends Error {
  override name = 'QuanziError';
  readonly code: string;
  /** HTTP status when the error came from a REST call. */
  readonly status: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: { status?: number; details?: Record<string, unknown> } = {}) {
    super(message);
    this.code = code;
    this.status = options.status;
    this.details = options.details;
  }

  /** The `{ code, message }` pair as the wire carries it, e.g. to show next to a refused message. */
  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isQuanziError(value: unknown): value is QuanziError {
  return value instanceof QuanziError;
}

/**
 * Errors after which retrying the very same request can succeed: no answer (NETWORK, TIMEOUT), a
 * gateway restarting (SHUTTING_DOWN) and a database away for now (UNAVAILABLE). INTERNAL is a bug
 * on the server's side: the same request would meet it again.
 */
export function isRetryable(error: unknown): boolean {
  return isQuanziError(error) && RETRYABLE_CODES.has(error.code);
}

const RETRYABLE_CODES = new Set(['NETWORK', 'TIMEOUT', 'SHUTTING_DOWN', 'UNAVAILABLE']);

/** The server's own estimate of when a retry can succeed (`details.retryAfterMs` of UNAVAILABLE), if it gave one. */
export function retryAfterMsOf(error: unknown): number | null {
  const hint = isQuanziError(error) ? error.details?.retryAfterMs : undefined;
  return typeof hint === 'number' && Number.isFinite(hint) && hint >= 0 ? hint : null;
}
