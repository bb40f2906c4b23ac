import { describe, expect, it } from 'vitest';
import { createSafetyPipeline } from '../../../server/safety/pipeline.ts';
import { NOW, check, codes } from '../harness.ts';

const lines = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8', 'i9', 'j10', 'k11', 'l12'];

describe('rate rule', () => {
  it('allows a burst of eight, then blocks until the bucket refills', () => {
    const pipeline = createSafetyPipeline({ model: null });
    const actions = lines.map((text, i) => check(text, { pipeline, senderId: 'fast', now: NOW + i * 100 }).action);
    expect(actions.slice(0, 8).every((a) => a === 'allow')).toBe(true);
    expect(actions.slice(8).every((a) => a === 'block')).toBe(true);
    expect(codes(check('later', { pipeline, senderId: 'fast', now: NOW + 10_000 }))).toEqual([]);
  });

  it('keeps buckets per room and per sender', () => {
    const pipeline = createSafetyPipeline({ model: null });
    for (let i = 0; i < 8; i++) check(`m${i}`, { pipeline, senderId: 's', roomId: 'r1', now: NOW });
    expect(check('next', { pipeline, senderId: 's', roomId: 'r1', now: NOW }).action).toBe('block');
    expect(check('next', { pipeline, senderId: 's', roomId: 'r2', now: NOW }).action).toBe('allow');
    expect(check('next', { pipeline, senderId: 't', roomId: 'r1', now: NOW }).action).toBe('allow');
  });

  it('uses a smaller bucket in strict rooms and none when off', () => {
    const strict = createSafetyPipeline({ model: null });
    const off = createSafetyPipeline({ model: null });
    const strictActions = lines.slice(0, 6).map((t) => check(t, { pipeline: strict, senderId: 's', now: NOW, policy: { rules: { rate: 'strict' } } }).action);
    expect(strictActions.at(-1)).toBe('block');
    const offActions = lines.map((t) => check(t, { pipeline: off, senderId: 's', now: NOW, policy: { rules: { rate: 'off' } } }).action);
    expect(offActions.every((a) => a === 'allow')).toBe(true);
  });
});
