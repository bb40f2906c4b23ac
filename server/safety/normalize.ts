// One place that turns a message into the forms the rules match against. Spammers evade
// keyword lists with fullwidth letters (ＶＸ), zero-width joiners (加\u200b微信), symbols
// between characters (加-微-信), traditional characters (刷單) and look-alike letters (Cyrillic
// "а" in "bаnk"), so rules never match the raw text.

export interface NormalizedText {
  /** The text as sent. */
  original: string;
  /** NFKC, zero-width stripped, lower case, traditional→simplified, look-alikes folded. Keeps spaces and punctuation. */
  folded: string;
  /** `folded` with everything but letters, digits and CJK removed: "加 V.信" → "加v信". */
  compact: string;
  /**
   * NFKC + lower case of the original, invisible characters kept and nothing folded: the view
   * links are found in (links/find-links.ts). Computed here because it is `folded`'s first step
   * whenever the text has no invisible characters, which saves a second NFKC pass per message.
   */
  lowered: string;
}

export function normalizeText(text: string): NormalizedText {
  const stripped = stripInvisible(text);
  const strippedLowered = stripped.normalize('NFKC').toLowerCase();
  const folded = foldLowered(strippedLowered);
  const lowered = stripped === text ? strippedLowered : text.normalize('NFKC').toLowerCase();
  return { original: text, folded, compact: compactText(folded), lowered };
}

/** Owner keywords go through the same steps so that "刷單" in a room list matches "刷 单". */
export function normalizeKeyword(keyword: string): string {
  return compactText(foldText(keyword));
}

// Invisible characters that render as nothing but break naive substring matching:
// soft hyphen, combining grapheme joiner, bidi marks, zero-width space/joiners, word joiner,
// Hangul fillers, variation selectors, BOM and the Unicode "tag" block. Also the combining
// enclosing marks (U+20DD–U+20E4): with the variation selector they turn "9" into the keycap
// emoji 9️⃣, which spammers use for QQ and phone numbers ("加群 9️⃣8️⃣7️⃣…"); NFKC leaves them.
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u20DD-\u20E4\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|[\u{E0000}-\u{E007F}]/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** `folded` of NormalizedText: invisible characters stripped, NFKC, lower case, look-alikes folded. */
export function foldText(text: string): string {
  return foldLowered(stripInvisible(text).normalize('NFKC').toLowerCase());
}

function foldLowered(lowered: string): string {
  let out = lowered;
  if (NON_ASCII.test(out)) {
    if (ENCLOSED_LETTER.test(out)) out = out.replace(ENCLOSED_LETTER_ALL, enclosedToLatin);
    out = out.replace(FOLDABLE_CHAR, (ch) => CHAR_FOLDS.get(ch) ?? LATIN_EXTENDED_FOLDS.get(ch) ?? stripDiacritics(ch));
    out = out.replace(CHINESE_NUMERAL_RUN, (run) => Array.from(run, (ch) => CHINESE_DIGITS.get(ch) ?? ch).join(''));
  }
  return out;
}

export function compactText(folded: string): string {
  return folded.replace(NOT_LETTER_OR_DIGIT, '');
}

const NON_ASCII = /[^\u0000-\u007f]/;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

function stripDiacritics(ch: string): string {
  return ch.normalize('NFD').replace(/\p{M}+/gu, '');
}

// The Latin-1/Latin Extended range is small: fold each character once at start-up instead of
// running NFD and a regex per character of every message (ü, é, × in ordinary text).
const LATIN_EXTENDED_FOLDS = new Map<string, string>();
for (let code = 0x00c0; code <= 0x024f; code++) LATIN_EXTENDED_FOLDS.set(String.fromCharCode(code), stripDiacritics(String.fromCharCode(code)));

// Look-alike letters from other scripts that render like Latin ones (the Unicode "confusables"
// that matter in practice for chat spam and domain spoofing), plus the traditional characters
// that appear in scam vocabulary. Not a full traditional→simplified converter on purpose: only
// characters our rules and common owner keywords need, so the table stays reviewable.
const LOOKALIKE_LATIN: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g', ո: 'n', ս: 'u', ց: 'g',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  // Latin oddities NFKC leaves alone
  ı: 'i', ł: 'l', ø: 'o', đ: 'd', ß: 'ss', ɑ: 'a', ɩ: 'i', ʀ: 'r',
};

// Pairs of traditional→simplified, space separated for review.
const TRADITIONAL_TO_SIMPLIFIED = [
  '單单 帶带 穩稳 賺赚 錢钱 聯联 繫系 係系 號号 碼码 點点 網网 頁页 賭赌 獎奖 職职 體体 驗验 費费 額额 資资 億亿 萬万 幣币',
  '虛虚 擬拟 貨货 購购 買买 賣卖 處处 戶户 帳账 賬账 裡里 這这 個个 們们 來来 為为 發发 紅红 禮礼 貸贷 項项 輕轻 鬆松 無无',
  '風风 險险 報报 導导 師师 當当 門门 開开 關关 長长 會会 員员 動动 線线 約约 視视 頻频 騙骗 舉举 說说 讓让 別别 還还 對对',
  '時时 間间 見见 過过 進进 邊边 實实 現现 將将 專专 業业 傳传 優优 領领 價价 漲涨 盤盘 務务 註注 冊册 銀银 詢询 問问 題题',
  '請请 薦荐 課课 習习 賽赛 訊讯 絡络 誠诚 僅仅 內内 幫帮 極极 廣广 際际 數数 據据 營营 運运 產产 應应 頭头 級级 認认 證证',
  '劇剧 戲戏 樂乐 檔档 載载 軟软 搶抢 溫温 歡欢 選选 擇择 總总 結结 勞劳 雙双 獲获 淨净 餘余',
].join(' ').split(' ');

const CHAR_FOLDS = new Map<string, string>();
for (const [from, to] of Object.entries(LOOKALIKE_LATIN)) CHAR_FOLDS.set(from, to);
for (const pair of TRADITIONAL_TO_SIMPLIFIED) CHAR_FOLDS.set(pair[0], pair[1]);

// The negative circled and negative squared letters (🅥🅧, 🆅🆇) have no compatibility
// decomposition, so NFKC, which handles ⓥⓧ and 🄥, leaves them: "加🆅🆇" is "加vx".
const ENCLOSED_LETTER = /[\u{1F150}-\u{1F169}\u{1F170}-\u{1F189}]/u;
const ENCLOSED_LETTER_ALL = /[\u{1F150}-\u{1F169}\u{1F170}-\u{1F189}]/gu;
function enclosedToLatin(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return String.fromCharCode(0x61 + (code - (code >= 0x1f170 ? 0x1f170 : 0x1f150)));
}

// Latin-1 and Latin Extended (diacritics) plus every key of the fold table.
const FOLDABLE_CHAR = new RegExp(`[\\u00C0-\\u024F${[...CHAR_FOLDS.keys()].join('')}]`, 'gu');

// "加我 扣扣 三九八七六五四三二" — numbers spelled in Chinese numerals to dodge digit filters.
// Six or more in a row, because shorter runs (一五一十, 三三两两) are ordinary idioms.
const CHINESE_DIGITS = new Map<string, string>(
  Object.entries({
    零: '0', 〇: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
    壹: '1', 贰: '2', 叁: '3', 肆: '4', 伍: '5', 陆: '6', 柒: '7', 捌: '8', 玖: '9', 幺: '1', 两: '2',
  }),
);
const CHINESE_NUMERAL_RUN = /[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖幺两]{6,}/gu;
