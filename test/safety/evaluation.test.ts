// The targets from the issue, asserted on the labelled set through the real CLI.
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.ts';

describe('evaluation on the labelled set', () => {
  const result = evaluate();

  it('has a realistic amount of data in both splits', () => {
    expect(result.overall.messages).toBeGreaterThanOrEqual(600);
    expect(result.heldout.messages).toBeGreaterThanOrEqual(150);
    expect(result.overall.benign).toBeGreaterThan(result.overall.bad);
  });

  // Floors just under what the rules with the model (on by default) reach (the targets are
  // 0.98 / 0.95 / 1 %): this is the set the rules were written from, and the model, trained
  // elsewhere, stops two of its 318 tune benign lines the rules alone let through. Here a flag
  // counts as a false positive. The fresh split's figures are asserted in heldout.test.ts.
  it.each([
    ['overall', 0.985, 0.99, 0.01],
    ['tune', 0.98, 0.99, 0.007],
    ['heldout', 0.99, 0.99, 0.01],
  ] as const)('stays above the floors on %s', (split, precision, recall, falsePositives) => {
    const figures = result[split];
    expect(figures.blockPrecision).toBeGreaterThanOrEqual(precision);
    expect(figures.recall).toBeGreaterThanOrEqual(recall);
    expect(figures.falsePositiveRate).toBeLessThanOrEqual(falsePositives);
  });
});
