// The words of scam and spam messages, by category. Chinese patterns run on the compact form
// (normalized, no spaces or symbols: "加 V . 信" → "加v信"); English patterns on the folded form
// with word boundaries, because removing spaces from English glues unrelated words together.
//
// Amounts count whether written in digits or in Chinese numerals: 日入300, 日入两三百, 日入过千,
// 日收益千元 (a long run of numerals is already digits after normalization; these are short).
//
// "strong" phrases are pitches on their own (刷单返利, 稳赚不赔). "weak" words are ordinary in
// chat (兼职, 投资, 客服) and only count in combination, which is what keeps "我找淘宝客服退款了"
// or "基金最近收益不错" from being caught.

import type { ReasonCode } from '../reasons.ts';

export interface ScamCategory {
  code: ReasonCode;
  strongCjk: RegExp;
  strongEn: RegExp;
  /** Global: each distinct match counts once. */
  weakCjk: RegExp;
  weakEn: RegExp;
  /** Weak words that, with no other signal, are enough to hold the message. */
  weakAlone: number;
}

export const SCAM_CATEGORIES: readonly ScamCategory[] = [
  {
    code: 'SCAM_TASK_BRUSHING',
    strongCjk:
      /刷单(返利|返佣|兼职|日结|佣金|赚钱|任务|平台)|(兼职|招聘?|招募)刷(单|手)|招?刷手|点赞(兼职|员|任务|赚|返)|(关注|点赞|评论|收藏)一(个|次|单)\d*(元|块)|垫付|一单一结|(日结|日赚|日入|日进)(\d{2,}|[一二两三四五六七八九十几数过上]{1,3}[百千万])|动动手指.{0,4}(赚|挣|收入)|做任务.{0,3}(赚|返|领|佣金)|佣金(秒返|日结|\d+)|在家(就能|即可|轻松)?(赚|挣)|手机(兼职|操作).{0,4}(日入|日赚|月入|日结)|宝妈兼职|(兼职|副业).{0,8}(日结|秒结|日入|日赚|当天结)|(无需|不需要)(经验|押金).{0,8}(日结|赚|佣金)|打字员|抖音点赞|网络兼职/,
    strongEn:
      /\b(paid (per|for each) (like|review|task)|like (and|&) (follow|subscribe) (job|task)s?|earn \$?\d{2,}\s*(\$|usd|dollars)? ?(a|per|every) (day|hour)|(daily|instant) (pay|payout|commission)s?\b.{0,40}\b(task|job|like)|work from home.{0,40}(earn|\$\d|daily pay)|task (job|platform)s? .{0,30}(commission|earn|pay)|prepaid tasks?|optimi[sz]e (orders|products|data) .{0,20}(commission|earn))\b/,
    weakCjk: /兼职|副业|日结|佣金|返利|返现|赚钱|月入(\d|过?[一二两三四五六七八九十几数]{0,3}[千万])|轻松(赚|挣)|时间自由|零门槛|无需经验|招人|名额有限|宝妈|学生党|刷单|任务|做单|提现/g,
    weakEn: /\b(part[- ]time|side hustle|daily pay|commission|earn money|extra income|no experience( needed)?|from home|flexible hours|easy money|tasks?|limited (spots|slots))\b/g,
    weakAlone: 3,
  },
  {
    code: 'SCAM_INVESTMENT',
    strongCjk:
      /带单|稳赚|稳赢|包赚|保本(保息|高收益|高回报)|保(证)?收益|零风险.{0,4}(收益|投资|理财|赚)|高回报|(日|周|月)收益(率)?(\d|[一二两三四五六七八九十几数过上]{0,3}[百千万])|收益(翻倍|\d{2,}%)|内幕消息|内部(消息|渠道|名额)|(导师|老师)(带|指导)(你|大家|单|操作)?(赚|盈利|投资|炒)|跟单.{0,4}(稳|盈利|必赚)|(usdt|泰达币|虚拟币|数字货币|比特币|btc|币圈).{0,6}(搬砖|套利|带单|稳赚|理财|投资群|暴富)|搬砖套利|资金盘|一本万利|躺赚|财富自由群|(拉你|进)(群|圈).{0,4}(赚|理财|投资|分红)|每天(稳定)?收益(\d|[一二两三四五六七八九十几数过上]{0,3}[百千万])|(投|充)\d+.{0,4}(回|返|赚)\d+|翻(\d+|几|十)倍.{0,6}(收益|回报|利润)|(炒|做)(股|币|外汇).{0,6}(稳赚|必赚|包赚|带你)|牛股推荐|荐股|(黑马|妖)股群/,
    strongEn:
      /\b(guaranteed (returns?|profits?|income|earnings)|risk[- ]free (investment|returns?|profits?|trading)|double your (money|investment|bitcoin|btc|crypto)|\d{2,}% (daily|weekly|monthly|per day|per week) (returns?|profits?|roi)|(crypto|forex|trading) (signals?|mentor|coach) .{0,30}(profit|earn|returns?)|binary options|turn \$\d+ into \$\d+|(invest|investing) with me|i made \$\d[\d,]* .{0,20}(crypto|bitcoin|trading|invest))\b/,
    weakCjk: /投资|理财|收益|回报|usdt|比特币|虚拟币|炒币|币圈|炒股|牛股|涨停|财务自由|导师|入金|出金|利润|分红|翻倍|本金|平台/g,
    weakEn: /\b(invest(ment|ing)?|crypto|bitcoin|btc|usdt|profits?|returns?|trading|forex|mentor|passive income|roi|financial freedom|dm for details)\b/g,
    weakAlone: 4,
  },
  {
    code: 'SCAM_GAMBLING',
    strongCjk:
      /博彩|网赌|百家乐|(线上|网上|在线|网络)赌场|真人(荷官|娱乐|视讯)|时时彩|北京赛车|(幸运|极速)赛车|pk10(计划|开奖|平台|投注|下注|彩票|群)|六合彩|(彩票|彩)(计划|导师|带单|内部)|澳门(新)?(葡京|威尼斯人)|澳门.{0,4}(线上|网上|在线)(赌场|娱乐)|开户(送|就送|即送)|首充(送|返)|(注册|充值)(就|即)?送\d+|棋牌(充值|提现|上分)|老虎机|电子游艺|(体育|足球|球赛|世界杯)(投注|下注|博彩)|bc平台|菠菜(平台|网)|线上(娱乐城|赌)|(提款|出款)(秒到|快|无忧)|返水|娱乐城|送彩金|彩金/,
    strongEn: /\b(online casino|casino bonus|sports ?betting|bet now|free spins|no deposit bonus|betting tips|(slot|slots) (bonus|site)|baccarat)\b/,
    // "pk10" alone is also a gamer's "ten rounds of PK" (the text is compacted, so "pk 10" too).
    weakCjk: /赌|押注|下注|投注|彩票|棋牌|充值|提现|开户|上分|赔率|pk10/g,
    weakEn: /\b(casino|bet(ting)?|jackpot|odds|deposit|withdraw(al)?|slots?)\b/g,
    weakAlone: 3,
  },
  {
    code: 'SCAM_FAKE_SERVICE',
    strongCjk:
      /(退款|理赔|赔偿|退费)(专员|客服|通道|链接)|(快递|包裹|物流)(丢失|丢件|破损|异常).{0,12}(理赔|赔偿|退款|联系)|客服.{0,6}(联系|通知)您|您(的|好您的)(订单|包裹|快递|账户|账号|会员|花呗|借呗|白条|网购)|(关闭|取消|注销)(百万保障|自动续费|校园贷|学生贷|借呗|金条|白条|学生账户)|(共享|分享)屏幕|屏幕共享|征信(受损|修复|有问题|有影响)|影响(您的|你的)?征信|(双倍|三倍|加倍)(退款|赔偿)|百万保障|我是(支付宝|京东|淘宝|抖音|快手|美团|拼多多|银行|快递|微信|平台)(官方)?客服|航班(取消|延误).{0,10}(改签|退款|理赔)|(账户|账号)(已被|被)?(冻结|异常).{0,10}(点击|联系|解冻|验证)|(点击|打开)(链接|下方链接).{0,8}(退款|领取|理赔|解冻|验证)|保证金.{0,6}(解冻|退还)|(将|会|即将|已)被?(冻结|封禁|封号|停用|注销|限制).{0,16}(扫码|扫描|二维码|点击|链接|登录|解冻|验证|申诉)/,
    strongEn:
      /\b(your (order|package|parcel|account|payment) (has been|is|was) (suspended|locked|held|on hold|frozen|delayed)|refund (department|agent|specialist|link|team)|(claim|get|receive) your refund|verify your (account|identity) .{0,20}(link|click|here)|account will be (closed|suspended|locked)|customer (service|support) .{0,20}(whatsapp|telegram|call this|contact this))\b/,
    weakCjk: /退款|客服|理赔|赔偿|快递|包裹|账户|冻结|异常|征信|验证码|银行卡|转账|保证金|解冻|官方|您/g,
    weakEn: /\b(refund|customer service|support team|verify|suspended|locked|package|parcel|delivery|account|click (the|this) link)\b/g,
    weakAlone: 4,
  },
  {
    code: 'SCAM_ADULT',
    strongCjk:
      /约炮|约p|同城(约|交友|寂寞|上门|约会|美女|速约)|上门服务|裸聊|果聊|(福利|成人|黄色|激情|看片|av|色情|黄)(视频|网站|群|资源|直播|电影)|看片(网|神器|群)|私密(视频|照片|直播)|一夜情|援交|包夜|特殊服务|(寂寞|饥渴)(少妇|美女|人妻)|少妇|楼凤|外围(女|模特|资源)|小姐(上门|服务)|全套服务|丝袜美女.{0,4}(直播|视频)|免费看(片|黄)|无码(视频|资源)/,
    strongEn: /\b(onlyfans|porn|nudes?|hot (singles|girls|milfs?) (in|near) (your|you)|sex ?chat|hook ?up tonight|escort service|adult (content|videos?|chat)|xxx videos?|18\+ (content|videos?|chat))\b/,
    weakCjk: /美女|寂寞|约会|私密|福利|性感|小姐姐|直播|18禁|激情|无码|同城|交友|视频/g,
    // A bare "xxx" is the placeholder of every sign-up form (姓名xxx 电话xxx, "meet at xxx"), not a signal; "xxx videos" stays strong.
    weakEn: /\b(sexy|hot girls?|dating|18\+|lonely|single (girls|ladies)|private (photos?|videos?))\b/g,
    weakAlone: 3,
  },
  {
    // Prize and giveaway bait: "you won, pay the postage", "scan to claim", "forward to three
    // groups and send me a screenshot", airdrops that ask for a wallet, "send 0.1 BTC, get 0.2
    // back". Free things are ordinary in groups (免费的资料, a member giving away a lens), so
    // 红包, 福利, 扫码 and giveaway alone are not even weak words; the bait is the claim mechanism.
    code: 'SCAM_GIVEAWAY',
    strongCjk:
      /(长按|扫码|扫描|识别)(二维码)?.{0,10}(领取|领红包|领现金|领礼包|免费领)|(二维码|扫码).{0,4}(进群)?.{0,4}(免费)?领取|免费领取.{0,12}(礼包|红包|皮肤|会员|券|手机|iphone|现金|话费|流量|课程)|(抽中|中奖|获奖|幸运).{0,24}(邮费|运费|手续费|填写.{0,4}地址|领取地址)|转发(到|给)?.{0,6}群.{0,10}(截图|领取|送)|截图给我.{0,6}(领|送)|(空投|airdrop).{0,8}(领取|连接钱包)|连接钱包.{0,6}(领|送|即可)/,
    strongEn:
      /\b(free (steam|amazon|google play|apple|itunes|psn|xbox|roblox) (gift ?cards?|codes?)|(claim|collect) (your|the|a) (free )?(\$?\d+ ?)?(usdt|btc|eth|airdrop|nitro|robux|tokens?|crypto)|(claim|collect) (your|the|a) (free )?\$?\d+ ?(\w+ )?(bonus|reward|gift)|free (discord )?nitro|free (robux|v-?bucks)|send \d+(\.\d+)? ?(btc|eth|usdt|bitcoin|ether) .{0,40}\b(back|double)|scan (the|this) qr( code)? .{0,40}\b(claim|get|receive|bonus|free|reward)|you (have )?won (a|an|the) .{0,30}(claim|shipping|fee))\b/,
    // Organisers announce draws, share QR codes and say "私聊我地址" to winners; a weak word
    // plus a DM request must not read as bait, so the weak lists stay tiny.
    weakCjk: /免费领取|限时领取|仅限前\d+名/g,
    weakEn: /\b(airdrop|claim (now|here|today))\b/g,
    weakAlone: 4,
  },
];

// Off-platform contact. "Strong" is an explicit request to add someone on a named app, or an
// app name followed by a handle or number. "Weak" is a generic "DM me"/"私聊", which is ordinary
// alone and only counts next to a scam category.
// Channel names include the stand-ins spammers rotate through: a lone 微/威/薇 followed by x or
// v (薇x, 威v), 企鹅 for QQ, pinyin written out ("jia wei xin" compacts to jiaweixin), and, only
// right after 加/➕ or before a handle, 卫星/🛰 ("wei xing", satellite, for 微信): on their own
// those are ordinary words (关注卫星发射, 稍微).
const CHANNEL_CJK = '(?:微信|威信|薇信|徽信|嶶信|溦信|维信|卫信|微心|[微威薇][xv](?![a-z])|v信|vx|wx|weixin|wechat|薇|扣扣|qq|企鹅|飞机|纸飞机|电报|telegram|whatsapp|line|钉钉|抖音号)';
export const CONTACT_REQUEST_CJK = new RegExp(
  `(?:加|添加|联系|联络|找|私|滴滴|咨询|详询|扫码加?|搜索?|关注|➕|jia(?:wo)?)(?:我|一下|下|本人|老师|客服|小编|助理|助手|导师)?(?:的)?(?:个人|私人)?(?:好友)?${CHANNEL_CJK}|${CHANNEL_CJK}(?:联系|私聊|详聊|咨询|详谈)|(?:加|添加|➕|\\+)(?:我)?(?:v|q|卫星|🛰)(?![a-z])`,
);
// App name then handle: "微信abc123", "vx: abc123", "QQ 398765432", "Line ID: sweetgirl77".
// Latin app names need a separator before the handle and single letters (v, q) a digit in it,
// or "vegetarian" and "questions" would read as "v: egetarian" and "q: uestions".
export const CONTACT_HANDLE = new RegExp(
  [
    `(?:微信|威信|薇信|徽信|卫星|🛰|v信|[微威薇]\\s?[xv]|扣扣|企鹅|电报|飞机|(?<![a-z])q(?=群)|加群)(?:号|号码|群|群号)?\\s*[:：=]?\\s*(?:@?[a-z][a-z0-9_-]{4,19}|\\+?\\d[\\d -]{4,14}\\d)(?![a-z0-9])`,
    // A lone 微/威 (加微：abc, 威❤：abc) only with a colon: "稍微 check 一下" is not a handle.
    `[微威](?:\\s?[❤♥❣💕💗💓])?\\s*[:：=]\\s*(?:@?[a-z][a-z0-9_-]{4,19}|\\+?\\d[\\d -]{4,14}\\d)(?![a-z0-9])`,
    `(?<![a-z0-9?&/=._-])(?:vx|wx|wechat|weixin|qq|telegram|tg|whatsapp|line)\\s?(?:号|号码|群|群号|id)?(?:\\s*[:：=]\\s*|\\s+)(?:@?[a-z][a-z0-9_-]{4,19}|\\+?\\d[\\d -]{4,14}\\d)(?![a-z0-9])`,
    `(?<![a-z0-9?&/=._-])(?:v|q)(?:\\s*[:：=]\\s*|\\s+)(?=[a-z_-]*\\d)[a-z0-9_-]{5,20}(?![a-z0-9])`,
  ].join('|'),
);
export const CONTACT_REQUEST_EN =
  /\b((add|contact|message|text|msg|reach|find|hit) me (up )?(on|at|via|in|thru|through) (wechat|whatsapp|telegram|tg|line|snap(chat)?|signal|kik|wa)|(whatsapp|telegram|wechat|signal)( me)?\s*[:@+]\s*\S{4,})/;
// "V我" without a number: "v我50" is the KFC Thursday meme ("send me 50"), not a pitch.
export const CONTACT_SOFT_CJK = /私聊|私信我|私我|滴滴?我|戳我|详聊|来撩|私发|私下联系|v我(?!\d)/;
export const CONTACT_SOFT_EN = /\b(dm|pm|inbox|message) me\b|\bdm (for|me)\b/;

// A message warning about a scam quotes the scam's words; these cues mark it as a warning. Group
// rules and moderation talk quote them too: "禁止发兼职刷单广告，直接踢", "someone DMed me
// '…message me on telegram', probably a bot, pls ban".
export const WARNING_CJK =
  /骗子|骗局|诈骗|被骗|受骗|上当|别信|不要信|别相信|千万别|千万不要|不要加|别加|小心|谨防|警惕|防骗|反诈|举报|是假的|假客服|违法|犯法|报警|提醒大家|提醒一下|注意防范|注意甄别|套路|坑人|割韭菜|骗钱|骗人|是骗|骗了|差点被|杀猪盘|拉黑|别点|不要点|没有任何|不会让你|直接挂|(禁止|严禁|不准|不允许)(发|在群|私加|打广告|广告)|一律踢|直接踢|踢出|会被踢|群规/;
export const WARNING_EN =
  /\b(scam|scams|scammer|scammers|scammed|fraud|beware|phishing|don'?t (click|trust|fall|add|send|believe)|do not (click|trust|add|send|believe)|never (send|share|click)|watch out|be careful|reported|fake|spam ?bots?|spammers?|(pls|please|plz) (ban|kick|remove)|(probably|just|is|it'?s) a bot|not allowed|hover (over|before)|look-?alikes?|(is|are) (the )?(real|official) one)\b/;
// …unless the "warning" is the pitch itself: "not a scam", "正规平台不是骗子".
export const FALSE_REASSURANCE = /不是骗|非诈骗|绝非骗局|正规平台|假一赔|\bnot a scam\b|\bno scam\b|\b100% legit\b|\blegit\b/;
