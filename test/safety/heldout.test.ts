/**
 * The combined pipeline (rules + model, as the server runs it) on the held-out split
 * (test/safety/dataset/labelled/heldout.jsonl): written after train and validation, before the
 * model was wired in, and never trained or tuned on. The floors sit just under what it reaches,
 * so a regression in a rule, the model or the way they combine fails here; the targets
 * (precision ≥ 0.98, not-allowed recall ≥ 0.95, benign stopped ≤ 1 %, block recall ≥ 0.85) are
 * not all reached yet (docs/safety.md).
 */
import { describe, expect, it } from 'vitest';
import { evaluateSplit } from '../../server/safety/model/evaluate.ts';

describe('the held-out split', () => {
  const figures = evaluateSplit('heldout');

  it('is a real split: both labels, hard negatives, English and Chinese', () => {
    expect(figures.combined.messages).toBeGreaterThanOrEqual(300);
  });

  it('keeps the combined pipeline above its floors', () => {
    const f = figures.combined;
    // Precision sits lower than before (0.981 → 0.967) because the model now blocks two
    // messages labelled hold (moves to off-platform contact) that it used to hold: both are still
    // stopped, and no benign message is blocked.
    expect(f.blockPrecision).toBeGreaterThanOrEqual(0.96);
    expect(f.benignBlocked).toBe(0);
    expect(f.benignFalsePositives).toBeLessThanOrEqual(0.006);
    expect(f.notAllowedRecall).toBeGreaterThanOrEqual(0.71);
    expect(f.blockRecall).toBeGreaterThanOrEqual(0.64);
  });

  it('catches more than the rules alone and stops fewer benign messages than the model alone', () => {
    expect(figures.combined.notAllowedRecall).toBeGreaterThan(figures.rules.notAllowedRecall + 0.3);
    expect(figures.combined.blockRecall).toBeGreaterThan(figures.rules.blockRecall);
    expect(figures.combined.benignFalsePositives).toBeLessThan(figures.model.benignFalsePositives);
    expect(figures.combined.blockPrecision).toBeGreaterThan(figures.rules.blockPrecision);
  });
});
