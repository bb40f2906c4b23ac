import type { Logger } from 'pino';
import { ChangeReporter } from './change-reporter.ts';
import { LocalSockets } from './local-sockets.ts';
import type { Presence, PresenceChange } from './presence.ts';

/** One gateway process: its own sockets are everyone's sockets, and nothing can die without it. */
export class LocalPresence implements Presence {
  private readonly sockets = new LocalSockets();
  private readonly reporter: ChangeReporter;
  /** `userId roomId` → until when a typing indicator may not be relayed again. */
  private readonly typingUntil = new Map<string, number>();
  private nextTypingPrune = 0;

  constructor(log: Logger) {
    this.reporter = new ChangeReporter(log);
  }

  socketConnected(userId: string, socketId: string): void {
    if (this.sockets.add(userId, socketId)) this.reporter.report({ userId, online: true });
  }

  socketDisconnected(userId: string, socketId: string): void {
    if (this.sockets.remove(userId, socketId)) this.reporter.report({ userId, online: false });
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((userId) => this.sockets.has(userId)));
  }

  async claimTypingSlot(userId: string, roomId: string, intervalMs: number): Promise<boolean> {
    const now = Date.now();
    const key = `${userId} ${roomId}`;
    if ((this.typingUntil.get(key) ?? 0) > now) return false;
    this.typingUntil.set(key, now + intervalMs);
    if (now >= this.nextTypingPrune) {
      // Expired slots are dead weight; a lazy sweep now and then keeps the map to active typists.
      for (const [slot, until] of this.typingUntil) if (until <= now) this.typingUntil.delete(slot);
      this.nextTypingPrune = now + 60_000;
    }
    return true;
  }

  onChange(handler: (change: PresenceChange) => Promise<void>): void {
    this.reporter.setHandler(handler);
  }

  async close(): Promise<void> {
    await this.reporter.drained();
    this.typingUntil.clear();
  }
}
