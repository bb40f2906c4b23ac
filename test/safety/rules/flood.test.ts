import { describe, expect, it } from 'vitest';
import { createSafetyPipeline } from '../../../server/safety/pipeline.ts';
import { NOW, check, codes } from '../harness.ts';

describe('flood rule', () => {
  it('holds the third near-identical message from one sender', () => {
    const pipeline = createSafetyPipeline({ model: null });
    const send = (text: string, i: number) => check(text, { pipeline, senderId: 'spammer', now: NOW + i * 20_000 });
    expect(send('进群领福利啦，名额有限先到先得哦1', 0).action).toBe('allow');
    expect(send('进群领福利啦，名额有限先到先得哦2', 1).action).toBe('allow');
    expect(codes(send('进群领福利啦！！名额有限先到先得哦～3', 2))).toEqual(['FLOOD_REPEATED_TEXT']);
  });

  it('blocks the same text posted across three rooms', () => {
    const pipeline = createSafetyPipeline({ model: null });
    const post = (roomId: string, i: number) => check('周末露营活动报名开始了，感兴趣的看群公告', { pipeline, senderId: 'x', roomId, now: NOW + i * 30_000 });
    expect(post('a', 0).action).toBe('allow');
    expect(post('b', 1).action).toBe('allow');
    expect(codes(post('c', 2))).toEqual(['FLOOD_CROSS_ROOM']);
  });

  it('forgets repeats outside the ten-minute window, and ignores short replies', () => {
    const pipeline = createSafetyPipeline({ model: null });
    for (let i = 0; i < 4; i++) {
      expect(check('进群领福利啦，名额有限先到先得', { pipeline, senderId: 'slow', now: NOW + i * 11 * 60_000 }).action).toBe('allow');
      expect(check('好的收到', { pipeline, senderId: 'fast', now: NOW + i * 5_000 }).action).toBe('allow');
    }
  });

  it('holds mention spam, from resolved mentions or typed @names', () => {
    expect(codes(check({ text: 'come', mentions: ['a', 'b', 'c', 'd', 'e', 'f'] }))).toEqual(['FLOOD_MENTION_SPAM']);
    expect(codes(check('@a @b @c @d @e @f @g look'))).toEqual(['FLOOD_MENTION_SPAM']);
    expect(check({ text: '@小明 @小红 明天见', mentions: ['a', 'b'] }).action).toBe('allow');
  });

  it('flags walls of one character or emoji but not normal laughter', () => {
    expect(codes(check('啊'.repeat(40)))).toEqual(['FLOOD_REPEATED_CHARS']);
    expect(check('啊'.repeat(130)).action).toBe('hold');
    expect(codes(check('😂'.repeat(35)))).toContain('FLOOD_EMOJI_WALL');
    expect(check('哈哈哈哈哈哈哈哈哈哈哈哈').action).toBe('allow');
    expect(check('生日快乐🎂🎉🎉🎉').action).toBe('allow');
  });
});
