// Builds a pipeline and context for tests: a long-standing member in a default-policy room,
// with overrides for the case at hand.

import { createSafetyPipeline } from '../../server/safety/pipeline.ts';
import { resolvePolicy } from '../../server/safety/policy.ts';
import type { SafetyContext, SafetyMessage, SafetyPipeline, SenderRole, Verdict } from '../../server/safety/types.ts';

export const NOW = Date.UTC(2025, 4, 1, 12, 0, 0);

export interface CaseOptions {
  policy?: unknown;
  role?: SenderRole;
  senderId?: string;
  roomId?: string;
  joinedSecondsAgo?: number;
  now?: number;
  pipeline?: SafetyPipeline;
}

export function contextFor(options: CaseOptions = {}): SafetyContext {
  const now = options.now ?? NOW;
  return {
    roomId: options.roomId ?? 'room-test',
    sender: {
      id: options.senderId ?? `sender-${Math.random().toString(36).slice(2)}`,
      role: options.role ?? 'member',
      joinedAt: new Date(now - (options.joinedSecondsAgo ?? 86_400 * 30) * 1000),
    },
    policy: resolvePolicy(options.policy ?? {}),
    now,
  };
}

// The rules' own tests see the rules alone; model-signal.test.ts and heldout.test.ts cover the
// model beside them.
export function check(message: string | SafetyMessage, options: CaseOptions = {}): Verdict {
  const pipeline = options.pipeline ?? createSafetyPipeline({ model: null });
  return pipeline.check(typeof message === 'string' ? { text: message } : message, contextFor(options));
}

export function codes(verdict: Verdict): string[] {
  return verdict.reasons.map((r) => r.code);
}
