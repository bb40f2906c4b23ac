import { describe, expect, it } from 'vitest';
import { check, codes } from '../harness.ts';

describe('harassment rule', () => {
  it.each([
    ['你个傻逼，会不会说人话', 'HARASSMENT_ABUSE'],
    ['傻 逼 一个', 'HARASSMENT_ABUSE'],
    ['stfu, nobody asked', 'HARASSMENT_ABUSE'],
    ['k y s, seriously', 'HARASSMENT_ABUSE'],
    ["you're such a r3tard", 'HARASSMENT_ABUSE'],
    ['下次聚会见面打你', 'HARASSMENT_THREAT'],
    ["i know where you live, keep talking", 'HARASSMENT_THREAT'],
    ['大家都别理他，拉黑', 'HARASSMENT_THREAT'],
    ['你这个废物，选镜头都不会', 'HARASSMENT_INSULT'],
    ["you're pathetic and your photos are garbage", 'HARASSMENT_INSULT'],
    ['what a l0ser, get lost', 'HARASSMENT_INSULT'],
  ])('%s → %s, flagged to staff in a standard room', (text, code) => {
    const verdict = check(text);
    expect(codes(verdict)).toEqual([code]);
    expect(verdict.action).toBe('flag');
  });

  it('holds in a strict room and says nothing in a lenient one', () => {
    expect(check('你这个废物，选镜头都不会', { policy: { rules: { harassment: 'strict' } } }).action).toBe('hold');
    expect(check('你这个废物，选镜头都不会', { policy: { strictness: 'strict' } }).action).toBe('hold');
    expect(check('你这个废物，选镜头都不会', { policy: { rules: { harassment: 'lenient' } } }).action).toBe('allow');
    expect(check('你这个废物，选镜头都不会', { policy: { rules: { harassment: 'off' } } }).action).toBe('allow');
  });

  it.each([
    "I'm such an idiot, forgot my charger again",
    '我真是个傻子，又把镜头盖忘了',
    'this lens is trash in low light',
    '垃圾分类记得周三前完成',
    '废物利用：旧三脚架改成灯架',
    '有人私聊骂我傻逼，管理员能处理一下吗',
    'someone called me a retard in DMs, can a mod look?',
    '请不要骂人，会被禁言的哦',
    'the boss killed me five times lol',
    'USB 接口松了',
    '笑死我了，这也太可爱了',
    'the class trip to Scunthorpe is on Friday',
    '滚动条拉到底就能看到',
    '教程在这 https://www.bilibili.com/video/BV1ab411c7zz',
  ])('lets %s through', (text) => {
    expect(codes(check(text)).filter((code) => code.startsWith('HARASSMENT_'))).toEqual([]);
  });
});
