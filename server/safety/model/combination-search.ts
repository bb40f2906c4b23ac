/**
 * Chooses how the model's scores weigh beside the rules (model-signal.ts) by measurement on the
 * validation split: the thresholds that catch the most (not-allowed recall + block recall) while
 * block precision stays ≥ 0.98 and at most 0.5 % of benign messages are stopped. Coordinate search
 * over fixed grids from a fixed start, so the result is deterministic.
 */
import { createSafetyPipeline, verdictOf } from '../pipeline.ts';
import { resolvePolicy } from '../policy.ts';
import { MODEL_MIN_CHARS, weighModel } from '../model-signal.ts';
import { normalizeText } from '../normalize.ts';
import type { SafetyAction, Verdict } from '../types.ts';
import type { CombinationThresholds, ModelScore } from './model.ts';
import { figuresOf, type Example, type Figures } from './figures.ts';

const BLOCK_PRECISION = 0.98;
// Half the 1 %: the combination runs in every room by default, the figures it is chosen on
// are optimistic for text it never saw (validation's own benign lines sit beside the thresholds),
// and a member's ordinary message held costs more than a spam message flagged for staff.
const BENIGN_STOPPED = 0.005;

const range = (from: number, to: number, step: number) => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Math.round((from + i * step) * 1000) / 1000);
const GRIDS: Record<keyof CombinationThresholds, number[]> = {
  hold: range(0.5, 0.99, 0.01),
  // Blocking on the score alone takes a very high one (above 1: never); beside a rule's finding
  // a high one is enough. The grids keep the two apart so that the search cannot swap them.
  block: [0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999, 1.01],
  // Beside a rule's finding the model must at least lean the same way (≥ 0.5): below that the
  // search turns every rule's flag into a hold and every judgement into a block, which fits the
  // validation split's rule findings and not the next split's (held-out FP 3.2 % with 0.05 / 0.3).
  blockWithEvidence: range(0.5, 0.95, 0.01),
  holdWithEvidence: range(0.5, 0.95, 0.05),
  clear: range(0, 0.3, 0.025),
  keepBlock: range(0, 0.9, 0.05),
};
// The most cautious corner (the model seldom speaks and softens most judgements), which meets both
// constraints, so every step of the search stays feasible.
const START: CombinationThresholds = { hold: 0.99, block: 1.01, blockWithEvidence: 0.95, holdWithEvidence: 0.95, clear: 0.3, keepBlock: 0.9 };
const ORDER: Array<keyof CombinationThresholds> = ['hold', 'block', 'blockWithEvidence', 'holdWithEvidence', 'clear', 'keepBlock'];

/** The rules alone on each message: a long-standing member of a default-policy room, one sender a message. */
export function rulesAloneOn(examples: readonly Example[]): Verdict[] {
  const pipeline = createSafetyPipeline({ model: null });
  const policy = resolvePolicy({});
  const now = Date.UTC(2026, 0, 1);
  return examples.map((example, i) =>
    pipeline.check({ text: example.text }, { roomId: 'evaluation', sender: { id: `sender-${i}`, role: 'member', joinedAt: new Date(0) }, policy, now: now + i * 1000 }),
  );
}

/** The combined verdict's action on a message, exactly as the pipeline computes it. */
export function combinedAction(text: string, rules: Verdict, score: ModelScore, thresholds: CombinationThresholds): SafetyAction {
  if (normalizeText(text).compact.length < MODEL_MIN_CHARS.message) return rules.action;
  return verdictOf(weighModel({ reasons: rules.reasons, score, thresholds, strictness: 'standard', explain: () => '' })).action;
}

export function chooseCombination(examples: readonly Example[], rules: readonly Verdict[], scores: readonly ModelScore[]): { thresholds: CombinationThresholds; figures: Figures } {
  const measure = (t: CombinationThresholds) => figuresOf([...examples], (text, i) => combinedAction(text, rules[i]!, scores[i]!, t));
  const value = (f: Figures) => {
    const shortfall = Math.max(0, BLOCK_PRECISION - f.blockPrecision) + Math.max(0, f.benignFalsePositives - BENIGN_STOPPED);
    return shortfall > 0 ? -shortfall : f.notAllowedRecall + f.blockRecall;
  };
  let best = { ...START };
  let bestValue = value(measure(best));
  for (let round = 0; round < 6; round++) {
    let improved = false;
    for (const key of ORDER) {
      for (const candidate of GRIDS[key]) {
        const trial = { ...best, [key]: candidate };
        const v = value(measure(trial));
        // Strictly better only: of equals, the first (most cautious) grid value stays.
        if (v > bestValue + 1e-9) {
          best = trial;
          bestValue = v;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return { thresholds: best, figures: measure(best) };
}
