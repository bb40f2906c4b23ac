import { describe, expect, it } from 'vitest';
import { createInMemoryActivityStore } from '../../server/safety/activity.ts';
import { LruMap } from '../../server/lru-map.ts';
import { createSafetyPipeline } from '../../server/safety/pipeline.ts';
import { NOW, check, codes, contextFor } from './harness.ts';

describe('pipeline verdicts', () => {
  it('allows clean messages with no reasons', () => {
    expect(check('今天天气真好，适合出去拍照')).toEqual({ action: 'allow', reasons: [] });
  });

  it('takes the strictest action and lists every reason once, strictest first', () => {
    const verdict = check('加我微信 abc_12345，我手机 13812345678，刷单返利日结300 https://bit.ly/abc https://bit.ly/def');
    expect(verdict.action).toBe('block');
    expect(new Set(codes(verdict)).size).toBe(verdict.reasons.length);
    expect(codes(verdict)).toEqual(expect.arrayContaining(['SCAM_TASK_BRUSHING', 'PRIVACY_PHONE', 'LINK_SHORTENER']));
    expect(verdict.reasons[0].action).toBe('block');
    for (const reason of verdict.reasons) expect(reason.code).toMatch(/^[A-Z][A-Z_]+$/);
  });
});

describe('exempt roles', () => {
  it('lets owners and admins skip content rules', () => {
    expect(check('活动报名联系我微信 organizer_li', { role: 'owner' }).action).toBe('allow');
    expect(check('我手机号 13812345678', { role: 'admin' }).action).toBe('allow');
  });

  it('still blocks phishing links from exempt roles, but not softer link findings', () => {
    expect(codes(check('https://bilibili.com@evil.example/login', { role: 'admin' }))).toEqual(['LINK_USERINFO_TRICK']);
    expect(check('bit.ly/3xYzAbC', { role: 'owner' }).action).toBe('allow');
  });

  it('does not exempt bots by default, but a room can', () => {
    expect(check('加V：xiaomei8899 详聊', { role: 'bot' }).action).not.toBe('allow');
    expect(check('加V：xiaomei8899 详聊', { role: 'bot', policy: { exemptRoles: ['owner', 'admin', 'bot'] } }).action).toBe('allow');
  });
});

describe('recordOffence', () => {
  it('returns a mute after N hold/block verdicts in the window, then starts afresh', () => {
    const pipeline = createSafetyPipeline();
    const ctxAt = (i: number) => contextFor({ senderId: 'repeat', now: NOW + i * 60_000, policy: { autoMute: { offences: 3, windowSeconds: 600, muteSeconds: 900 } } });
    const offend = (i: number) => {
      const ctx = ctxAt(i);
      return pipeline.recordOffence(ctx, pipeline.check({ text: `稳赚不赔，导师带单，加V：abc1234${i}` }, ctx));
    };
    expect(offend(0)).toBeNull();
    expect(offend(1)).toBeNull();
    expect(offend(2)).toEqual({ muteForSeconds: 900 });
    expect(offend(3)).toBeNull();
  });

  it('does not count privacy holds, flags or offences outside the window', () => {
    const pipeline = createSafetyPipeline();
    for (let i = 0; i < 5; i++) {
      const ctx = contextFor({ senderId: 'p', now: NOW + i * 1000 });
      expect(pipeline.recordOffence(ctx, pipeline.check({ text: `我手机号 1381234567${i}` }, ctx))).toBeNull();
    }
    for (let i = 0; i < 5; i++) {
      const ctx = contextFor({ senderId: 'slow', now: NOW + i * 700_000 });
      expect(pipeline.recordOffence(ctx, pipeline.check({ text: '稳赚不赔，导师带单' }, ctx))).toBeNull();
    }
  });
});

describe('activity memory stays bounded', () => {
  it('evicts the least recently used keys past capacity', () => {
    const map = new LruMap<string, number>(3);
    for (const key of ['a', 'b', 'c']) map.set(key, 1);
    map.get('a');
    map.set('d', 1);
    expect(map.size).toBe(3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
  });

  it('hands back what a set pushes out, and nothing while under capacity', () => {
    const map = new LruMap<string, string>(2);
    expect(map.set('a', 'first')).toBeUndefined();
    expect(map.set('b', 'second')).toBeUndefined();
    expect(map.set('a', 'first again')).toBeUndefined(); // a key already there pushes nothing out
    expect(map.set('c', 'third')).toBe('second');
  });

  it('keeps at most maxKeys senders however many post', () => {
    const activity = createInMemoryActivityStore({ maxKeys: 100 });
    const pipeline = createSafetyPipeline({ activity });
    for (let i = 0; i < 1000; i++) check('一条足够长的普通消息内容', { pipeline, senderId: `s${i}` });
    // The 1000th sender is remembered, the first was evicted: its repeat is not a duplicate.
    const first = contextFor({ senderId: 's0' });
    expect(activity.rememberText('s0', { key: 'x', roomId: 'r', at: first.now }, 60_000)).toEqual([]);
    expect(activity.rememberText('s999', { key: 'y', roomId: 'r', at: first.now }, 60_000)).toHaveLength(1);
  });
});
