/**
 * The socket protocol as types (docs/protocol.md, "Socket.IO"): every event the server emits with
 * its payload, and every event a client sends with its payload, the schema the gateway checks it
 * with, and what its acknowledgement carries. The server's LiveUpdates, fan-out bus and socket
 * handlers and the SDK's socket are all typed with these maps, so a payload that drifts from the
 * protocol fails to compile on whichever side drifted.
 */
import type { TSchema } from 'typebox';
import {
  SocketMessageRefPayload,
  SocketEditPayload,
  SocketReactionPayload,
  SocketReadPayload,
  SocketSendPayload,
  SocketTypingPayload,
  SyncPayload,
  type Ack,
  type JoinRequest,
  type Message,
  type PresenceEvent,
  type ReactionsResponse,
  type ReadPosition,
  type Recall,
  type ReportReason,
  type ReviewDecidedEvent,
  type RoomChange,
  type SyncResult,
  type TypingEvent,
} from './schemas.ts';
import type { DmOpenedEvent, DmRequestEvent, MemberNotificationsEvent, ReportDecidedEvent } from './people.ts';

// ---- Server → client ----

/**
 * A safety finding as owner and admins see it: the sender's `code` and `message`, plus the rule
 * that produced it, what it asked for, and (for them only) what matched.
 */
export interface StaffSafetyReason {
  code: string;
  message: string;
  rule: string;
  action: 'flag' | 'hold' | 'block';
  detail?: string;
}

/** `room:removed` to a user who is no longer in the room because of someone else. */
export interface RoomRemovedEvent {
  roomId: string;
  reason: 'kicked' | 'banned' | 'dissolved';
}

/** `member:muted` to the muted member. */
export interface MemberMutedEvent {
  roomId: string;
  /** ISO time, or null: until an admin unmutes them. */
  until: string | null;
  /** '' when the admin gave none. */
  reason: string;
  /** Muted by the safety rules (repeated refused messages), not by a person. */
  automatic?: true;
}

/** `member:unmuted` to the member who may speak again. */
export interface MemberUnmutedEvent {
  roomId: string;
}

/** `member:updated` to the room when a member sets or clears their nickname (群昵称). */
export interface MemberUpdatedEvent {
  roomId: string;
  userId: string;
  nickname: string | null;
}

/** `join:requested` to the staff of an approval room. */
export interface JoinRequestedEvent {
  roomId: string;
  request: JoinRequest;
}

/** `join:decided` to the applicant. */
export interface JoinDecidedEvent {
  roomId: string;
  requestId: string;
  status: 'approved' | 'rejected';
}

/** `message:flagged` to the staff: a message was delivered but the safety rules flagged it. */
export interface MessageFlaggedEvent {
  roomId: string;
  seq: number;
  reasons: StaffSafetyReason[];
}

/** `review:new` to the staff: a message or an attachment was held, or a member reported a message. */
export type ReviewNewEvent =
  | { roomId: string; kind: 'held'; heldId: string; reasons: StaffSafetyReason[] }
  | { roomId: string; kind: 'attachment'; attachmentId: string; reasons: StaffSafetyReason[] }
  | { roomId: string; kind: 'report'; seq: number; reason: ReportReason; openReports: number; hidden: boolean }
  | { roomId: string; kind: 'signupEntry'; signupId: string; userId: string; reasons: StaffSafetyReason[] }
  /** A member proposed a meetup (the room lets members propose; GET /v1/rooms/{roomId}/events?status=proposed lists them). */
  | { roomId: string; kind: 'eventProposal'; eventId: string; title: string; userId: string };

/** `event:rsvp` to a member whose place at a meetup changed without their asking: promoted from the waitlist, or the meetup was cancelled. */
export interface MeetupRsvpEvent {
  roomId: string;
  eventId: string;
  title: string;
  status: 'confirmed' | 'waitlisted' | 'declined';
  reason: 'promoted' | 'cancelled';
  /** The exact place, now that the member is confirmed (promoted). */
  place?: { name: string; area: string | null; detail: string | null };
}

/** `event:reminder` to a meetup's confirmed attendees, 24 h and 1 h before it starts. */
export interface MeetupReminderEvent {
  roomId: string;
  eventId: string;
  title: string;
  startsAt: string;
  before: '24h' | '1h';
  place: { name: string; area: string | null; detail: string | null };
}

/** `error:event` to a socket that sent an event the server could not answer (no ack callback). */
export interface SocketErrorEvent {
  /** The event that was ignored. */
  event: string;
  code: string;
  message: string;
}

/** Events the server emits to sockets. */
export interface ServerToClientEvents {
  /** A stored message, to the room, in seq order per room. */
  message: (message: Message) => void;
  /** A change-feed entry, to the room. */
  'room:change': (change: RoomChange) => void;
  'message:recalled': (recall: Recall) => void;
  /** The user's read position moved (any of their devices). */
  read: (position: ReadPosition) => void;
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  'room:removed': (event: RoomRemovedEvent) => void;
  'member:muted': (event: MemberMutedEvent) => void;
  'member:unmuted': (event: MemberUnmutedEvent) => void;
  'member:updated': (event: MemberUpdatedEvent) => void;
  'join:requested': (event: JoinRequestedEvent) => void;
  'join:decided': (event: JoinDecidedEvent) => void;
  'message:flagged': (event: MessageFlaggedEvent) => void;
  'review:new': (event: ReviewNewEvent) => void;
  'review:decided': (event: ReviewDecidedEvent) => void;
  'event:rsvp': (event: MeetupRsvpEvent) => void;
  'event:reminder': (event: MeetupReminderEvent) => void;
  'error:event': (event: SocketErrorEvent) => void;
  /** A message request to you (POST /v1/dms to someone who does not take your messages yet). */
  'dm:request': (event: DmRequestEvent) => void;
  /** Your DM room with someone was created: its messages arrive as `message` from now on. */
  'dm:opened': (event: DmOpenedEvent) => void;
  /** Your do-not-disturb setting of a room changed (on another device, say). */
  'member:notifications': (event: MemberNotificationsEvent) => void;
  /** Staff decided a report you filed. */
  'report:decided': (event: ReportDecidedEvent) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * One server → client event as a value, its name and payload kept together: `ServerEvent` is the
 * union over every event, so checking `name` narrows `payload`.
 */
export type ServerEvent<E extends ServerEventName = ServerEventName> = { [K in E]: { name: K; payload: ServerEventPayload<K> } }[E];

// ---- Client → server ----

/** What `message:send` acknowledges (the same as the HTTP send, plus whether it was a retry). */
export interface SendMessageResult {
  message: Message;
  /** The server already had this clientMsgId: `message` is the stored original. */
  duplicate: boolean;
}

export interface EditResult {
  message: Message;
}

export interface RecallResult {
  recall: Recall;
}

export interface TypingResult {
  /** false when the indicator was dropped by the per-user rate limit. */
  relayed: boolean;
}

/** The callback a client event is sent with: `{ ok: true, ...result }` or `{ ok: false, error }`. */
export type Acknowledge<T> = (response: Ack<T>) => void;

/** Events a client sends; every one takes an acknowledgement callback. */
export interface ClientToServerEvents {
  'message:send': (payload: SocketSendPayload, ack: Acknowledge<SendMessageResult>) => void;
  sync: (payload: SyncPayload, ack: Acknowledge<SyncResult>) => void;
  'message:recall': (payload: SocketMessageRefPayload, ack: Acknowledge<RecallResult>) => void;
  /** Edit your own text (the same rules as PATCH /v1/rooms/{roomId}/messages/{seq}); the room hears a `room:change` of kind `edit`. */
  'message:edit': (payload: SocketEditPayload, ack: Acknowledge<EditResult>) => void;
  'reaction:add': (payload: SocketReactionPayload, ack: Acknowledge<ReactionsResponse>) => void;
  'reaction:remove': (payload: SocketReactionPayload, ack: Acknowledge<ReactionsResponse>) => void;
  read: (payload: SocketReadPayload, ack: Acknowledge<ReadPosition>) => void;
  typing: (payload: SocketTypingPayload, ack: Acknowledge<TypingResult>) => void;
}

export type ClientEventName = keyof ClientToServerEvents;
export type ClientEventPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
/** What a successful acknowledgement of the event carries besides `ok: true`. */
export type ClientEventResult<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[1] extends Acknowledge<infer R extends object> ? R : never;

/** The schema the gateway checks each client event's payload with; its Static<> is the payload above. */
export const ClientEventSchemas = {
  'message:send': SocketSendPayload,
  sync: SyncPayload,
  'message:recall': SocketMessageRefPayload,
  'message:edit': SocketEditPayload,
  'reaction:add': SocketReactionPayload,
  'reaction:remove': SocketReactionPayload,
  read: SocketReadPayload,
  typing: SocketTypingPayload,
} as const satisfies Record<ClientEventName, TSchema>;
