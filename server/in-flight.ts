/**
 * Counts the writes in progress so a shutdown can wait for them: once draining starts, new
 * work is refused with SHUTTING_DOWN, and work already accepted finishes and is acknowledged.
 */
import { AppError } from './errors.ts';

export class InFlight {
  private active = 0;
  private draining = false;
  private onIdle: (() => void) | null = null;

  get isDraining(): boolean {
    return this.draining;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.draining) throw new AppError('SHUTTING_DOWN');
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      if (this.active === 0) this.onIdle?.();
    }
  }

  /** Refuses new work and resolves when the accepted work is done, or after `graceMs` (false then). */
  drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
