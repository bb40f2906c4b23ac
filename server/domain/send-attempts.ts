/**
 * The safety verdict of each recent send, by sender and clientMsgId, so a retry is judged as the
 * same send and not as the text sent again. The safety rules keep memory (rate buckets, repeated
 * texts): a client that retried a send patiently while the database was away, or across a
 * gateway restart, would otherwise find its own retries counted against it, its message held as
 * a flood or blocked for the rate, once the database came back. One per gateway, like the rules'
 * memory; a retry that lands on another gateway is judged afresh there, once.
 */
import { LruMap } from '../lru-map.ts';
import type { Verdict } from '../safety/types.ts';

/** As long as the flood rule remembers a text (safety/rules/flood.ts): a retry later than that has nothing to be counted against. */
const REMEMBER_MS = 10 * 60 * 1000;
const CAPACITY = 20_000;

interface Attempt {
  roomId: string;
  text: string;
  verdict: Verdict;
  at: number;
}

export class SendAttempts {
  private readonly attempts = new LruMap<string, Attempt>(CAPACITY);

  /**
   * The verdict that let an earlier attempt of this send through (same sender, clientMsgId, room
   * and text), or `judge()`'s, remembered for the retries. A different text under the same id is a
   * different message (IDEMPOTENCY_KEY_REUSED if one was stored) and is judged on its own.
   */
  verdictFor(senderId: string, clientMsgId: string, roomId: string, text: string, now: number, judge: () => Verdict): Verdict {
    const key = `${senderId}\u0000${clientMsgId}`;
    const earlier = this.attempts.get(key);
    if (earlier && earlier.roomId === roomId && earlier.text === text && now - earlier.at < REMEMBER_MS) return earlier.verdict;
    const verdict = judge();
    // Only a verdict that let the send through: a held or blocked one already had its effect (in
    // the review queue, or refused), and a retry of it is judged again, as the rules stand then.
    if (verdict.action === 'allow' || verdict.action === 'flag') this.attempts.set(key, { roomId, text, verdict, at: now });
    else this.attempts.delete(key);
    return verdict;
  }
}
