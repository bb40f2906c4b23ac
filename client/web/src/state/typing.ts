/**
 * "I am typing" notices sent to a room: at most one per TYPING_INTERVAL_MS (the server's relay
 * limit), with one trailing notice when typing goes on past the interval, and none after the
 * composer was emptied or sent. Time and the socket are handed in.
 */

/** Mirrors shared/schemas.ts TYPING_INTERVAL_MS (the bundle takes only types from there). */
export const TYPING_INTERVAL_MS = 2000;

export interface TypingPorts {
  /** Whether a notice can go out now (connected). */
  canSend(): boolean;
  /** Sends the notice; resolves to whether the server relayed it. */
  send(roomId: string): Promise<boolean>;
  now?: () => number;
}

export class TypingNotifier {
  private lastSent = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ports: TypingPorts) {}

  private now(): number {
    return this.ports.now?.() ?? Date.now();
  }

  typing(roomId: string, again = true): void {
    const wait = this.lastSent + TYPING_INTERVAL_MS + 100 - this.now();
    if (wait > 0) {
      // Still typing after the interval: say so once more at its end (trailing edge).
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.typing(roomId);
      }, wait);
      return;
    }
    if (!this.ports.canSend()) return;
    this.lastSent = this.now();
    this.ports.send(roomId).then(
      (relayed) => {
        // The server's window started when it handled our previous notice, a little after we
        // sent it: a notice at the very end of ours can fall just inside. Try once more.
        if (!relayed && again) {
          this.lastSent = 0;
          this.timer ??= setTimeout(() => {
            this.timer = null;
            this.typing(roomId, false);
          }, 300);
        }
      },
      () => {},
    );
  }

  /** The composer was emptied or sent: no trailing notice. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
