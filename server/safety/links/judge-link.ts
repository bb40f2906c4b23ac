// Judges one found link. Order matters: the room's allow list wins over heuristics (owners know
// their sites), deny lists and spoofing tricks win over "known site" (a known name before "@"
// is the trick itself), and known sites skip the remaining heuristics so everyday links to
// bilibili, github or zhihu pass untouched.

import { LruMap } from '../../lru-map.ts';
import { finding, type ReasonCode } from '../reasons.ts';
import { present } from '../rule.ts';
import type { SafetyAction, SafetyReason, Strictness } from '../types.ts';
import type { FoundLink } from './find-links.ts';
import {
  DECOY_EXTENSIONS,
  EXECUTABLE_EXTENSIONS,
  IMITATED_BRANDS,
  KNOWN_SITES,
  NEVER_SHARED_EXTENSIONS,
  SHORTENERS,
  SUSPICIOUS_SUFFIXES,
} from './site-lists.ts';
import { isOneTypoAway, mixesScripts, skeletonOf } from './skeleton.ts';

export interface DomainLists {
  roomAllowed: readonly string[];
  roomDenied: readonly string[];
  globalDenied: readonly string[];
}

const BRAND_SKELETONS = new Map(IMITATED_BRANDS.map((brand) => [skeletonOf(brand), brand]));

export function judgeLink(link: FoundLink, lists: DomainLists, strictness: Strictness): SafetyReason[] {
  const found: Array<SafetyReason | null> = [];
  const add = (code: ReasonCode, action: Exclude<SafetyAction, 'allow'>, fixed: boolean, detail: string) =>
    found.push(finding(code, action, strictness, { fixed, detail }));
  const host = link.asciiHost;

  if (isOnList(host, lists.roomAllowed)) return [];

  if (link.userinfo !== null && isPlantedName(link.userinfo)) {
    add('LINK_USERINFO_TRICK', 'block', true, `${link.userinfo}@${link.unicodeHost}`);
  }
  if (isOnList(host, lists.globalDenied)) add('LINK_DENIED_DOMAIN', 'block', true, host);
  if (isOnList(host, lists.roomDenied)) add('LINK_ROOM_DENIED_DOMAIN', 'block', true, host);

  if (link.isIp) {
    // The WHATWG host parser turns 3232235777, 0xC0A80001 and 0300.0250.0.1 into dotted form;
    // a host that changed was written in an encoded form no person uses by accident.
    if (host !== link.host) add('LINK_OBFUSCATED_IP', 'block', true, `${link.host} = ${host}`);
    else if (!isPrivateIPv4(host)) add('LINK_IP_LITERAL', 'hold', false, host);
    return present(found);
  }

  const fileName = link.path.split(/[?#]/)[0].split('/').pop() ?? '';
  const extensions = fileName.toLowerCase().split('.').slice(1);
  const lastExtension = extensions.at(-1) ?? '';
  if (extensions.length >= 2 && EXECUTABLE_EXTENSIONS.has(lastExtension) && DECOY_EXTENSIONS.has(extensions.at(-2) ?? '')) {
    add('LINK_DOUBLE_EXTENSION', 'block', true, fileName);
  }

  const site = siteJudgement(link);
  if (site.known) return present(found);

  if (site.imitation) add(site.imitation.code, site.imitation.action, site.imitation.fixed, site.imitation.detail);
  if (site.shortener) add('LINK_SHORTENER', 'flag', false, host);
  if (extensions.length === 1 && EXECUTABLE_EXTENSIONS.has(lastExtension)) {
    add('LINK_RISKY_DOWNLOAD', NEVER_SHARED_EXTENSIONS.has(lastExtension) ? 'block' : 'hold', false, fileName);
  }
  if (site.suspiciousSuffix !== null) add('LINK_SUSPICIOUS_TLD', 'flag', false, `.${site.suspiciousSuffix}`);
  if (link.obfuscated) add('LINK_OBFUSCATED', 'hold', false, link.unicodeHost);

  return present(found);
}

interface SiteFinding {
  code: ReasonCode;
  action: Exclude<SafetyAction, 'allow'>;
  fixed: boolean;
  detail: string;
}

/** What the judge concludes from the site alone (not its path, the lists or how it was written). */
interface SiteJudgement {
  known: boolean;
  imitation: SiteFinding | null;
  shortener: boolean;
  suspiciousSuffix: string | null;
}

// The same few sites come up again and again in chat, and a spam run repeats one: judge each
// site once. Keyed by what a site judgement reads: the host as written (its ASCII and Unicode
// forms follow from it) and its registrable domain, which depends on whether the link had a scheme.
const SITE_JUDGEMENTS = new LruMap<string, SiteJudgement>(4096);

function siteJudgement(link: FoundLink): SiteJudgement {
  const key = `${link.host}\u0000${link.domain ?? ''}`;
  const cached = SITE_JUDGEMENTS.get(key);
  if (cached !== undefined) return cached;
  const host = link.asciiHost;
  const suffix = host.slice(host.lastIndexOf('.') + 1);
  const known = isKnownSite(link);
  const judgement: SiteJudgement = {
    known,
    imitation: known ? null : imitationOf(link),
    shortener: (link.domain !== null && SHORTENERS.has(link.domain)) || SHORTENERS.has(host),
    suspiciousSuffix: SUSPICIOUS_SUFFIXES.has(suffix) ? suffix : null,
  };
  SITE_JUDGEMENTS.set(key, judgement);
  return judgement;
}

function imitationOf(link: FoundLink): SiteFinding | null {
  const unicodeLabel = link.unicodeHost.split('.').at(-2 - suffixLabelCount(link)) ?? '';
  const label = unicodeLabel || link.domainLabel || '';
  if (!label) return null;
  const imitated = BRAND_SKELETONS.get(skeletonOf(label));
  if (imitated !== undefined && label !== imitated) {
    return { code: 'LINK_LOOKALIKE_DOMAIN', action: 'block', fixed: true, detail: `${link.unicodeHost} imitates ${imitated}` };
  }
  const typoOf = label.length >= 6 ? IMITATED_BRANDS.find((brand) => brand.length >= 6 && isOneTypoAway(label, brand)) : undefined;
  if (typoOf !== undefined) {
    return { code: 'LINK_LOOKALIKE_DOMAIN', action: 'hold', fixed: false, detail: `${link.unicodeHost} is one typo from ${typoOf}` };
  }
  if (mixesScripts(label)) return { code: 'LINK_MIXED_SCRIPT', action: 'hold', fixed: false, detail: link.unicodeHost };
  const brandInName = imitated ?? findBrandToken(link.unicodeHost);
  if (brandInName !== undefined) return { code: 'LINK_BRAND_IMPERSONATION', action: 'hold', fixed: false, detail: `${link.unicodeHost} uses ${brandInName}` };
  return null;
}

// "bilibili-login.com", "secure.paypal.com.verify.top", "apple-id.cn": a brand as a whole
// hyphen/dot-separated token of a host that is not the brand's own site.
function findBrandToken(host: string): string | undefined {
  const tokens = new Set(host.split(/[.-]/));
  return IMITATED_BRANDS.find((brand) => tokens.has(brand));
}

function suffixLabelCount(link: FoundLink): number {
  if (!link.domain || !link.domainLabel) return 0;
  return link.domain.slice(link.domainLabel.length + 1).split('.').length - 1;
}

function isKnownSite(link: FoundLink): boolean {
  if (link.domain !== null && KNOWN_SITES.has(link.domain)) return true;
  // Entries below the registrable domain (developer.mozilla.org): walk the host's parent names.
  for (let at = link.asciiHost.indexOf('.'); at >= 0; at = link.asciiHost.indexOf('.', at + 1)) {
    if (KNOWN_SITES.has(link.asciiHost.slice(at + 1))) return true;
  }
  return KNOWN_SITES.has(link.asciiHost);
}

function isPlantedName(userinfo: string): boolean {
  // "user:password@host" is an (old, rare) legitimate form; a dotted name or a brand is a disguise.
  return userinfo.includes('.') || IMITATED_BRANDS.some((brand) => userinfo.includes(brand));
}

/** host equals an entry or is a subdomain of it. */
export function isOnList(host: string, entries: readonly string[]): boolean {
  for (const entry of entries) {
    if (host === entry) return true;
    // endsWith(`.${entry}`) without building that string for every entry of every link.
    const dot = host.length - entry.length - 1;
    if (dot > 0 && host.charCodeAt(dot) === 46 && host.endsWith(entry)) return true;
  }
  return false;
}

function isPrivateIPv4(host: string): boolean {
  const [a, b] = host.split('.').map(Number);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}
