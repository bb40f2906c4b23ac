// Rule "harassment": insults, slurs, threats and "everyone ignore him", in Chinese and English.
// Reports stay the main path for abuse: only the people in a conversation know whether "你个菜鸡"
// is a friend's joke, and a member reporting abuse quotes it. So a standard room only flags what
// this rule finds to staff (the message is delivered); a strict room holds it for review, a
// lenient one drops it. On the fresh split, holding at 'standard' stopped 6 % of the hard
// negatives (reports quoting the abuse, self-mockery), which a flag does not (docs/safety.md).
// What a member says about themself ("I'm such an idiot"), about a thing ("this lens is trash")
// or reports ("有人私聊骂我傻逼") is not harassment and passes.

import { finding, type ReasonCode } from '../reasons.ts';
import { present, type SafetyRule } from '../rule.ts';

// On `folded` (lower case, look-alikes folded, spaces kept) and on `plain`, the same with
// leetspeak undone and spelled-out letters joined ("1d1ot", "r e t a r d", "k.y.s"). Chinese needs
// no word boundaries; English words do, or "class", "assassin" and "Scunthorpe" would match.
// Pinyin initials and letters of Chinese abuse (sb 傻逼, zz 智障, rz 弱智, nt 脑瘫, cnm, nmsl).
const ABUSE_ZH_LATIN = /(?<![a-z0-9/._-])(?:s\s?b|sha\s?bi|zz|rz|nt|cnm|nmsl)(?![a-z0-9])/;
const ABUSE_ZH = /傻[逼比屄bx币]|煞笔|沙比|伞兵一个|纸张|脑[残瘫]|智障|弱智|草泥马|[操草肏艹]你|死全家|贱[人货]|[婊表]子|绿茶婊|狗东西|畜生|人渣|垃圾人|舔狗|二百五|去死(?!皮)|死胖子|肥猪|丑八怪|你[妈爹](?:没|死|的|妈)|爹妈生你|尼\s?玛的|你算什么东西|什么货色|浪费空气|low[货逼b]|孤儿/;
const ABUSE_EN = /\b(?:retard(?:ed|s)?|kys|kill\s+(?:yo)?urself|go\s+die|piece\s+of\s+shit|shit\s+for\s+brains|dipshit|f+u*c*k+(?:ing)?\s*(?:you|u|off)|fucking\s+(?:idiot|moron|loser)|stfu|dumb\s?ass|bitch|assholes?|cunt|fag(?:got)?|lard\s?ass|ugly\s+ass|fat\s+pig|imbecile|brainless|waste\s+of\s+(?:space|air|oxygen))\b/;
// Threats, exposure and ganging up, either language.
const THREAT = /见面打你|弄死你|砍死你|打死你|找人弄你|你给我等着|你家找你|把你的.{0,12}(?:发到|挂出|曝光)|开盒(?!我)|挂出去|横着出去|小心点|我知道你在|被车撞|全网骂|网暴|人肉他|(?:大家|所有人)都?(?:别理|拉黑|不要理)(?=他|她|这个|老|小|阿)|滚出(?:这个|本)?群|滚出去|把(?:这个人|他|她)踢了|别叫他了|没人喜欢你|希望你.{0,8}(?:摔坏|出事|倒霉|撞)|\b(?:i\s+)?hope\s+(?:you|your|u)\b.{0,24}\b(?:breaks?|dies?|fails?|crash(?:es)?|get\s+(?:hurt|hit))\b|\bi'?ll\s+(?:find|hurt|get)\s+you\b|\bi\s+know\s+where\s+you\s+live\b|\bwatch\s+your\s+back\b|\bmake\s+your\s+life\s+hell\b|\bdeserve\s+to\s+(?:get\s+)?(?:beaten|hurt|die)\b|\bbetter\s+without\s+you\b|\bnot\s+welcome\s+here\b|\bleave\s+the\s+group\b|\b(?:everyone\s+(?:block|ignore|report)|block\s+(?:him|her)\s+everyone)\b|\bnobody\s+(?:here\s+)?(?:likes|wants|invited|asked\s+for|cares\s+about|would\s+(?:even\s+)?notice)\s+(?:you|your|ur)\b|\bdelete\s+your\s+account\b/;

// Everyday insults, harassment only when aimed at someone in the same sentence.
const INSULT_ZH = /废物(?!利用|回收)|废柴|蠢货|蠢得|蠢(?=[，,。!！]|$)|白痴|神经病|怪胎|猪脑子|你是猪|脑子(?:有病|进水|落)|有病(?:就去治|吧|啊)|恶心|丢人|玻璃心|丑人|丑裂|丑死|长得(?:太|真)?丑|矮冬瓜|秃头|弱鸡|坑货|臭不要脸|没教养|不配|配当|活该|退群吧|loser|idiot|fat\s?pig|ugly|垃圾\s?(?=player|玩家|书评|照片|东西)|跟你(?:人|本人)一样/;
const INSULT_EN = /\b(?:idiots?|moron(?:ic)?|losers?|freaks?|clowns?|weirdos?|psycho|parasites?|pathetic|worthless|useless|brain\s?dead|ugly|stupid(?:est)?|dumbest|dumb|trash|garbage|snowflake|sheep|embarrass(?:ment|ing)|liar|a\s+joke|laughs?\s+at\s+you|smarter\s+than\s+you|(?:don'?t|doesn'?t)\s+deserve|the\s+reason\s+people\s+leave)\b/;
// Said to someone by their very form: "滚", "闭嘴", "shut up", "keep crying".
const TOLD_OFF = /(?:^|[，,：:。.!！\s])滚(?:吧|蛋|远点|回|[!！。.,，]|$)|闭嘴|装什么装|接着哭|\bshut\s+(?:up|your\s+mouth)\b|(?:^|[,.!，])\s*get\s+(?:lost|out)\b|\bgo\s+cry\b|\bkeep\s+crying\b|[,，]\s*(?:snowflake|idiot|loser|freak|weirdo|moron|clown|parasite)\b/;
const AIMED_ZH = /你|您|@|回复|他|她|这种|(?:^|[，,\s])[\u4e00-\u9fff]{1,3}(?:就是个|真是个|真|是个)|一个(?=[，,。!！]|$)|一头/;
const AIMED_EN = /\b(?:you|ur|u|your|you're|youre|yourself|he|she|him|her|his|he's|she's|this\s+guy|the\s+\w+\s+one|imagine\s+being|replying\s+to)\b|@|\b[a-z]+\s+(?:is|are)\s+(?:such\s+)?(?:a|an|so)\b|\b(?:what\s+an?|such\s+an?)\s+\w+$/;

// About oneself, reporting what someone else said, or talking about the rules on insults.
const NOT_AIMED = /我(?:真)?(?:是|就是|这个|真是)|本(?:丑|胖|废)|骂我|说我是|叫我|骂人|举报|截图|私聊|管理员|这种话|\bi'?m\s+(?:such\s+)?an?\s|\bi\s+am\s+(?:such\s+)?an?\s|\bcall(?:ed|ing)?\s+me\b|\binsult(?:s|ed|ing)?\b|\bdon'?t\s+call\b|\bscreenshots?\b|\breported\b|\bmods?\b|\badmins?\b|\bagainst\s+the\s+rules\b|\bas\s+a\s+joke\b|\bgot\s+a\s+dm\b|\bsaid\s+it\s+to\s+me\b/;
// What is inside quotation marks is someone else's words, quoted.
const QUOTED = /“[^”]*”|"[^"]*"|「[^」]*」|《[^》]*》/g;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '!': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't' };

/** Leetspeak inside words undone and spelled-out letters joined: "1d1ot" → "idiot", "k.y.s" → "kys", "f*ck" → "fck". */
function plainOf(folded: string): string {
  return folded
    .replace(/(?<=[a-z])[*]+(?=[a-z])/g, '')
    .replace(/[a-z0-9!@$]*[a-z][a-z0-9!@$]*/g, (word) => (/[a-z]/.test(word) && /[0-9!@$]/.test(word) ? word.replace(/[01!3457@$]/g, (c) => LEET[c]!) : word))
    .replace(/\b[a-z](?:[ .\-_][a-z]\b){2,}/g, (letters) => letters.replace(/[ .\-_]/g, ''));
}

const HAN = /\p{Script=Han}/u;
const LATIN = /[a-z]/;

/** What the message says, as one of the three findings, or null; before asking whether it is quoted, self-mockery or a report. */
function harassmentIn(folded: string, compact: string): ReasonCode | null {
  // Each language's lists only run on text that has its script: most messages pay for one of them.
  const han = HAN.test(folded);
  const latin = LATIN.test(folded);
  const plain = latin && /[0-9!@$*]|\b[a-z][ .\-_][a-z]\b/.test(folded) ? plainOf(folded) : folded;
  if ((han && ABUSE_ZH.test(compact)) || (latin && (ABUSE_ZH_LATIN.test(folded) || ABUSE_EN.test(plain)))) return 'HARASSMENT_ABUSE';
  if (THREAT.test(plain)) return 'HARASSMENT_THREAT';
  if (TOLD_OFF.test(plain) || (INSULT_ZH.test(plain) && AIMED_ZH.test(folded)) || (latin && INSULT_EN.test(plain) && AIMED_EN.test(plain))) return 'HARASSMENT_INSULT';
  return null;
}

export const harassmentRule: SafetyRule = {
  name: 'harassment',
  exemptible: true,
  check({ text, strictness }) {
    if (strictness === 'off') return [];
    const quotes = text.folded.includes('"') || /[“「《]/.test(text.folded);
    const folded = quotes ? text.folded.replace(QUOTED, ' ') : text.folded;
    const code = harassmentIn(folded, quotes ? folded.replace(/[^\p{L}\p{N}]+/gu, '') : text.compact);
    if (code === null || NOT_AIMED.test(folded)) return [];
    return present([finding(code, 'flag', strictness)]);
  },
};
