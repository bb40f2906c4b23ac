import { describe, expect, it } from 'vitest';
import { findLinks } from '../../../server/safety/links/find-links.ts';
import { check, codes } from '../harness.ts';

const hosts = (text: string) => findLinks(text).map((l) => l.asciiHost);

describe('findLinks: disguised links', () => {
  it.each([
    ['ｅｖｉｌ．ｃｏｍ', 'evil.com'],
    ['evil。com/x', 'evil.com'],
    ['evil点com', 'evil.com'],
    ['evil 點 com', 'evil.com'],
    ['go to evil dot com now', 'evil.com'],
    ['evil[.]com', 'evil.com'],
    ['evil(dot)com', 'evil.com'],
    ['e v i l . c o m', 'evil.com'],
    ['ev*il.com', 'evil.com'],
    ['ev\u200bil.com', 'evil.com'],
    ['没有协议 www.evil.cn/abc 复制打开', 'www.evil.cn'],
    ['w w w . z b 8 8 . c c', 'www.zb88.cc'],
    ['free skins at bit . ly / skins2025', 'bit.ly'],
  ])('finds %s', (text, host) => {
    expect(hosts(text)).toEqual([host]);
  });

  it.each(['She said no. Live music is cancelled', 'nice game. gg wp', 'I got an A . B and C', '版本 3 . 1 . 4 发布了'])(
    'does not make a link out of the prose %s',
    (text) => {
      expect(hosts(text)).toEqual([]);
    },
  );

  it('marks disguised hosts as obfuscated and plain ones not', () => {
    expect(findLinks('evil点com')[0].obfuscated).toBe(true);
    expect(findLinks('https://evil.com')[0].obfuscated).toBe(false);
  });

  it('reads a host the same however often and in whatever form it comes (host facts are remembered)', () => {
    for (let round = 0; round < 2; round++) {
      expect(findLinks('http://files.internal.corp/a').map((l) => l.domain)).toEqual(['internal.corp']);
      expect(hosts('files.internal.corp')).toEqual([]); // no scheme and no public suffix: not a link
      expect(findLinks('https://bіlіbіlі.com/x')[0]).toMatchObject({ asciiHost: 'xn--blbl-l9dbbb.com', unicodeHost: 'bіlіbіlі.com' });
    }
  });

  it.each(['5点30分见', 'anecdotal evidence', 'v1.2.3 released', '我用的是iPhone 15，价格5999.00元', 'readme.md 写好了', 'my mail is zhang.li@qq.com', '好的。然后呢'])(
    'does not invent a link in %s',
    (text) => {
      expect(hosts(text)).toEqual([]);
    },
  );
});

describe('links rule', () => {
  it.each([
    '看看 https://www.bilibili.com/video/BV1GJ411x7h7',
    'https://b23.tv/Xy7kLmN',
    'https://github.com/vuejs/core/releases/download/v3.4.0/vue.exe',
    'zhihu.com/question/20000000',
    'https://movie.douban.com/subject/1292052/',
    'https://www.xiaohongshu.com/explore/64a1b2c3',
    'https://weibo.com/1234567890/NxYzAbCdE',
    'https://zh.wikipedia.org/wiki/量子力学',
    'ｂｉｌｉｂｉｌｉ．ｃｏｍ',
    '路由器后台 http://192.168.1.1',
  ])('lets %s through untouched', (text) => {
    expect(check(text)).toEqual({ action: 'allow', reasons: [] });
  });

  it.each([
    ['https://bilibili.com@evil.example/login', 'LINK_USERINFO_TRICK', 'block'],
    ['bilibili.com@evil.cn/free', 'LINK_USERINFO_TRICK', 'block'],
    ['https://bіlіbіlі.com/login', 'LINK_LOOKALIKE_DOMAIN', 'block'],
    ['paypa1.com/verify', 'LINK_LOOKALIKE_DOMAIN', 'block'],
    ['xn--bilbili-8rg.com', 'LINK_LOOKALIKE_DOMAIN', 'hold'], // punycode for bilѥbili: one letter off
    ['https://pаypal-help.net/x', 'LINK_MIXED_SCRIPT', 'hold'], // Cyrillic а in a non-brand label
    ['https://githuh.com/login', 'LINK_LOOKALIKE_DOMAIN', 'hold'],
    ['https://bilibili.com.vip-gift.cn/a', 'LINK_BRAND_IMPERSONATION', 'hold'],
    ['http://3232235777/', 'LINK_OBFUSCATED_IP', 'block'],
    ['http://0xC0A80001/a', 'LINK_OBFUSCATED_IP', 'block'],
    ['http://0300.0250.0.1/', 'LINK_OBFUSCATED_IP', 'block'],
    ['http://198.51.100.23/x', 'LINK_IP_LITERAL', 'hold'],
    ['bit.ly/3xYzAbC', 'LINK_SHORTENER', 'flag'],
    ['https://files.example.net/app.apk', 'LINK_RISKY_DOWNLOAD', 'hold'],
    ['https://files.example.net/run.scr', 'LINK_RISKY_DOWNLOAD', 'block'],
    ['https://files.example.net/invoice.pdf.exe', 'LINK_DOUBLE_EXTENSION', 'block'],
    ['https://something.xyz/', 'LINK_SUSPICIOUS_TLD', 'flag'],
    ['复制 evil点com', 'LINK_OBFUSCATED', 'hold'],
    ['grabify.link/ABC', 'LINK_DENIED_DOMAIN', 'block'],
  ])('%s → %s', (text, code, action) => {
    const verdict = check(text);
    expect(codes(verdict)).toContain(code);
    expect(verdict.reasons.find((r) => r.code === code)?.action).toBe(action);
  });

  it('applies the global deny list given to the pipeline', async () => {
    const { createSafetyPipeline } = await import('../../../server/safety/pipeline.ts');
    const pipeline = createSafetyPipeline({ globalDeniedDomains: ['bad-site.com'] });
    expect(codes(check('see https://www.bad-site.com/x', { pipeline }))).toEqual(['LINK_DENIED_DOMAIN']);
  });

  it('honours room allow and deny lists', () => {
    expect(check('https://wiki.corp-tools.xyz/page', { policy: { allowedDomains: ['corp-tools.xyz'] } }).action).toBe('allow');
    expect(codes(check('https://forum.rival.com/t/1', { policy: { deniedDomains: ['rival.com'] } }))).toEqual(['LINK_ROOM_DENIED_DOMAIN']);
  });

  it('softens heuristics in lenient rooms but never the phishing tricks', () => {
    const lenient = { policy: { rules: { links: 'lenient' } } };
    expect(check('bit.ly/3xYzAbC', lenient).action).toBe('allow');
    expect(check('https://bilibili.com@evil.example/login', lenient).action).toBe('block');
    expect(check('bit.ly/3xYzAbC', { policy: { rules: { links: 'strict' } } }).action).toBe('hold');
    expect(check('https://bilibili.com@evil.example/login', { policy: { rules: { links: 'off' } } }).action).toBe('allow');
  });
});
