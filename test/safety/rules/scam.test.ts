import { describe, expect, it } from 'vitest';
import { check, codes } from '../harness.ts';

describe('scam rule: off-platform contact', () => {
  it.each([
    '想了解的加我微信 abc_12345',
    '加V：xiaomei8899 详聊',
    '加 微 信：zx98765',
    'ＶＸ：ａｂｃ９８７６５',
    '加威信 sk88990',
    '薇信 lucky_2024',
    '加我扣扣 398765432',
    '扣扣 三九八七六五四三二 找我',
    'QQ：1234567890',
    'Add me on WeChat: sunny_99',
    'Telegram: @cryptoking88',
    '加🆅🆇：jz_2025',
    '➕🛰：fy2025',
    '加卫星 dy_6677',
    '加微：zl_share88',
    '威❤：tz_0101',
    '薇x：abc20250',
    'q群 1 2 3 4 5 6 7 8',
    '加群：1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣',
    'jia wei xin: fuye_88',
  ])('flags %s', (text) => {
    expect(codes(check(text))).toContain('SCAM_CONTACT_OFFPLATFORM');
  });

  it.each([
    '我微信上发你了，你看一下',
    '我用微信支付付的款',
    'QQ音乐会员到期了',
    'DM me if you want to join the Saturday hike',
    'Does anyone know a good vegetarian lasagna recipe?',
    'youtube.com/watch?v=dQw4w9WgXcQ',
    '疯狂星期四，谁v我50',
    '稍微 check 一下行程',
    '关注卫星发射直播',
    '我加微博好友了',
  ])('leaves %s alone', (text) => {
    expect(check(text).action).toBe('allow');
  });
});

describe('scam rule: categories', () => {
  it.each([
    ['招聘兼职刷单，日结300，加V：job8899', 'SCAM_TASK_BRUSHING', 'block'],
    ['兼职刷單日結，佣金秒返', 'SCAM_TASK_BRUSHING', 'block'],
    ['刷 单 兼 职，佣 金 日 结', 'SCAM_TASK_BRUSHING', 'block'],
    ['稳赚不赔，导师带单，日收益5%', 'SCAM_INVESTMENT', 'block'],
    ['Double your bitcoin in 7 days, risk-free investment, DM me', 'SCAM_INVESTMENT', 'block'],
    ['百家乐真人荷官，首充送50%', 'SCAM_GAMBLING', 'hold'],
    ['百家乐真人荷官，首充送50%，加V：bjl888', 'SCAM_GAMBLING', 'block'],
    ['我是支付宝客服，您的百万保障即将扣费', 'SCAM_FAKE_SERVICE', 'block'],
    ['同城约炮，寂寞少妇在线', 'SCAM_ADULT', 'block'],
    ['稳赚项目', 'SCAM_INVESTMENT', 'hold'],
    ['宝妈在家做，日入三五百，私聊', 'SCAM_TASK_BRUSHING', 'block'],
    ['跟单理财，日收益过千', 'SCAM_INVESTMENT', 'block'],
    ['带单稳赚，兄弟们滴我', 'SCAM_INVESTMENT', 'block'],
    ['QQ号即将被封号，请扫码申诉', 'SCAM_FAKE_SERVICE', 'hold'],
    ['恭喜中奖！请付邮费15元并填写收货地址', 'SCAM_GIVEAWAY', 'hold'],
    ['扫码领取618现金红包，限时三天', 'SCAM_GIVEAWAY', 'hold'],
    ['转发本条到五个群，截图给我领取奶茶券', 'SCAM_GIVEAWAY', 'hold'],
    ['空投：连接钱包即可领取，加V：air_2025', 'SCAM_GIVEAWAY', 'block'],
    ['Send 1 ETH and we send 2 ETH back', 'SCAM_GIVEAWAY', 'hold'],
    ['Claim your free 200 USDT now, DM me', 'SCAM_GIVEAWAY', 'block'],
  ])('%s → %s', (text, code, action) => {
    const verdict = check(text);
    expect(verdict.reasons.find((r) => r.code === code)?.action).toBe(action);
  });

  it.each([
    '我昨天找淘宝客服退款了，很顺利',
    '基金今年亏了不少，还是定投吧',
    '今晚一起上分啊，我钻石了',
    '我在一家咖啡店做兼职，周末上班',
    '这部纪录片讲澳门赌场的历史，挺有意思',
    '快递丢了，在菜鸟上申请了理赔，等消息',
    '日出而作，日入而息',
    '我们读书会抽奖，中奖的同学周六来领奖品',
    '抽奖结果出来了，中奖的同学私聊我地址，包邮寄给你们',
    '二维码过期了，私聊我拉你进群',
    "Don't forget to claim your daily reward in Genshin",
    "I'm doing a giveaway of my old 50mm lens at the meetup, DM me",
    '和平精英刚才抢到空投了',
  ])('does not catch ordinary %s', (text) => {
    expect(check(text).action).toBe('allow');
  });
});

describe('scam rule: warnings', () => {
  it.each([
    "someone asked me to 加微信 for 刷单, it's a scam, be careful",
    '有人私聊我让我加微信去刷单，大家别信，是骗子',
    '那个说稳赚不赔带单的是杀猪盘，千万别上当',
    'PSA: never send money to people promising guaranteed returns, they are scammers',
    '群规：禁止发广告、刷单、兼职信息，违者直接踢',
    "Someone DMed me 'earn money from home, telegram me' — spam bot, please ban",
  ])('lets the warning %s through', (text) => {
    expect(check(text).action).toBe('allow');
  });

  it('still flags a "warning" that carries a concrete handle, and never trusts false reassurance', () => {
    expect(check('谨防诈骗！正规兼职刷单日结，加V: abc12345').action).toBe('flag');
    expect(check('正规平台不是骗子，稳赚不赔，加V: abc12345').action).toBe('block');
    // "禁止" reads as a group rule only when it forbids posting, not in a pitch's "禁止外传".
    expect(check('禁止外传！内部消息，稳赚带单，加V：abc12345').action).toBe('block');
  });
});

describe('scam rule: placeholders', () => {
  it.each(['Meet at xxx station, DM me for the exact time', '地址是xxx路xxx号，私聊我', '报名格式：姓名xxx 电话xxx，私聊我', 'Name: xxx, phone: xxx — fill in the form and DM me'])(
    'reads the placeholder "xxx" in %s as a placeholder, not adult advertising',
    (text) => {
      expect(codes(check(text))).not.toContain('SCAM_ADULT');
    },
  );

  it('still blocks adult advertising that says xxx outright', () => {
    expect(check('xxx videos free, DM me').reasons.find((r) => r.code === 'SCAM_ADULT')?.action).toBe('block');
  });
});
