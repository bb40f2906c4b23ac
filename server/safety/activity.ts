// Per-sender recent-activity memory: token buckets, recent text fingerprints and offence
// timestamps. It is the only state the pipeline keeps. The interface is synchronous because
// check() must be; a multi-node deployment keeps this per process (a sender pinned to one node
// by the socket adapter is rate-limited there), which the docs call out.

import { LruMap } from '../lru-map.ts';

export interface TokenBucketShape {
  capacity: number;
  refillPerSecond: number;
}

export interface TextFingerprint {
  /** Normalized text with digits and punctuation removed: equal keys mean "same text". */
  key: string;
  /**
   * Sorted character-bigram codes for near-duplicate comparison, computed on first comparison
   * (most messages are never compared) and kept; undefined until then.
   */
  bigrams?: Uint32Array;
  roomId: string;
  at: number;
}

export interface ActivityStore {
  /** Takes one token from the bucket under `key`; false when the bucket is empty. */
  takeToken(key: string, now: number, bucket: TokenBucketShape): boolean;
  /** Returns the sender's fingerprints still inside the window, then remembers this one. */
  rememberText(senderId: string, fingerprint: TextFingerprint, windowMs: number): TextFingerprint[];
  /** Adds an offence and returns how many fall inside the window, this one included. */
  addOffence(key: string, now: number, windowMs: number): number;
  clearOffences(key: string): void;
}

export interface InMemoryActivityLimits {
  /** Most senders (or sender×room keys) remembered per kind of memory; least recent are dropped. */
  maxKeys?: number;
  /** Most fingerprints kept per sender; enough to see a spam burst, small enough to compare fast. */
  maxTextsPerSender?: number;
}

export function createInMemoryActivityStore(limits: InMemoryActivityLimits = {}): ActivityStore {
  const maxKeys = limits.maxKeys ?? 50_000;
  const maxTexts = limits.maxTextsPerSender ?? 12;
  const buckets = new LruMap<string, { tokens: number; updatedAt: number }>(maxKeys);
  const texts = new LruMap<string, TextFingerprint[]>(maxKeys);
  const offences = new LruMap<string, number[]>(maxKeys);

  return {
    takeToken(key, now, shape) {
      const state = buckets.peek(key) ?? { tokens: shape.capacity, updatedAt: now };
      const elapsedSeconds = Math.max(0, now - state.updatedAt) / 1000;
      state.tokens = Math.min(shape.capacity, state.tokens + elapsedSeconds * shape.refillPerSecond);
      state.updatedAt = now;
      const allowed = state.tokens >= 1;
      if (allowed) state.tokens -= 1;
      buckets.set(key, state);
      return allowed;
    },

    rememberText(senderId, fingerprint, windowMs) {
      const since = fingerprint.at - windowMs;
      const kept = texts.peek(senderId);
      const recent = kept ? kept.filter((f) => f.at >= since) : [];
      // The caller gets `recent` (before this text); the store keeps its own copy with this text.
      const next = recent.length >= maxTexts ? recent.slice(recent.length - maxTexts + 1) : recent.slice();
      next.push(fingerprint);
      texts.set(senderId, next);
      return recent;
    },

    addOffence(key, now, windowMs) {
      const recent = (offences.peek(key) ?? []).filter((at) => at > now - windowMs);
      recent.push(now);
      offences.set(key, recent.slice(-64));
      return recent.length;
    },

    clearOffences(key) {
      offences.delete(key);
    },
  };
}
