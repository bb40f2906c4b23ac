/**
 * The one catalogue of errors a client can see. HTTP answers with `status` and
 * `{ error: { code, message } }`; socket acks answer `{ ok: false, error: { code, message } }`.
 * Codes are stable: clients branch on them, so never rename one.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request is malformed' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in first: the token is missing, invalid or revoked' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do that' },
  NOT_A_MEMBER: { status: 403, message: 'You are not a member of this room' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  ROOM_NOT_FOUND: { status: 404, message: 'No such room' },
  REPLY_TARGET_NOT_FOUND: { status: 404, message: 'The message you are replying to does not exist in this room' },
  USERNAME_TAKEN: { status: 409, message: 'That username is taken' },
  ALREADY_MEMBER: { status: 409, message: 'You are already a member of this room' },
  OWNER_CANNOT_LEAVE: { status: 409, message: 'The owner must transfer ownership or dissolve the room before leaving' },
  ROOM_FULL: { status: 409, message: 'This room has reached its member limit' },
  MESSAGE_EMPTY: { status: 400, message: 'A message needs some text' },
  MESSAGE_TOO_LONG: { status: 400, message: 'A message may have at most 4000 characters' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This clientMsgId was already used for a different message' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down' },
  SHUTTING_DOWN: { status: 503, message: 'The server is restarting; retry in a moment' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Extra facts a client can act on, e.g. when a mute ends. */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
