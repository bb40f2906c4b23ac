/**
 * Rooms where my join request waits for the staff, so Discover and the preview say "requested"
 * rather than offering to join again. Kept in the page's storage per user, so a reload (or the
 * next visit) still knows; a storage that is missing, refuses or holds junk leaves the page
 * knowing only what it saw itself.
 */
import type { KeyValueStorage } from './outbox.ts';

export const requestedKey = (userId: string): string => `quanzi.requested.${userId}`;

/** The saved room ids, ignoring anything that is not a list of strings. */
export function parseRequested(saved: string | null): string[] {
  try {
    const value: unknown = JSON.parse(saved ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export class JoinRequests {
  private readonly waiting = new Set<string>();
  private key: string | null = null;

  constructor(private readonly storage: KeyValueStorage | null) {}

  /** Signed in as `userId`: what this user asked for before, on this browser. */
  open(userId: string): void {
    this.key = requestedKey(userId);
    let saved: string | null = null;
    try {
      saved = this.storage?.getItem(this.key) ?? null;
    } catch {
      // Storage refused: nothing remembered.
    }
    for (const roomId of parseRequested(saved)) this.waiting.add(roomId);
  }

  has(roomId: string): boolean {
    return this.waiting.has(roomId);
  }

  /** Records whether my request to `roomId` waits; false when that was already so (nothing to tell the page). */
  set(roomId: string, waiting: boolean): boolean {
    if (waiting) this.waiting.add(roomId);
    else if (!this.waiting.delete(roomId)) return false;
    try {
      if (this.key && this.storage) this.storage.setItem(this.key, JSON.stringify([...this.waiting]));
    } catch {
      // Storage refused: the page still knows until it closes.
    }
    return true;
  }
}
