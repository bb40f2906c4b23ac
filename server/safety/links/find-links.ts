// Finds links in a message, including the disguised ones spammers use to get past naive
// filters: fullwidth letters and dots (ｅｖｉｌ．ｃｏｍ), ideographic dots (evil。com), dots
// spelled out (evil点com, evil dot com, evil[.]com), spaces or symbols inside the name
// (e v i l . c o m, ev*il.com), zero-width characters and a missing scheme. Each link is parsed
// with tldts so that "is this a real domain" is the Public Suffix List's answer, not ours.

import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { LruMap } from '../../lru-map.ts';
import { stripInvisible } from '../normalize.ts';

export interface FoundLink {
  /** Host as written after deobfuscation, lower case (may contain non-ASCII letters). */
  host: string;
  /** Host in ASCII (punycode for IDNs). */
  asciiHost: string;
  /** Host in Unicode (punycode decoded), for look-alike checks. */
  unicodeHost: string;
  /** Registrable domain per the Public Suffix List, or null for IPs and unknown suffixes. */
  domain: string | null;
  /** The registrable domain without its public suffix: "bilibili" for "www.bilibili.com". */
  domainLabel: string | null;
  scheme: string | null;
  /** Anything written before "@" in the authority: "bilibili.com" in https://bilibili.com@evil.example. */
  userinfo: string | null;
  path: string;
  isIp: boolean;
  /** True when the link only appeared after undoing a disguise (spelled-out dots, inserted characters). */
  obfuscated: boolean;
}

// Latin (with diacritics), Greek and Cyrillic letters: the scripts used for look-alike domains.
// CJK is left out so that "看github.com" does not read as the host "看github.com".
const LABEL_CHAR = 'a-z0-9\\u00c0-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff';
const LABEL = `[${LABEL_CHAR}](?:[${LABEL_CHAR}-]{0,61}[${LABEL_CHAR}])?`;

const SCHEME_URL = /\b(https?|ftp):\/\/([^\s/?#\\]+)([/?#][\x21-\x7e]*)?/g;
const BARE_HOST = new RegExp(
  `(?<![${LABEL_CHAR}.@-])(?:([a-z0-9._%+-]+)@)?((?:${LABEL}\\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59}))(?::\\d{2,5})?([/?#][\\x21-\\x7e]*)?`,
  'g',
);
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}>*]+$/;

// Disguises, undone in this order. Each only applies between characters that can be part of a
// host, so ordinary prose ("anecdotal", "5点30分" stays a time) is not rewritten into a domain.
// A bare 点 after one or two digits standing alone is a clock time ("今晚9点 de_dust2", "下午2点 net 课"),
// not a dot: gaming squads and classes write times before map and course names all day.
const SPELLED_DOT = /(?<=[a-z0-9])(?:\s*[([{（【]\s*(?:dot|\.|点|點|。)\s*[)\]}）】]\s*|\s+dot\s+|(?<!(?:^|[^a-z0-9])\d{1,2})\s*[点點]\s*|[。｡])(?=[a-z])/g;
// Single characters separated by spaces, possibly with a spaced dot between them: "e v i l",
// "w w w . z b 8 8 . c c" (each name part spelled out, the dots set apart too).
const SPACED_LETTERS = /(?<![a-z0-9])[a-z0-9](?: (?:\. )?[a-z0-9]){2,}(?![a-z0-9])/g;
// Only endings that are not also English words, or "ask him. me too" would become a link to him.me.
// Two characters before it at least: "at a .xyz domain" talks about an ending, it is no link.
const SPACE_AROUND_DOT = /(?<=[a-z0-9]{2})(?:\s+\.\s*|\.\s+)(?=(?:com|net|org|cn|top|xyz|vip|cc|io|info|site|online|shop|club|ru|tk|ly|pw|biz|asia|cyou|icu|buzz)\b)/g;
const INSERTED_SYMBOLS = /(?<=[a-z0-9])[*^~`|]+(?=[a-z0-9])/g;

// Only worth the regex work when something link-like is present at all: every link has Latin
// letters (its suffix, or its scheme) and a dot of some kind.
const LATIN_LETTER = /[a-z]/;
const DOT_HINT = /[.。｡点點]|dot|:\/\//;

// Names that look like domains but in chat are nearly always file names: readme.md, main.py.
const FILE_LIKE_SUFFIXES = new Set(['md', 'py', 'sh', 'rs', 'pl', 'zip', 'mov', 'so', 'ps', 'ts', 'js']);

/** `plain` is NFKC + lower case of `text`; the pipeline passes the one normalize.ts computed. */
export function findLinks(text: string, plain = text.normalize('NFKC').toLowerCase()): FoundLink[] {
  if (!LATIN_LETTER.test(plain) || !DOT_HINT.test(plain)) return [];
  const deobfuscated = deobfuscate(stripInvisible(plain));
  if (deobfuscated === plain) return scan(plain);
  // A host that only appears once the disguise is undone was disguised on purpose.
  const plainHosts = new Set(scan(plain).map((l) => l.host));
  const links = scan(deobfuscated);
  for (const link of links) link.obfuscated = !plainHosts.has(link.host);
  return links;
}

function deobfuscate(text: string): string {
  return text
    .replace(SPACED_LETTERS, (run) => run.replace(/ /g, ''))
    .replace(SPELLED_DOT, '.')
    .replace(SPACE_AROUND_DOT, '.')
    .replace(INSERTED_SYMBOLS, '');
}

function scan(view: string): FoundLink[] {
  const links: FoundLink[] = [];
  // Explicit-scheme URLs first; their authority may hold anything (userinfo, numeric IPs).
  const masked = view.replace(SCHEME_URL, (match, scheme: string, authority: string, path: string | undefined) => {
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at) : null;
    const host = (at >= 0 ? authority.slice(at + 1) : authority).replace(/:\d*$/, '').replace(/\.$/, '');
    if (host) links.push(buildLink(host, scheme, userinfo, trimPath(path)));
    return ' '.repeat(match.length);
  });
  BARE_HOST.lastIndex = 0;
  for (let match = BARE_HOST.exec(masked); match !== null; match = BARE_HOST.exec(masked)) {
    const [, userinfo, host, path] = match;
    const link = buildLink(host, null, userinfo ?? null, trimPath(path));
    if (link.domain === null || link.isIp) continue;
    // "name@qq.com" is an email address (the privacy rule's business); "bilibili.com@evil.cn" is
    // a site name planted before "@". Emails like "zhang.li@qq.com" also parse as domains, so
    // only common link suffixes count as a planted site name.
    if (userinfo !== undefined && !looksLikePlantedSiteName(userinfo)) continue;
    if (!path && FILE_LIKE_SUFFIXES.has(publicSuffixOf(link)) && !host.startsWith('www.')) continue;
    links.push(link);
  }
  return links;
}

const PLAIN_ASCII_NAME = /^[a-z0-9.-]+$/;
const NUMERIC_HOST = /^[0-9.]+$|^0x[0-9a-f.x]+$/;

interface HostFacts {
  asciiHost: string;
  unicodeHost: string;
  isIp: boolean;
  isIcann: boolean;
  domain: string | null;
  domainWithoutSuffix: string | null;
}

// What a host name is depends on the name alone, and chat links keep going to the same few
// sites (and a spam run to the same one): parsing each name once saves the WHATWG host parser
// and the Public Suffix List walk, the costliest part of judging a link.
const HOST_FACTS = new LruMap<string, HostFacts>(4096);

function factsOf(host: string): HostFacts {
  const cached = HOST_FACTS.get(host);
  if (cached !== undefined) return cached;
  // The WHATWG host parser (domainToASCII) does IDN → punycode and turns numeric IPv4 forms
  // (3232235777, 0xC0A80001, 0300.0250.0.1) into dotted form; plain names skip the call.
  const numeric = NUMERIC_HOST.test(host);
  const asciiHost = PLAIN_ASCII_NAME.test(host) && !numeric ? host : domainToASCII(host) || host;
  const parsed = parseDomain(asciiHost, { extractHostname: false });
  const facts: HostFacts = {
    asciiHost,
    unicodeHost: asciiHost.includes('xn--') ? domainToUnicode(asciiHost) || host : host,
    isIp: parsed.isIp === true || numeric,
    isIcann: parsed.isIcann === true,
    domain: parsed.domain,
    domainWithoutSuffix: parsed.domainWithoutSuffix,
  };
  HOST_FACTS.set(host, facts);
  return facts;
}

function buildLink(host: string, scheme: string | null, userinfo: string | null, path: string): FoundLink {
  const facts = factsOf(host);
  const domain = facts.isIcann || scheme ? facts.domain : null;
  return {
    host,
    asciiHost: facts.asciiHost,
    unicodeHost: facts.unicodeHost,
    domain,
    domainLabel: domain ? facts.domainWithoutSuffix : null,
    scheme,
    userinfo,
    path,
    isIp: facts.isIp,
    obfuscated: false,
  };
}

const PLANTED_SITE_SUFFIXES = new Set(['com', 'net', 'org', 'cn', 'com.cn', 'io', 'tv', 'me', 'co']);

function looksLikePlantedSiteName(candidate: string): boolean {
  const parsed = parseDomain(candidate);
  return parsed.isIcann === true && parsed.domain !== null && PLANTED_SITE_SUFFIXES.has(parsed.publicSuffix ?? '');
}

function publicSuffixOf(link: FoundLink): string {
  return link.domain && link.domainLabel ? link.domain.slice(link.domainLabel.length + 1) : '';
}

function trimPath(path: string | undefined): string {
  return path ? path.replace(TRAILING_PUNCTUATION, '') : '';
}
