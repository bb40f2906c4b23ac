/**
 * Who is online: a user is online while at least one of their sockets is connected to a live
 * gateway. In-process when there is one gateway, Redis when there are several; nothing outside
 * presence/ knows which. Like fanout/, this is the whole cross-process surface of presence.
 *
 * Each gateway reports only its own sockets. A transition of a user between offline and online
 * is reported once, on one gateway, through `onChange` — including users whose last socket was
 * on a gateway that died, which a surviving gateway notices when its heartbeat expires.
 */
export interface Presence {
  /** A socket of the user connected to this gateway. */
  socketConnected(userId: string, socketId: string): void;
  /** A socket of the user left this gateway. */
  socketDisconnected(userId: string, socketId: string): void;
  /** Which of these users have a socket on a live gateway. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * Claims the right to relay the user's typing indicator in the room: false when one was
   * relayed less than `intervalMs` ago (by any gateway).
   */
  claimTypingSlot(userId: string, roomId: string, intervalMs: number): Promise<boolean>;
  /** Called once per transition, on one gateway; `close` waits for the returned promises. */
  onChange(handler: (change: PresenceChange) => Promise<void>): void;
  /** Stops heartbeats, waits for reported changes to be handled, forgets this gateway's sockets. */
  close(): Promise<void>;
}

export interface PresenceChange {
  userId: string;
  online: boolean;
}
