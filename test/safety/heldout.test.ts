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
    // After the fourth batch of training data (2026-12-04): block recall 0.750 → 0.804, benign
    // stopped 1.1 % → 0.5 % (1 of 188 held, none blocked), but block precision 0.986 → 0.974 (the
    // wrong blocks are lines labelled hold; below the 0.98) and not-allowed recall 0.773 → 0.756.
    // After the fifth (40 benign lines on places and times): 0.987 / 0.826 / 0.765 / 0.5 %.
    expect(f.blockPrecision).toBeGreaterThanOrEqual(0.98);
    expect(f.benignBlocked).toBe(0);
    expect(f.benignFalsePositives).toBeLessThanOrEqual(0.006);
    expect(f.notAllowedRecall).toBeGreaterThanOrEqual(0.76);
    expect(f.blockRecall).toBeGreaterThanOrEqual(0.82);
  });

  it('catches more than the rules alone and stops no more benign messages than the model alone', () => {
    expect(figures.combined.notAllowedRecall).toBeGreaterThan(figures.rules.notAllowedRecall + 0.3);
    expect(figures.combined.blockRecall).toBeGreaterThan(figures.rules.blockRecall);
    // Lower again since the fourth batch (0.5 % against the model alone's 3.2 %); after the third
    // batch the two were equal (1.1 % each).
    expect(figures.combined.benignFalsePositives).toBeLessThanOrEqual(figures.model.benignFalsePositives);
    expect(figures.combined.benignBlocked).toBeLessThan(figures.model.benignBlocked);
    expect(figures.combined.blockPrecision).toBeGreaterThan(figures.rules.blockPrecision);
  });
});
