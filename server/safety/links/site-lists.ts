// The reference lists the link judge consults. Kept as data in one file so that reviewing
// "which sites do we trust" or "which endings do we distrust" is one read.

/** Sites whose links pass untouched (matched on the registrable domain, so subdomains count). */
export const KNOWN_SITES: ReadonlySet<string> = new Set([
  // Chinese communities and services
  'bilibili.com', 'bilibili.tv', 'b23.tv', 'hdslb.com', 'acfun.cn', 'zhihu.com', 'zhimg.com', 'douban.com',
  'xiaohongshu.com', 'xhslink.com', 'weibo.com', 'weibo.cn', 'sina.com.cn', 'qq.com', 'gtimg.com', 'baidu.com',
  'taobao.com', 'tmall.com', 'jd.com', 'pinduoduo.com', 'douyin.com', 'iqiyi.com', 'youku.com', 'csdn.net',
  'juejin.cn', 'v2ex.com', 'gitee.com', 'nga.cn', '163.com', '126.com', 'sohu.com', 'alipay.com', 'aliyun.com',
  'mihoyo.com', 'hoyoverse.com', 'netease.com', 'ctrip.com', 'meituan.com', 'dianping.com', '12306.cn',
  'cnki.net', 'sspai.com', 'ithome.com', 'zol.com.cn', 'mi.com', 'huawei.com', 'jianshu.com', 'tapd.cn',
  // International
  'github.com', 'github.io', 'githubusercontent.com', 'gitlab.com', 'wikipedia.org', 'wikimedia.org',
  'wiktionary.org', 'youtube.com', 'youtu.be', 'google.com', 'twitter.com', 'x.com', 'reddit.com',
  'stackoverflow.com', 'stackexchange.com', 'npmjs.com', 'apple.com', 'microsoft.com', 'mozilla.org',
  'python.org', 'nodejs.org', 'rust-lang.org', 'golang.org', 'go.dev', 'steampowered.com', 'steamcommunity.com',
  'pixiv.net', 'archive.org', 'arxiv.org', 'medium.com', 'notion.so', 'amazon.com', 'paypal.com', 'discord.com',
  'twitch.tv', 'spotify.com', 'netflix.com', 'bbc.co.uk', 'nytimes.com', 'imdb.com', 'goodreads.com',
  'openai.com', 'huggingface.co', 'kaggle.com', 'docker.com', 'vercel.app', 'cloudflare.com', 'typescriptlang.org',
  // The brands' own domains (IMITATED_BRANDS below): careers.tencent.com is Tencent's, tencent-careers.top is not.
  'tencent.com', 'wechat.com', 'icloud.com', 'icbc.com.cn', 'cmbchina.com', 'unionpay.com', 'steamstatic.com',
  'vuejs.org', 'react.dev', 'developer.mozilla.org', 'nintendo.com', 'playstation.com', 'epicgames.com',
]);

/**
 * Brand names (the label of a known site) that phishing domains imitate. Short or generic
 * labels (qq, jd, mi, x, go) are left out: they occur inside too many unrelated names.
 */
export const IMITATED_BRANDS: readonly string[] = [
  'bilibili', 'zhihu', 'douban', 'xiaohongshu', 'weibo', 'taobao', 'tmall', 'alipay', 'pinduoduo', 'douyin',
  'github', 'wikipedia', 'youtube', 'google', 'twitter', 'reddit', 'apple', 'icloud', 'microsoft', 'paypal',
  'steamcommunity', 'steampowered', 'discord', 'netflix', 'amazon', 'mihoyo', 'hoyoverse', 'icbc', 'cmbchina',
  'unionpay', 'wechat', 'weixin', 'tencent', 'baidu', 'netease',
];

/** Shorteners that hide where a link goes. First-party ones tied to a known site (b23.tv, youtu.be) are not here. */
export const SHORTENERS: ReadonlySet<string> = new Set([
  'bit.ly', 'bitly.com', 'tinyurl.com', 'goo.gl', 't.cn', 'dwz.cn', 'suo.im', 'url.cn', 'is.gd', 'v.gd', 'ow.ly',
  'buff.ly', 'cutt.ly', 'rebrand.ly', 'rb.gy', 'shorturl.at', 's.id', 'tiny.cc', 'tr.im', 't.ly', 'reurl.cc',
  '0rz.tw', 'lihi.cc', 'lnkd.in', 'adf.ly', 'shorte.st', 'bc.vc', 'ouo.io', 'mrw.so', 'sina.lt', 'w.url.cn',
  't.co', 'u.nu', 'clck.ru', 'qr.net', 'kutt.it',
]);

/**
 * Public suffixes that, per abuse reports (Spamhaus, Interisle phishing studies), carry a large
 * share of spam and phishing for their size. A flag, not a ban: real sites live there too.
 */
export const SUSPICIOUS_SUFFIXES: ReadonlySet<string> = new Set([
  'tk', 'ml', 'ga', 'cf', 'gq', 'top', 'xyz', 'icu', 'buzz', 'cyou', 'rest', 'click', 'work', 'loan', 'win',
  'bid', 'men', 'date', 'download', 'racing', 'review', 'stream', 'gdn', 'kim', 'party', 'science', 'zip',
  'mov', 'sbs', 'cfd', 'bond', 'quest', 'monster', 'best', 'bar', 'casa', 'uno', 'vip', 'lat', 'country',
]);

/** Global deny list shipped with the server: IP loggers and grabbers that only exist to track people. */
export const BUILT_IN_DENIED_DOMAINS: readonly string[] = [
  'grabify.link', 'iplogger.org', 'iplogger.com', 'iplogger.ru', '2no.co', 'yip.su', 'blasze.tk', 'ps3cfw.com',
];

/** Extensions that run code when opened; a link straight to one is a download of a program. */
export const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  'apk', 'exe', 'msi', 'scr', 'bat', 'cmd', 'pif', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'hta', 'jar', 'ps1', 'cpl',
  'lnk', 'com', 'ipa', 'dmg', 'xapk', 'reg',
]);

/** The subset that has no legitimate reason to be linked in a chat at all. */
export const NEVER_SHARED_EXTENSIONS: ReadonlySet<string> = new Set([
  'scr', 'pif', 'vbs', 'vbe', 'jse', 'wsf', 'hta', 'cpl', 'lnk', 'reg', 'bat', 'cmd',
]);

/** Document and media extensions a double-extension file pretends to be ("invoice.pdf.exe"). */
export const DECOY_EXTENSIONS: ReadonlySet<string> = new Set([
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'jpg', 'jpeg', 'png', 'gif', 'mp4', 'mp3', 'avi',
  'mkv', 'zip', 'rar', 'csv',
]);
