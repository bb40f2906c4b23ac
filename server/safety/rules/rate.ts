// Rule "rate": a token bucket per member per room. Bursts are normal in chat (a few quick lines
// in a row), a sustained stream is not, hence a bucket rather than a fixed window.

import type { ActivityStore, TokenBucketShape } from '../activity.ts';
import { finding } from '../reasons.ts';
import { present, type SafetyRule } from '../rule.ts';
import type { Strictness } from '../types.ts';

// standard: 8 messages in a burst, then one every 2 s (30 a minute) sustained.
const BUCKETS: Record<Exclude<Strictness, 'off'>, TokenBucketShape> = {
  lenient: { capacity: 15, refillPerSecond: 1 },
  standard: { capacity: 8, refillPerSecond: 0.5 },
  strict: { capacity: 5, refillPerSecond: 0.2 },
};

export function createRateRule(activity: ActivityStore): SafetyRule {
  return {
    name: 'rate',
    exemptible: true,
    check({ ctx, strictness }) {
      if (strictness === 'off') return [];
      const allowed = activity.takeToken(`${ctx.roomId}\u0000${ctx.sender.id}`, ctx.now, BUCKETS[strictness]);
      // The bucket's size already carries the strictness, so the action itself does not shift.
      return allowed ? [] : present([finding('RATE_LIMITED', 'block', strictness, { fixed: true })]);
    },
  };
}
