import type { Logger } from 'pino';
import type { PresenceChange } from './presence.ts';

/**
 * Hands presence transitions to the handler one user at a time: a user who disconnects and
 * reconnects quickly is announced offline, then online, never the other way round.
 */
export class ChangeReporter {
  private handler: (change: PresenceChange) => Promise<void> = async () => {};
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly log: Logger) {}

  setHandler(handler: (change: PresenceChange) => Promise<void>): void {
    this.handler = handler;
  }

  report(change: PresenceChange): void {
    const previous = this.tails.get(change.userId) ?? Promise.resolve();
    const next = previous
      .then(() => this.handler(change))
      .catch((error: unknown) => this.log.error({ err: error, userId: change.userId }, 'announcing a presence change failed'));
    this.tails.set(change.userId, next);
    void next.then(() => {
      if (this.tails.get(change.userId) === next) this.tails.delete(change.userId);
    });
  }

  /** Resolves once every change reported so far has been handled. */
  async drained(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
