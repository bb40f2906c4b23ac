import { describe, expect, it } from 'vitest';
import { check } from '../harness.ts';

describe('keywords rule', () => {
  const policy = { keywords: { block: ['剧透'], hold: ['垃圾游戏'], flag: ['spoiler'] } };

  it('applies the owner action per list, after normalization', () => {
    expect(check('有人卖剧透吗', { policy }).action).toBe('block');
    expect(check('有人卖 劇.透 吗', { policy }).action).toBe('block');
    expect(check('这个垃 圾 游 戏', { policy }).action).toBe('hold');
    expect(check('No SPOILERS please', { policy }).action).toBe('flag');
    expect(check('今天倒垃圾的时候看到一只猫', { policy }).action).toBe('allow');
  });

  it('reports the matched keyword for admins', () => {
    expect(check('这个垃圾游戏', { policy }).reasons[0]).toMatchObject({ code: 'ROOM_KEYWORD', detail: '垃圾游戏', action: 'hold' });
  });
});
