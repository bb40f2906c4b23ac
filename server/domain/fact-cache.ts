/**
 * A gateway's memory of facts the hot paths would otherwise read from the database for every
 * message or request (who may speak in a room, whether any bot listens there, whose session a
 * token is). On the embedded PostgreSQL every statement costs most of a millisecond, so these
 * reads decide what a message costs.
 *
 * Correctness does not rest on the expiry: whoever changes such a fact makes every gateway forget
 * it through LiveUpdates before the change is acknowledged, and a gateway whose Redis subscription
 * dropped (and with it any such notice) forgets everything when it is back (app.ts). The minute's
 * expiry only bounds what a gateway could still have missed: a notice that arrived after the
 * change's three-second wait for confirmations gave up on it.
 *
 * Reads are shared: when a fact is missing, the sends that arrive while it is being read wait for
 * that one read instead of each issuing their own. Under a burst, per-send reads would queue
 * behind each other and slow every send further — a collapse, not a slowdown.
 */
const TTL_MS = 60_000;
const MAX_ENTRIES = 100_000;

export interface FactLookup<T> {
  value: T;
  /** True when this call ran the read itself (and so saw whatever the read saw for this caller only). */
  loadedHere: boolean;
}

export class FactCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private readonly reading = new Map<string, Promise<T>>();
  /** Bumped by every forget, so a read that started before a change does not refill the cache. */
  private epoch = 0;

  constructor(
    /** Whether a value read is worth keeping (a non-member, say, is about to join). */
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  async lookup(key: string, read: () => Promise<T>): Promise<FactLookup<T>> {
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.until > Date.now()) return { value: entry.value, loadedHere: false };
      this.entries.delete(key);
    }
    const pending = this.reading.get(key);
    if (pending) return { value: await pending, loadedHere: false };

    const epoch = this.epoch;
    const reading = read();
    this.reading.set(key, reading);
    try {
      const value = await reading;
      if (epoch === this.epoch && this.keep(value)) {
        if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
        this.entries.set(key, { value, until: Date.now() + TTL_MS });
      }
      return { value, loadedHere: true };
    } finally {
      if (this.reading.get(key) === reading) this.reading.delete(key);
    }
  }

  forgetKey(key: string): void {
    this.epoch++;
    this.entries.delete(key);
    this.reading.delete(key);
  }

  /** Forgets the facts whose value matches (a scan: for rare changes such as a sign-out). */
  forgetWhere(matches: (value: T) => boolean): void {
    this.epoch++;
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
    this.reading.clear();
  }

  /** Forgets the facts whose key starts with `prefix` ('' forgets everything). */
  forgetPrefix(prefix: string): void {
    this.epoch++;
    if (prefix === '') {
      this.entries.clear();
      this.reading.clear();
      return;
    }
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
    for (const key of this.reading.keys()) if (key.startsWith(prefix)) this.reading.delete(key);
  }
}
