// A bounded Map: the safety pipeline's memories and caches, the embedded database's prepared statements.

/** A Map that forgets its least recently used key past `capacity`, so memory stays bounded. */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value without marking it used: for a caller that is about to `set` the key anyway. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-insert to move the key to the "most recent" end of Map's insertion order.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Returns the value it had to forget to stay within capacity, if any, for callers that must release it. */
  set(key: K, value: V): V | undefined {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size <= this.capacity) return undefined;
    const [oldestKey, oldest] = this.entries.entries().next().value as [K, V];
    this.entries.delete(oldestKey);
    return oldest;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
