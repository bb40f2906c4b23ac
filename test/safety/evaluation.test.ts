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

  it.each(['overall', 'tune', 'heldout'] as const)('meets the targets on %s', (split) => {
    const figures = result[split];
    expect(figures.blockPrecision).toBeGreaterThanOrEqual(0.98);
    expect(figures.recall).toBeGreaterThanOrEqual(0.95);
    expect(figures.falsePositiveRate).toBeLessThanOrEqual(0.01);
  });
});
