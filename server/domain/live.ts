/**
 * What the domain needs from the realtime layer, without knowing it is Socket.IO.
 * Each call reaches the user's sockets on every gateway process.
 */
import type { ServerEventName, ServerEventPayload } from '../../shared/events.ts';
import type { Message } from '../../shared/schemas.ts';

/** What the message path tells the bot layer; implemented by `BotEventQueue` (bot-events.ts). */
export interface BotEventSink {
  /** A message (text or system) was stored and published. Returns at once; queuing runs behind. */
  messageStored(message: Message): void;
}

/** What the message path tells the link previewer (link-previews.ts); it works behind the ack. */
export interface LinkPreviewSink {
  messageStored(message: Message): void;
}

export interface LiveUpdates {
  /** Deliver a stored message to the room's connected members, in seq order. */
  publishMessage(message: Message): void;
  /**
   * An unsequenced event to the room's connected members (changes, typing, presence);
   * `exceptUserId` leaves out that user's sockets (a typist does not see their own indicator).
   * The payload must be the one shared/events.ts gives the event.
   */
  publishRoomEvent<E extends ServerEventName>(roomId: string, name: E, payload: ServerEventPayload<E>, options?: { exceptUserId?: string }): void;
  /** An event to particular users' sockets wherever they are connected (e.g. staff-only notices). */
  publishToUsers<E extends ServerEventName>(userIds: string[], name: E, payload: ServerEventPayload<E>): void;
  /** The user became a member: their open sockets start receiving the room, and every gateway forgets their room list. */
  addUserToRoom(userId: string, roomId: string): Promise<void>;
  /** The user is no longer a member: their open sockets stop receiving the room, and every gateway forgets their room list. */
  removeUserFromRoom(userId: string, roomId: string): Promise<void>;
  /** A member's speaking facts changed (userId null: the whole room's): every gateway forgets its cached copy. */
  forgetSpeakers(roomId: string, userId: string | null): Promise<void>;
  /** Which bots listen in a room changed (roomId null: in any room): every gateway forgets its cached answer. */
  forgetBotListeners(roomId: string | null): Promise<void>;
  /** `blockerId` blocked `blockedId`: their sockets, on every gateway, stop receiving that user's messages. */
  hideSender(blockerId: string, blockedId: string): Promise<void>;
  /** The block was lifted: their sockets receive that user's messages again. */
  showSender(blockerId: string, blockedId: string): Promise<void>;
  /** The user changed their display name: every gateway forgets the sessions it remembered for them, and their open sockets speak under the new name. */
  renameUser(userId: string, displayName: string): Promise<void>;
  /** The session's token was revoked: close its sockets. */
  disconnectSession(sessionId: string): Promise<void>;
  /** Every session of the user was revoked (the account is gone): close all their sockets and forget their sessions and room list. */
  disconnectUser(userId: string): Promise<void>;
}
