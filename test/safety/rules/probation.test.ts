import { describe, expect, it } from 'vitest';
import { check, codes } from '../harness.ts';

describe('probation rule', () => {
  const newcomer = { joinedSecondsAgo: 60 };

  it('holds links, images and mentions from members who just joined', () => {
    expect(codes(check('https://www.bilibili.com/video/BV1GJ411x7h7', newcomer))).toEqual(['PROBATION_LINK']);
    expect(codes(check({ text: 'selfie', hasImage: true }, newcomer))).toEqual(['PROBATION_IMAGE']);
    expect(codes(check({ text: 'hi', mentions: ['owner'] }, newcomer))).toEqual(['PROBATION_MENTION']);
    expect(codes(check({ text: 'hi all', mentionsAll: true }, newcomer))).toEqual(['PROBATION_MENTION']);
    expect(check('新人报道，大家好', newcomer).action).toBe('allow');
  });

  it('ends after probationSeconds and skips domains the room allows', () => {
    expect(check('https://www.bilibili.com/video/BV1', { joinedSecondsAgo: 700 }).action).toBe('allow');
    expect(check('https://www.bilibili.com/video/BV1', { joinedSecondsAgo: 700, policy: { probationSeconds: 3600 } }).action).toBe('hold');
    expect(check('https://club.example.org/join', { ...newcomer, policy: { allowedDomains: ['example.org'] } }).action).toBe('allow');
  });

  it('blocks in strict rooms and only flags in lenient ones', () => {
    expect(check({ text: 'x', hasImage: true }, { ...newcomer, policy: { rules: { probation: 'strict' } } }).action).toBe('block');
    expect(check({ text: 'x', hasImage: true }, { ...newcomer, policy: { rules: { probation: 'lenient' } } }).action).toBe('flag');
  });
});
