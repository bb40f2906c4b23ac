import type { Presence, PresenceChange } from './presence.ts';

/**
 * Holds a dropped socket's departure for a grace period before presence hears of it. A phone
 * going through a tunnel, a page reload or a network switch closes the socket and opens another
 * a moment later; without the grace every such blip tells all of the user's rooms "offline",
 * then "online" again. With it, a user back within the grace was never gone, and nobody hears
 * anything. A departure the server decided (signing out, a shutdown) is passed on at once.
 */
export class OfflineGrace implements Presence {
  /** socketId → the held departure. */
  private readonly held = new Map<string, { userId: string; timer: NodeJS.Timeout }>();

  constructor(
    private readonly inner: Presence,
    private readonly graceMs: number,
  ) {}

  socketConnected(userId: string, socketId: string): void {
    this.inner.socketConnected(userId, socketId);
  }

  /** The socket is gone for good: presence hears of it now. */
  socketDisconnected(userId: string, socketId: string): void {
    this.release(socketId);
    this.inner.socketDisconnected(userId, socketId);
  }

  /** The socket dropped (the client's side or the network): presence hears of it after the grace. */
  socketDropped(userId: string, socketId: string): void {
    if (this.graceMs <= 0) return this.socketDisconnected(userId, socketId);
    const timer = setTimeout(() => this.socketDisconnected(userId, socketId), this.graceMs);
    timer.unref();
    this.held.set(socketId, { userId, timer });
  }

  onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return this.inner.onlineAmong(userIds);
  }

  claimTypingSlot(userId: string, roomId: string, intervalMs: number): Promise<boolean> {
    return this.inner.claimTypingSlot(userId, roomId, intervalMs);
  }

  onChange(handler: (change: PresenceChange) => Promise<void>): void {
    this.inner.onChange(handler);
  }

  /** Passes every held departure on before closing, so the announcements go out with this gateway. */
  async close(): Promise<void> {
    for (const [socketId, { userId }] of [...this.held]) this.socketDisconnected(userId, socketId);
    await this.inner.close();
  }

  private release(socketId: string): void {
    const held = this.held.get(socketId);
    if (held) clearTimeout(held.timer);
    this.held.delete(socketId);
  }
}
