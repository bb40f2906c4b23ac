/**
 * The one catalogue of errors a client can see. HTTP answers with `status` and
 * `{ error: { code, message } }`; socket acks answer `{ ok: false, error: { code, message } }`.
 * Codes are stable: clients branch on them, so never rename one.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request is malformed' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is over the size limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as JSON (Content-Type: application/json)' },
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
  OWNER_MUST_TRANSFER: { status: 409, message: 'You own rooms: transfer ownership or dissolve them before deleting your account' },
  ROOM_FULL: { status: 409, message: 'This room has reached its member limit' },
  MESSAGE_EMPTY: { status: 400, message: 'A message needs some text or an attachment' },
  MESSAGE_TOO_LONG: { status: 400, message: 'A message may have at most 4000 characters' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This clientMsgId was already used for a different message' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down' },
  SHUTTING_DOWN: { status: 503, message: 'The server is restarting; retry in a moment' },
  // The database is unreachable for now (stopped, restarting, out of connections): nothing was
  // done, and the same request can succeed later; `details.retryAfterMs` says when to try again.
  UNAVAILABLE: { status: 503, message: 'The server cannot reach its database right now; retry in a moment' },
  // Refused by Node's HTTP parser before any route ran (see transport/http/client-errors.ts).
  HEADERS_TOO_LARGE: { status: 431, message: 'The request line and headers are over the size limit' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request did not arrive in time' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side' },
  // Message actions: recall, reactions, pins, announcements.
  MESSAGE_NOT_FOUND: { status: 404, message: 'No message with that seq in this room' },
  RECALL_WINDOW_PASSED: { status: 403, message: 'This message is too old to recall' },
  ALREADY_RECALLED: { status: 409, message: 'This message was already recalled' },
  MESSAGE_RECALLED: { status: 409, message: 'This message was recalled' },
  // Edits and forwards
  NOT_YOUR_MESSAGE: { status: 403, message: 'You can only edit your own messages' },
  EDIT_WINDOW_PASSED: { status: 403, message: 'This message is too old to edit' },
  MESSAGE_UNDER_REVIEW: { status: 409, message: 'This message is hidden while staff review reports about it' },
  FORWARDING_DISABLED: { status: 403, message: "This room's owner does not allow forwarding its messages" },
  INVALID_EMOJI: { status: 400, message: 'A reaction must be a single emoji' },
  REACTION_LIMIT_REACHED: { status: 409, message: 'This message already has the maximum number of different reactions' },
  PIN_LIMIT_REACHED: { status: 409, message: 'This room already has the maximum number of pinned messages; unpin one first' },
  ANNOUNCEMENT_NOT_FOUND: { status: 404, message: 'This room has no announcement' },
  // Running a group
  MUTED: { status: 403, message: 'You are muted in this room' },
  MUTE_ALL_ACTIVE: { status: 403, message: 'Everyone is muted in this room; only the owner and admins can speak' },
  SLOW_MODE: { status: 429, message: 'Slow mode is on in this room; wait before sending again' },
  MENTION_ALL_LIMIT: { status: 429, message: 'This room has used its @all mentions for the day' },
  BANNED: { status: 403, message: 'You are banned from this room' },
  INVITE_REQUIRED: { status: 403, message: 'This room is invite-only; ask a member for an invite link' },
  INVITE_INVALID: { status: 404, message: 'This invite link is invalid, expired, used up or revoked' },
  JOIN_REQUEST_PENDING: { status: 409, message: 'Your request to join is waiting for an admin' },
  JOIN_REQUEST_NOT_FOUND: { status: 404, message: 'No such pending join request' },
  ADMIN_LIMIT_REACHED: { status: 409, message: 'This room already has the maximum number of admins' },
  TARGET_NOT_MEMBER: { status: 404, message: 'That user is not a member of this room' },
  CANNOT_TARGET_SELF: { status: 400, message: 'You cannot do that to yourself' },
  MEMBER_LIMIT_TOO_LOW: { status: 409, message: 'The room already has more members than that limit' },
  // Safety
  BLOCKED_BY_SAFETY: { status: 422, message: "This message was blocked by the room's safety rules" },
  STAFF_IMPERSONATION: { status: 422, message: "That name looks like one of this room's owner or admins, or claims their title" },
  // Accepted, not delivered: the HTTP status is 202 because the message is kept for review.
  HELD_FOR_REVIEW: { status: 202, message: 'This message is waiting for an admin to review it' },
  HELD_MESSAGE_NOT_FOUND: { status: 404, message: 'No such message in the review queue' },
  // Review queue and reports
  ALREADY_DECIDED: { status: 409, message: 'Someone already decided this review item' },
  REJECTED_IN_REVIEW: { status: 422, message: 'An admin reviewed this message and did not deliver it' },
  ALREADY_REPORTED: { status: 409, message: 'You already reported this message' },
  NOTHING_TO_REVIEW: { status: 404, message: 'This message has no open reports' },
  // Bots, webhooks, slash commands, scheduled posts
  BOT_NOT_FOUND: { status: 404, message: 'No such bot, or it is not yours to manage' },
  COMMAND_TAKEN: { status: 409, message: 'Another bot already handles that slash command in this room' },
  WEBHOOK_URL_INVALID: { status: 400, message: 'The webhook URL must be HTTPS' },
  SCHEDULE_NOT_FOUND: { status: 404, message: 'No such scheduled post in this room' },
  SCHEDULE_INVALID: { status: 400, message: 'The schedule is invalid' },
  // Attachments (photos, videos, files)
  ATTACHMENT_TOO_LARGE: { status: 413, message: 'This file is over the size limit' },
  ATTACHMENT_TYPE_REFUSED: { status: 415, message: 'This kind of file cannot be posted (programs and installers are refused)' },
  ATTACHMENT_NOT_FOUND: { status: 404, message: 'No such attachment' },
  ATTACHMENT_NOT_READY: { status: 409, message: 'This attachment is not ready to be shown or sent' },
  ATTACHMENT_ALREADY_SENT: { status: 409, message: 'This upload was already sent in a message; upload it again to send it again' },
  STORAGE_QUOTA_EXCEEDED: { status: 413, message: 'There is no storage left for this file' },
  UPLOAD_INCOMPLETE: { status: 400, message: 'The upload stopped before the whole file arrived; nothing was kept' },
  CROSS_SITE_REFUSED: { status: 403, message: 'The media cookie works only on pages of this site; another site cannot load attachments with it' },
  // A picture is decoded before it is kept (size, thumbnail, metadata removal); these are the
  // pictures it cannot be, refused rather than served with their location still inside.
  IMAGE_TOO_LARGE: { status: 422, message: 'This picture has too many pixels to be opened safely' },
  IMAGE_UNREADABLE: { status: 422, message: 'This picture is damaged or in a format the server cannot open; save it as JPEG or PNG and try again' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested byte range is outside the file' },
  // People: profiles, direct messages, blocks, the site-level review queue
  USER_NOT_FOUND: { status: 404, message: 'No such user' },
  // One answer for "blocked you" and "takes no DMs": the sender must not learn which.
  DM_NOT_ALLOWED: { status: 403, message: 'This person does not take direct messages from you' },
  DM_REQUEST_PENDING: { status: 409, message: 'You already sent this person a message request; you can write again once they accept it' },
  DM_REQUEST_NOT_FOUND: { status: 404, message: 'No such message request waiting for you' },
  DM_ROOM: { status: 409, message: 'A direct conversation has no roles, invites or joining, and cannot be left' },
  YOU_BLOCKED_USER: { status: 409, message: 'You blocked this person; unblock them to message them' },
  AVATAR_INVALID: { status: 422, message: 'An avatar must be a picture you uploaded yourself, ready to show' },
  SITE_ADMIN_ONLY: { status: 403, message: 'Only site moderators can do that' },
  NOT_SUSPENDED: { status: 409, message: 'This account is not suspended' },
  REPORT_NOT_FOUND: { status: 404, message: 'No such open report' },
  ACCOUNT_SUSPENDED: { status: 403, message: 'This account is suspended' },
  // Community life: 接龙, polls, must-read rules, meetups (docs/protocol.md, "Community")
  TIME_IN_PAST: { status: 400, message: 'That time has already passed' },
  SIGNUP_NOT_FOUND: { status: 404, message: 'No such sign-up list' },
  SIGNUP_CLOSED: { status: 409, message: 'This sign-up list is closed' },
  SIGNUP_FULL: { status: 409, message: 'This sign-up list is full' },
  ALREADY_SIGNED_UP: { status: 409, message: 'You are already on this list; edit or remove your line instead' },
  ENTRY_NOT_FOUND: { status: 404, message: 'You have no line on this list' },
  POLL_NOT_FOUND: { status: 404, message: 'No such poll' },
  POLL_CLOSED: { status: 409, message: 'This poll is closed' },
  POLL_OPTIONS_INVALID: { status: 400, message: 'A poll needs 2 to 20 different options' },
  POLL_OPTION_NOT_FOUND: { status: 400, message: 'That option is not part of this poll' },
  POLL_SINGLE_CHOICE: { status: 400, message: 'This poll takes one option only' },
  RULES_NOT_ACCEPTED: { status: 403, message: 'Read and accept the room rules before you take part' },
  RULES_NOT_FOUND: { status: 404, message: 'This room has no rules' },
  EVENT_NOT_FOUND: { status: 404, message: 'No such meetup' },
  EVENT_ENDS_BEFORE_START: { status: 400, message: 'A meetup cannot end before it starts' },
  CAPACITY_TOO_LARGE: { status: 400, message: "The capacity is over the room's member limit" },
  EVENT_CANCELLED: { status: 409, message: 'This meetup was cancelled' },
  // A member's proposal (status proposed) until staff approve it; decided once.
  EVENT_NOT_APPROVED: { status: 409, message: 'This meetup is waiting for the staff to approve it' },
  EVENT_NOT_PROPOSED: { status: 409, message: 'This meetup is not a proposal waiting for a decision' },
  RSVP_CLOSED: { status: 409, message: 'RSVPs for this meetup are closed' },
  ON_PROBATION: { status: 403, message: 'New members observe for a while before joining meetups' },
  SAFETY_CHECKLIST_REQUIRED: { status: 409, message: 'Read the meeting-safety checklist first, then RSVP again with checklistSeen: true' },
  NOT_CONFIRMED: { status: 409, message: 'Only confirmed attendees can do that' },
  EVENT_NOT_STARTED: { status: 409, message: 'This meetup has not started yet' },
  CHALLENGE_NOT_FOUND: { status: 404, message: 'No such check-in challenge' },
  CHALLENGE_DATES_INVALID: { status: 400, message: 'A challenge needs real dates, ending on or after its first day' },
  TIME_ZONE_INVALID: { status: 400, message: 'Unknown time zone; use an IANA name such as Asia/Shanghai' },
  CHALLENGE_NOT_STARTED: { status: 409, message: 'This challenge has not started yet' },
  CHALLENGE_ENDED: { status: 409, message: 'This challenge is over' },
  ALREADY_CHECKED_IN: { status: 409, message: 'You already checked in for this period' },
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
